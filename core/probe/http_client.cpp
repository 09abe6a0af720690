#include "probe/http_client.hpp"

#include <stdexcept>
#include <utility>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/ssl.hpp>

#include "probe/fetch_operation.hpp"

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

}  // namespace

HttpClient::HttpClient(boost::asio::io_context& io, HttpClientOptions options) : io_(io) {
  auto shared = std::make_shared<Shared>();
  shared->tls = MakeTlsContext(options);
  shared->options = std::move(options);
  shared_ = std::move(shared);
}

HttpClient::~HttpClient() = default;

const HttpClientOptions& HttpClient::options() const { return shared_->options; }

void HttpClient::Fetch(HttpRequest request, std::function<void(FetchResult)> done) {
  std::make_shared<FetchOperation>(io_, shared_, std::move(request), std::move(done))->Start();
}

}  // namespace switchboard::probe
