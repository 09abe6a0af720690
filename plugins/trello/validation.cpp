#include "validation.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <switchboard/text_util.hpp>

namespace trello {
namespace {

using switchboard::FieldError;
using switchboard::Json;
using switchboard::Lower;
using switchboard::StartsWith;

std::string StringField(const Json& config, const char* name) {
  if (!config.is_object() || !config.contains(name) || !config[name].is_string()) return "";
  return config[name].get<std::string>();
}

bool LooksLikeKey(const std::string& text) {
  return text.size() == 32 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
           return std::isxdigit(c) != 0;
         });
}

bool LooksLikeToken(const std::string& text) {
  if (StartsWith(text, "ATTA")) return true;
  return text.size() >= 64 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
           return std::isalnum(c) != 0;
         });
}

// The host part of an absolute URL: no scheme, user info, port or path.
std::string HostOf(const std::string& url) {
  auto start = url.find("://");
  if (start == std::string::npos) return "";
  std::string authority = url.substr(start + 3, url.find_first_of("/?#", start + 3) - start - 3);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);
  if (!authority.empty() && authority.front() == '[') {
    return Lower(authority.substr(0, authority.find(']') + 1));
  }
  return Lower(authority.substr(0, authority.find(':')));
}

// localhost, [::1] or an IPv4 literal in 127.0.0.0/8.
bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "[::1]") return true;
  return StartsWith(host, "127.") &&
         host.find_first_not_of("0123456789.") == std::string::npos;
}

}  // namespace

std::vector<FieldError> ValidateConfig(const Json& config) {
  std::vector<FieldError> errors;
  if (LooksLikeToken(StringField(config, "api_key"))) {
    errors.push_back({"api_key", "token_in_key_field",
                      "This looks like a Trello token. The API key is the 32-character value on "
                      "the API Key tab of the Power-Up admin page."});
  }
  if (LooksLikeKey(StringField(config, "token"))) {
    errors.push_back({"token", "key_in_token_field",
                      "This looks like an API key, not a token. Generate a token with the Token "
                      "link next to your API key."});
  }
  const std::string base_url = StringField(config, "base_url");
  if (StartsWith(Lower(base_url), "http://") && !IsLoopback(HostOf(base_url))) {
    errors.push_back({"base_url", "insecure_url",
                      "Use https: the key and token would cross the network in clear text."});
  }
  return errors;
}

}  // namespace trello
