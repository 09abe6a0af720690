// Helpers for OAuth2 refresh-token probes: keeping secrets out of text shown to people. Header-only; used by the Google Calendar and
// Outlook plugins (with <switchboard/oauth2_probe.hpp>), available to any provider.
// ParseObject, StringField (json_util.hpp), StartsWith, EndsWith (text_util.hpp),
// SplitUrl, IsLoopbackHost, IsSafeEndpoint (http_util.hpp), Verdict and RetryAfter
// (probe_result.hpp) are also reachable as oauth:: names.
#ifndef SWITCHBOARD_OAUTH_UTIL_HPP
#define SWITCHBOARD_OAUTH_UTIL_HPP

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <switchboard/http_util.hpp>
#include <switchboard/json_util.hpp>
#include <switchboard/probe.hpp>
#include <switchboard/probe_result.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/text_util.hpp>

namespace switchboard::oauth {

using switchboard::Json;
// Kept here too for plugins written against the first SDK (they were oauth:: helpers).
using switchboard::EndsWith;
using switchboard::IsLoopbackHost;
using switchboard::IsSafeEndpoint;
using switchboard::ParseObject;
using switchboard::RetryAfter;
using switchboard::SplitUrl;
using switchboard::StartsWith;
using switchboard::StringField;
using switchboard::UrlParts;
using switchboard::Verdict;

// `text` with every occurrence of each non-empty secret replaced, so that a provider
// that echoes a credential back cannot leak it into a message or a log line.
// The search goes on after each marker, so a secret that occurs in "[redacted]" itself
// ("dact") cannot be found in it again.
inline std::string Scrub(std::string text, const std::vector<std::string>& secrets) {
  static const std::string kMarker = "[redacted]";
  for (const auto& secret : secrets) {
    if (secret.size() < 4) continue;  // too short to be a credential; would mangle text
    for (auto at = text.find(secret); at != std::string::npos;
         at = text.find(secret, at + kMarker.size())) {
      text.replace(at, secret.size(), kMarker);
    }
  }
  return text;
}

// The first line of a provider's free-text description, bounded in length. The cut
// falls between characters: one inside a UTF-8 sequence would leave text the verdict
// cannot be serialized with (the probe would end as plugin_error).
inline std::string Excerpt(const std::string& text, size_t limit = 200) {
  std::string line = text.substr(0, text.find_first_of("\r\n"));
  if (line.size() > limit) {
    size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    line = line.substr(0, cut) + "...";
  }
  return line;
}

}  // namespace switchboard::oauth

#endif  // SWITCHBOARD_OAUTH_UTIL_HPP
