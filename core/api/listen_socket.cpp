#include "api/listen_socket.hpp"

#include <sys/socket.h>

#include <memory>

namespace switchboard::api {

int BindWithBacklog(httplib::Server& server, const std::string& host, int port, int backlog) {
  // The socket options hook is the only place the library shows its listening socket.
  auto listening = std::make_shared<int>(-1);
  server.set_socket_options([listening](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    *listening = sock;
  });
  const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  // Linux lets listen() be called again on a listening socket to change its backlog.
  if (bound > 0 && *listening >= 0) ::listen(*listening, backlog);
  return bound;
}

}  // namespace switchboard::api
