// Binding the fake's server with a listen backlog that survives a thousand clients
// connecting at once. The packaged cpp-httplib is a compiled library whose listen()
// backlog is fixed at 5; past that, connections wait for SYN retransmits (1 s, 3 s...),
// which would show up as provider latency in the probe benchmark.
#pragma once

#include <string>

#include <httplib.h>

namespace fakes {

// Binds `server` to host:port (port 0 = any free port) and widens the backlog to
// `backlog`. Returns the port, or -1 when binding failed.
int BindWithBacklog(httplib::Server& server, const std::string& host, int port, int backlog);

}  // namespace fakes
