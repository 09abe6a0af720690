// Binding the HTTP server with a listen backlog that survives many clients connecting at
// once. The packaged cpp-httplib is a compiled library whose listen() backlog is fixed at
// 5; past that, connections wait for SYN retransmits (1 s, 3 s...) before they are served.
#pragma once

#include <string>

#include <httplib.h>

namespace switchboard::api {

// Binds `server` to host:port (port 0 = any free port) with SO_REUSEADDR and a backlog
// of `backlog`. Returns the port, or -1 when binding failed.
int BindWithBacklog(httplib::Server& server, const std::string& host, int port, int backlog);

}  // namespace switchboard::api
