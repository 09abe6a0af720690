// What a plugin's authorize_step writes (ABI 1.1): every byte is the plugin's to choose,
// and a grant decides where a connection's credentials are sent. Bytes parsed as the
// host parses that output (bounded JSON under kAuthorizeStepOutputLimits), then
// AuthorizeStep::FromJson and, for a grant, CheckAuthorization (core/plugins/
// authorization_check).
//
// Invariants: a step is exactly one of request, grant, refusal, and a refusal is never
// valid; a refusal of a grant is plugin_output_invalid or too_large; an accepted grant has
// 1..16 origins, each https (or http to a loopback host) with nothing after host[:port],
// a base path that cannot climb, headers the host does not control and whose values
// cannot start another header, and string config updates; and an accepted grant written
// back out as the SDK writes it is parsed and accepted again, the same.
#include <optional>
#include <string>
#include <string_view>

#include <switchboard/authorize.hpp>

#include "common/bounded_json.hpp"
#include "plugins/authorization_check.hpp"
#include "plugins/plugin_limits.hpp"
#include "support/fuzz_check.hpp"

namespace {

using switchboard::Authorization;
using switchboard::AuthorizeStep;
using switchboard::Code;

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "[::1]" || host.substr(0, 4) == "127.";
}

void CheckAccepted(const Authorization& a) {
  FUZZ_CHECK(!a.origins.empty() && a.origins.size() <= switchboard::kMaxAuthorizedOrigins, "1..16 origins");
  for (const auto& o : a.origins) {
    const std::string_view origin = o.origin;
    const bool https = origin.substr(0, 8) == "https://";
    const bool http = origin.substr(0, 7) == "http://";
    FUZZ_CHECK(https || http, "an origin is https or http: " + o.origin);
    const std::string_view authority = origin.substr(https ? 8 : 7);
    FUZZ_CHECK(!authority.empty(), "an origin has a host");
    for (unsigned char c : authority) {
      FUZZ_CHECK(c > 0x20 && c < 0x7f && c != '/' && c != '?' && c != '#' && c != '@' && c != '%' && c != '\\' &&
                     !(c >= 'A' && c <= 'Z'),
                 "nothing after host[:port], lower-case: " + o.origin);
    }
    if (http) {
      const size_t colon = authority.front() == '[' ? authority.find(']') + 1 : authority.find(':');
      FUZZ_CHECK(IsLoopbackHost(authority.substr(0, colon)), "plain http only to loopback: " + o.origin);
    }
    const std::string& path = o.base_path;
    FUZZ_CHECK(path.size() <= switchboard::kMaxAuthorizedBasePathBytes, "a base path within its limit");
    if (!path.empty()) {
      FUZZ_CHECK(path.front() == '/' && path.back() != '/', "a base path from '/', no trailing '/'");
      const std::string padded = path + "/";
      FUZZ_CHECK(padded.find("//") == std::string::npos && padded.find("/./") == std::string::npos &&
                     padded.find("/../") == std::string::npos,
                 "a base path cannot climb: " + path);
    }
  }
  size_t header_bytes = 0;
  for (const auto& [name, value] : a.headers) {
    header_bytes += name.size() + value.size();
    FUZZ_CHECK(!name.empty() && name != "host" && name != "content-length" && name != "transfer-encoding" &&
                   name.rfind("proxy-", 0) != 0,
               "no header the host controls: " + name);
    FUZZ_CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string::npos,
               "no header value that starts another header");
  }
  FUZZ_CHECK(header_bytes <= switchboard::kMaxAuthorizationHeaderBytes, "headers within their limit");
  FUZZ_CHECK(a.query.size() <= switchboard::kMaxAuthorizationQueryParameters, "query within its limit");
  FUZZ_CHECK(a.config_update.is_object() && a.config_update.size() <= switchboard::kMaxConfigUpdateMembers,
             "config_update an object within its limit");
  for (const auto& member : a.config_update) FUZZ_CHECK(member.is_string(), "config_update values are strings");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto parsed = switchboard::ParseBoundedJson(std::string_view(reinterpret_cast<const char*>(data), size),
                                              switchboard::kAuthorizeStepOutputLimits);
  if (!parsed.ok()) return 0;
  std::optional<AuthorizeStep> step;
  try {
    step = AuthorizeStep::FromJson(*parsed);
  } catch (const std::exception&) {
    return 0;  // malformed: the host says plugin_output_invalid
  }
  const int kinds = int(step->request().has_value()) + int(step->authorization().has_value()) +
                    int(step->refusal().has_value());
  FUZZ_CHECK(kinds == 1, "a step is exactly one of request, grant, refusal");
  if (step->refusal()) {
    FUZZ_CHECK(step->refusal()->outcome != switchboard::Outcome::kValid, "a refusal is never valid");
  }
  if (!step->authorization()) return 0;
  const auto status = switchboard::CheckAuthorization(*step->authorization());
  if (!status.ok()) {
    FUZZ_CHECK(status.Is(Code::kPluginOutputInvalid) || status.Is(Code::kTooLarge),
               "a refused grant is plugin_output_invalid or too_large: " + status.ToString());
    FUZZ_CHECK(!status.message().empty(), "a refusal says why");
    return 0;
  }
  CheckAccepted(*step->authorization());
  // What the host keeps of an accepted grant reads back the same.
  const AuthorizeStep again = AuthorizeStep::FromJson(nlohmann::json::parse(step->ToJson().dump()));
  FUZZ_CHECK(again.authorization().has_value(), "a grant reads back as a grant");
  FUZZ_CHECK(switchboard::CheckAuthorization(*again.authorization()).ok(), "a grant read back is accepted again");
  FUZZ_CHECK(nlohmann::json(*again.authorization()) == nlohmann::json(*step->authorization()),
             "a grant reads back the same");
  return 0;
}
