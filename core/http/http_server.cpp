#include "http/http_server.hpp"

#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "common/log.hpp"
#include "http/connection.hpp"
#include "http/server_state.hpp"

namespace switchboard::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

}  // namespace

std::vector<std::shared_ptr<boost::asio::io_context>> IoContextsFor(int threads) {
  std::vector<std::shared_ptr<net::io_context>> ios;
  // Concurrency hint 1: one thread runs each, so what it posts to itself wakes no one.
  for (int i = 0; i < std::max(1, threads); ++i) ios.push_back(std::make_shared<net::io_context>(1));
  return ios;
}

HttpServer::HttpServer(ServerOptions options, RequestHandler handler, ProblemBuilder problem,
                       std::vector<std::shared_ptr<boost::asio::io_context>> ios)
    : state_(std::make_shared<ServerState>(ios.empty() ? IoContextsFor(options.io_threads) : std::move(ios),
                                           std::move(options), std::move(handler), std::move(problem))),
      acceptor_(net::make_strand(state_->io)) {}

HttpServer::~HttpServer() {
  Stop();
  std::unordered_set<std::shared_ptr<Connection>> left;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->closed = true;
    left.swap(state_->connections);
  }
}

int HttpServer::Bind() {
  boost::system::error_code ec;
  tcp::resolver resolver(state_->io);
  auto results = resolver.resolve(state_->options.host, std::to_string(state_->options.port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) return -1;
  const tcp::endpoint endpoint = *results.begin();
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  // Many clients connecting at once wait in the backlog instead of for SYN retransmits.
  if (!ec) acceptor_.listen(SOMAXCONN, ec);
  if (ec) return -1;
  return acceptor_.local_endpoint().port();
}

void HttpServer::Accept() {
  net::io_context& io = *state_->ios[next_io_++ % state_->ios.size()];
  acceptor_.async_accept(net::make_strand(io), [this](boost::system::error_code ec, tcp::socket socket) {
    if (!acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors and the like: try again shortly instead of spinning.
      log::Warn("accepting a connection failed: " + ec.message());
      auto timer = std::make_shared<net::steady_timer>(acceptor_.get_executor(), std::chrono::milliseconds(100));
      timer->async_wait([this, timer](boost::system::error_code) { Accept(); });
      return;
    }
    auto connection = std::make_shared<Connection>(std::move(socket), state_);
    bool admitted = false;
    {
      std::lock_guard<std::mutex> lock(state_->mutex);
      if (state_->connections.size() < state_->options.max_connections && !state_->stopping) {
        state_->connections.insert(connection);
        admitted = true;
      }
    }
    if (admitted) connection->Start();
    else connection->Refuse();
    Accept();
  });
}

void HttpServer::Run() {
  Accept();
  std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
  for (const auto& io : state_->ios) {
    work.push_back(net::make_work_guard(*io));
    threads_.emplace_back([state = state_, io = io.get()] {
      for (;;) {
        try {
          io->run();
          return;
        } catch (const std::exception& e) {
          log::Error(std::string("HTTP I/O thread: ") + e.what());
        }
      }
    });
  }
  {
    std::unique_lock<std::mutex> lock(state_->mutex);
    state_->changed.wait(lock, [this] { return state_->stopping.load(); });
    state_->changed.wait_for(lock, state_->options.stop_grace, [this] { return state_->connections.empty(); });
    state_->closed = true;
  }
  work.clear();
  for (const auto& io : state_->ios) io->stop();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void HttpServer::Stop() {
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard<std::mutex> lock(state_->mutex);
    if (state_->stopping) return;
    state_->stopping = true;
    open.assign(state_->connections.begin(), state_->connections.end());
  }
  net::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  for (auto& connection : open) connection->OnServerStopping();
  state_->changed.notify_all();
}

}  // namespace switchboard::http
