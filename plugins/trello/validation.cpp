#include "validation.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include <switchboard/http_util.hpp>
#include <switchboard/json_util.hpp>
#include <switchboard/text_util.hpp>

namespace trello {
namespace {

using switchboard::FieldError;
using switchboard::Json;
using switchboard::Lower;
using switchboard::StartsWith;
using switchboard::StringField;

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
  const bool loopback = switchboard::IsLoopbackHost(switchboard::SplitUrl(base_url).host);
  if (StartsWith(Lower(base_url), "http://") && !loopback) {
    errors.push_back({"base_url", "insecure_url",
                      "Use https: the key and token would cross the network in clear text."});
  }
  return errors;
}

}  // namespace trello
