// A fake host for unit-testing a provider plugin without running Switchboard.
//
// It drives the plugin through the same C table the real host uses, so a test exercises
// the trampolines and JSON round trips too. Requests the probe makes are answered by a
// function the test supplies, never by the network.
//
//   switchboard::testing::FakeHost host;              // uses this binary's sb_provider_entry
//   auto run = host.Probe(config, [](const HttpRequest& r) {
//     return HttpResponse{200, {}, R"({"object":"list","data":[]})"};
//   });
//   CHECK(run.result.outcome == switchboard::Outcome::kValid);
//
// Authorize and Classify drive the ABI 1.1 hooks (authorize_step, classify_response) the
// same way; they throw std::runtime_error for a plugin whose table predates them.
//
// Not thread-safe: use one FakeHost per thread.
#ifndef SWITCHBOARD_TESTING_HPP
#define SWITCHBOARD_TESTING_HPP

#include <cstddef>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "switchboard/provider.hpp"

extern "C" const sb_provider_v1* sb_provider_entry(const sb_host_v1* host, char* error,
                                                   size_t error_capacity);

namespace switchboard::testing {

class FakeHost {
 public:
  using Responder = std::function<HttpResponse(const HttpRequest&)>;

  struct ProbeRun {
    ProbeResult result;
    std::vector<HttpRequest> requests;  // every request the probe asked for, in order
  };

  // Loads the provider through `entry`. Throws std::runtime_error with the plugin's
  // reason when it refuses to load.
  explicit FakeHost(sb_provider_entry_fn entry = &sb_provider_entry) {
    host_.abi_version = SB_ABI_VERSION;
    host_.struct_size = sizeof(sb_host_v1);
    host_.context = this;
    host_.log = [](void* context, sb_log_level, const char* message, size_t size) {
      static_cast<FakeHost*>(context)->log_lines.emplace_back(message, size);
    };
    char error[512] = {0};
    provider_ = entry(&host_, error, sizeof error);
    if (provider_ == nullptr) throw std::runtime_error(std::string("plugin refused: ") + error);
  }
  ~FakeHost() {
    if (provider_ != nullptr) provider_->destroy(provider_->instance);
  }
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  // The manifest as JSON: {id, name, version, description, icon_svg, schema}.
  Json Manifest() { return Call(provider_->describe(provider_->instance, &buffer_)); }

  // The plugin's own checks of a config.
  std::vector<FieldError> Validate(const Json& config) {
    std::string text = config.dump();
    return Call(provider_->validate(provider_->instance, text.data(), text.size(), &buffer_))
        .get<std::vector<FieldError>>();
  }

  // Drives a probe to its end, answering each request with `respond`. Throws if the
  // plugin returns an error or asks for more than `max_steps` requests.
  //
  // A response may hold any bytes, as a real server's may: like the host, FakeHost hands
  // the plugin a status, headers and body in which every byte that is not part of valid
  // UTF-8 has become U+FFFD (a Latin-1 "caf\xe9" arrives as "caf\uFFFD").
  ProbeRun Probe(const Json& config, const Responder& respond, int max_steps = 8) {
    ProbeRun run;
    Json state = nullptr;
    Json response = nullptr;
    for (int step = 0; step <= max_steps; ++step) {
      std::string input = AsSent(Json{{"config", config}, {"state", state}, {"response", response}});
      ProbeStep next = ProbeStep::FromJson(
          Call(provider_->probe_step(provider_->instance, input.data(), input.size(), &buffer_)));
      if (next.finished()) {
        run.result = *next.result();
        return run;
      }
      run.requests.push_back(*next.request());
      response = respond(*next.request());
      state = next.state();
    }
    throw std::runtime_error("probe did not finish within max_steps requests");
  }

  struct AuthorizeRun {
    std::optional<Authorization> authorization;  // set when the plugin granted
    std::optional<ProbeResult> refusal;          // set when it refused
    std::vector<HttpRequest> requests;           // every request it asked for, in order
  };

  // Drives an authorization to its end (a grant or a refusal), answering each request
  // with `respond`, as Probe does (same UTF-8 replacement). Throws if the plugin returns
  // an error (its {"code", "message"} in the exception's text), predates ABI 1.1, or
  // asks for more than `max_steps` requests.
  AuthorizeRun Authorize(const Json& config, const Responder& respond, int max_steps = 8) {
    RequireAbi11();
    AuthorizeRun run;
    Json state = nullptr;
    Json response = nullptr;
    for (int step = 0; step <= max_steps; ++step) {
      std::string input = AsSent(Json{{"config", config}, {"state", state}, {"response", response}});
      AuthorizeStep next = AuthorizeStep::FromJson(
          Call(provider_->authorize_step(provider_->instance, input.data(), input.size(), &buffer_)));
      if (next.authorization() || next.refusal()) {
        run.authorization = next.authorization();
        run.refusal = next.refusal();
        return run;
      }
      run.requests.push_back(*next.request());
      response = respond(*next.request());
      state = next.state();
    }
    throw std::runtime_error("authorization did not finish within max_steps requests");
  }

  // The plugin's reading of `response`, the provider's answer to the proxied `request`.
  // Throws like Authorize.
  Classification Classify(const Json& config, const HttpRequest& request, const HttpResponse& response) {
    RequireAbi11();
    std::string input = AsSent(Json{{"config", config}, {"request", request}, {"response", response}});
    return Classification::FromJson(
        Call(provider_->classify_response(provider_->instance, input.data(), input.size(), &buffer_)));
  }

  // Lines the plugin logged through the host.
  std::vector<std::string> log_lines;

 private:
  // `input` as the host sends it: every byte that is not part of valid UTF-8 as U+FFFD.
  static std::string AsSent(const Json& input) { return input.dump(-1, ' ', false, Json::error_handler_t::replace); }

  void RequireAbi11() const {
    const bool covered = provider_->struct_size >= offsetof(sb_provider_v1, classify_response) +
                                                       sizeof(provider_->classify_response);
    if (!covered || provider_->authorize_step == nullptr || provider_->classify_response == nullptr) {
      throw std::runtime_error("plugin predates ABI 1.1: no authorize_step or classify_response");
    }
  }

  Json Call(sb_result_code code) {
    std::string text(buffer_.data == nullptr ? "" : buffer_.data, buffer_.size);
    provider_->release(provider_->instance, &buffer_);
    if (code != SB_OK) throw std::runtime_error("plugin returned an error: " + text);
    return Json::parse(text);
  }

  sb_host_v1 host_{};
  const sb_provider_v1* provider_ = nullptr;
  sb_buffer buffer_{};
};

}  // namespace switchboard::testing

#endif  // SWITCHBOARD_TESTING_HPP
