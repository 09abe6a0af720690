// What the listener and its connections share. Connections and pending replies hold it
// by shared_ptr, so the io_context outlives whoever may still post to it.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_set>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "http/http_server.hpp"

namespace switchboard::http {

class Connection;

struct ServerState {
  ServerState(std::vector<std::shared_ptr<boost::asio::io_context>> i, ServerOptions o, RequestHandler h,
              ProblemBuilder p)
      : ios(std::move(i)), io(*ios.front()), options(std::move(o)), handler(std::move(h)), problem(std::move(p)) {}

  // One per I/O thread, each run by its thread alone; connections are spread over them.
  const std::vector<std::shared_ptr<boost::asio::io_context>> ios;
  boost::asio::io_context& io;  // the first: the listener's
  const ServerOptions options;
  const RequestHandler handler;
  const ProblemBuilder problem;

  std::mutex mutex;
  std::condition_variable changed;                          // a connection left, or Stop
  std::unordered_set<std::shared_ptr<Connection>> connections;  // guarded by mutex
  std::atomic<bool> stopping{false};                        // set under mutex
  bool closed = false;  // guarded by mutex; set once Run is done: replies are dropped
};

}  // namespace switchboard::http
