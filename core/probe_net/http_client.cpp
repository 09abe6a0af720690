#include "probe_net/http_client.hpp"

#include <cerrno>
#include <stdexcept>
#include <utility>

#include <sys/socket.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>

#include "probe_net/fetch_operation.hpp"

namespace switchboard::probe {

namespace ssl = boost::asio::ssl;

namespace {

std::shared_ptr<ssl::context> MakeTlsContext(const HttpClientOptions& options) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  context->set_default_verify_paths();
  if (!options.ca_file.empty()) {
    boost::system::error_code ec;
    context->load_verify_file(options.ca_file, ec);
    if (ec) throw std::runtime_error("cannot load the CA file " + options.ca_file + ": " + ec.message());
  }
  context->set_verify_mode(options.verify_tls ? ssl::verify_peer : ssl::verify_none);
  return context;
}

// True while an idle connection is open and quiet. A server that closed it has left an
// end of stream to read; one that wrote anything unasked (an error, a TLS alert) has
// left the connection in a state no new request can start from.
bool StillUsable(HttpConnection& connection) {
  auto& socket = connection.Lowest().socket();
  if (!socket.is_open()) return false;
  char byte;
  ssize_t got = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

}  // namespace

ConnectionPool::ConnectionPool(const HttpClientOptions& options)
    : per_origin_(options.max_idle_per_origin),
      total_cap_(options.max_idle_total),
      timeout_(options.idle_timeout) {}

void ConnectionPool::Expire(std::vector<Idle>& idle, Clock::time_point now, std::vector<Idle>& out) {
  size_t expired = 0;
  while (expired < idle.size() && now - idle[expired].since >= timeout_) ++expired;
  for (size_t i = 0; i < expired; ++i) out.push_back(std::move(idle[i]));
  idle.erase(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(expired));
  total_ -= expired;
}

std::unique_ptr<HttpConnection> ConnectionPool::Take(const std::string& origin) {
  std::vector<Idle> discarded;  // closed after the lock is released
  std::unique_ptr<HttpConnection> found;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = idle_.find(origin);
    if (it == idle_.end()) return nullptr;
    auto& idle = it->second;
    Expire(idle, Clock::now(), discarded);
    // The most recent first: the least likely to have been closed by the server.
    while (!found && !idle.empty()) {
      Idle entry = std::move(idle.back());
      idle.pop_back();
      --total_;
      if (StillUsable(*entry.connection)) {
        found = std::move(entry.connection);
      } else {
        discarded.push_back(std::move(entry));
      }
    }
    if (idle.empty()) idle_.erase(it);
  }
  return found;
}

void ConnectionPool::Put(const std::string& origin, std::unique_ptr<HttpConnection> connection) {
  std::vector<Idle> discarded;
  std::lock_guard<std::mutex> lock(mutex_);
  if (closed_) return;  // `connection` is closed as it goes out of scope
  auto now = Clock::now();
  auto& idle = idle_[origin];
  Expire(idle, now, discarded);
  if (total_ >= total_cap_) {
    // Full: first drop what has expired under other origins.
    for (auto it = idle_.begin(); it != idle_.end();) {
      Expire(it->second, now, discarded);
      it = it->second.empty() && &it->second != &idle ? idle_.erase(it) : std::next(it);
    }
  }
  if (idle.size() < per_origin_ && total_ < total_cap_) {
    idle.push_back({std::move(connection), now});
    ++total_;
  }
  if (idle.empty()) idle_.erase(origin);
}

void ConnectionPool::Close() {
  std::map<std::string, std::vector<Idle>> idle;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    idle.swap(idle_);
    total_ = 0;
  }
}

HttpClient::HttpClient(boost::asio::io_context& io, HttpClientOptions options) : io_(io) {
  auto shared = std::make_shared<Shared>();
  shared->tls = MakeTlsContext(options);
  shared->pool = std::make_unique<ConnectionPool>(options);
  shared->options = std::move(options);
  shared_ = std::move(shared);
}

// Idle connections go with the client (requests still in flight park theirs no more),
// so none outlives the io_context its sockets belong to.
HttpClient::~HttpClient() { shared_->pool->Close(); }


const HttpClientOptions& HttpClient::options() const { return shared_->options; }

void HttpClient::Fetch(HttpRequest request, std::function<void(FetchResult)> done) {
  std::make_shared<FetchOperation>(io_, shared_, std::move(request), std::move(done))->Start();
}

}  // namespace switchboard::probe
