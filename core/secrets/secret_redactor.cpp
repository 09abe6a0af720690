#include "secrets/secret_redactor.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <functional>
#include <span>
#include <utility>
#include <switchboard/text_util.hpp>

#include "secrets/encoding.hpp"

namespace switchboard {
namespace {

using nlohmann::json;

constexpr size_t kMaxScannedBody = 64 * 1024;  // token answers are small; lists are not read
constexpr int kMaxDepth = 16;

bool IsTokenChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

std::string LowerAscii(std::string_view text) { return Lower(std::string(text)); }

// Percent-encodings: `all` encodes every non-alphanumeric byte, otherwise RFC 3986
// unreserved characters stay; `plus` writes a space as '+'.
std::string PercentEncode(std::string_view text, bool all, bool upper, bool plus) {
  const char* hex = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    const bool unreserved = c == '-' || c == '.' || c == '_' || c == '~';
    if (std::isalnum(c) || (!all && unreserved)) {
      out.push_back(static_cast<char>(c));
    } else if (c == ' ' && plus) {
      out.push_back('+');
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xF]);
    }
  }
  return out;
}

std::vector<std::string> PercentSpellings(std::string_view text) {
  std::vector<std::string> out;
  for (bool all : {false, true}) {
    for (bool upper : {true, false}) {
      for (bool plus : {false, true}) out.push_back(PercentEncode(text, all, upper, plus));
    }
  }
  return out;
}

std::vector<std::string> JsonSpellings(std::string_view text) {
  std::vector<std::string> out;
  for (bool ascii : {false, true}) {
    std::string dumped = json(std::string(text)).dump(-1, ' ', ascii, json::error_handler_t::replace);
    dumped = dumped.substr(1, dumped.size() - 2);
    std::string slashed;
    for (char c : dumped) {
      if (c == '/') slashed += "\\/";
      else slashed.push_back(c);
    }
    out.push_back(std::move(dumped));
    out.push_back(std::move(slashed));
  }
  return out;
}

std::string ToStandardAlphabet(std::string text) {
  for (char& c : text) {
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  return text;
}

std::string Base64Url(std::string_view bytes) {
  auto data = reinterpret_cast<const unsigned char*>(bytes.data());
  return encoding::Base64UrlEncode(std::span<const unsigned char>(data, bytes.size()));
}

// The spellings of `text` as base64. `embedded` adds, for each of the three byte
// alignments, the characters that depend on `text` alone, so the secret is found inside
// the base64 of a longer value (a Basic "id:secret" credential, a JWT, a signed blob).
std::vector<std::string> Base64Spellings(std::string_view text, bool embedded) {
  std::vector<std::string> url_safe;
  std::string full = Base64Url(text);
  url_safe.push_back(full);
  if (embedded) {
    for (size_t shift = 0; shift < 3; ++shift) {
      std::string padded_bytes(shift, '\0');
      padded_bytes.append(text);
      const std::string encoded = Base64Url(padded_bytes);
      const size_t first = (8 * shift + 5) / 6;                // first char with no filler bits
      const size_t last = (8 * (shift + text.size())) / 6;     // past the last whole char
      if (last > first) url_safe.push_back(encoded.substr(first, last - first));
    }
  }
  std::vector<std::string> out;
  for (const auto& spelling : url_safe) {
    out.push_back(spelling);
    out.push_back(ToStandardAlphabet(spelling));
  }
  std::string padded = ToStandardAlphabet(full);
  while (padded.size() % 4 != 0) padded.push_back('=');
  out.push_back(padded);
  for (const auto& spelling : PercentSpellings(padded)) out.push_back(spelling);  // base64 in a URL
  std::string padded_url = full;
  while (padded_url.size() % 4 != 0) padded_url.push_back('=');
  out.push_back(padded_url);
  return out;
}

// Nesting depth of a JSON text, counted without parsing; stops counting past `limit`.
bool NestsDeeperThan(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

void ForEachParameter(std::string_view text, const std::function<void(std::string, std::string)>& visit) {
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view pair = text.substr(start, end - start);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos) visit(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
    start = end + 1;
  }
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The length of the longest end of `text` that is the start of `secret` cut off (at least
// `shortest` bytes, fewer than the whole secret), or 0. Only places where the secret's
// first byte occurs are compared, so a text costs a scan, not a comparison per length.
size_t CutOffStart(std::string_view text, std::string_view secret, size_t shortest) {
  if (secret.size() <= shortest || text.size() < shortest) return 0;
  const size_t longest = std::min(secret.size() - 1, text.size());
  for (size_t at = text.size() - longest; at + shortest <= text.size(); ++at) {
    at = text.find(secret.front(), at);
    if (at == std::string_view::npos || at + shortest > text.size()) return 0;
    if (secret.starts_with(text.substr(at))) return text.size() - at;
  }
  return 0;
}

}  // namespace

bool IsCredentialName(std::string_view name) {
  const std::string lower = LowerAscii(name);
  for (std::string_view not_a_value : {"_type", "_uri", "_url", "_in", "_at", "_endpoint", "_expires", "_hint"}) {
    if (EndsWith(lower, not_a_value)) return false;
  }
  if (lower.find("token") != std::string::npos || lower.find("secret") != std::string::npos ||
      lower.find("password") != std::string::npos || lower.find("assertion") != std::string::npos) {
    return true;
  }
  return lower == "key" || lower == "apikey" || lower == "api-key" || lower == "x-api-key" ||
         lower == "code_verifier" || lower == "signature" || EndsWith(lower, "_key") || EndsWith(lower, "-key");
}

void SecretRedactor::AddNeedle(std::string text, bool whole_token) {
  if (text.size() < kMinSecretBytes) return;
  text = LowerAscii(text);  // matched without regard to ASCII case
  for (auto& needle : needles_) {
    if (needle.text == text) {
      needle.whole_token = needle.whole_token && whole_token;
      return;
    }
  }
  static_assert(kMinSecretBytes == sizeof(uint32_t));
  uint32_t head = 0;
  std::memcpy(&head, text.data(), sizeof head);
  starting_with_[static_cast<unsigned char>(text.front())].push_back(static_cast<uint32_t>(needles_.size()));
  needles_.push_back({std::move(text), whole_token, head});
}

void SecretRedactor::Add(std::string_view secret) {
  if (secret.size() < kMinSecretBytes) return;
  const bool whole_token = secret.size() < kAnywhereBytes;
  AddNeedle(std::string(secret), whole_token);
  for (auto& spelling : PercentSpellings(secret)) AddNeedle(std::move(spelling), whole_token);
  for (auto& spelling : JsonSpellings(secret)) AddNeedle(std::move(spelling), whole_token);
  std::string snake(secret);  // as a plugin turns provider text into a reason code
  for (char& c : snake) c = IsTokenChar(c) ? c : '_';
  AddNeedle(std::move(snake), whole_token);
  for (auto& spelling : Base64Spellings(secret, !whole_token)) AddNeedle(std::move(spelling), whole_token);
}

void SecretRedactor::AddFields(const json& config, const std::vector<std::string>& fields) {
  if (!config.is_object()) return;
  for (const auto& field : fields) {
    auto it = config.find(field);
    if (it != config.end() && it->is_string()) Add(it->get<std::string>());
  }
}

void SecretRedactor::AddFromRequest(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name == "authorization" || name == "proxy-authorization") {
      const size_t space = value.find(' ');
      const std::string credential = space == std::string::npos ? value : value.substr(space + 1);
      Add(credential);
      if (LowerAscii(value.substr(0, space)) == "basic") {
        if (auto decoded = encoding::Base64DecodeLenient(credential)) {
          const std::string pair(decoded->begin(), decoded->end());
          Add(pair);
          const size_t colon = pair.find(':');
          if (colon != std::string::npos) Add(pair.substr(colon + 1));
        }
      }
    } else if (IsCredentialName(name)) {
      Add(value);
    }
  }
  auto add_parameter = [this](std::string name, std::string value) {
    if (IsCredentialName(PercentDecode(name))) {
      Add(PercentDecode(value));
      Add(value);
    }
  };
  const size_t query = request.url.find('?');
  if (query != std::string::npos) {
    ForEachParameter(std::string_view(request.url).substr(query + 1, request.url.find('#', query) - query - 1),
                     add_parameter);
  }
  const std::string body = request.body.substr(0, kMaxScannedBody);
  if (!body.empty() && (body.front() == '{' || body.front() == '[')) {
    if (!NestsDeeperThan(body, kMaxDepth)) AddFromJson(json::parse(body, nullptr, false));
  } else {
    ForEachParameter(body, add_parameter);
  }
}

void SecretRedactor::AddFromResponse(const HttpResponse& response) {
  if (response.body.size() > kMaxScannedBody || NestsDeeperThan(response.body, kMaxDepth)) return;
  AddFromJson(json::parse(response.body, nullptr, false));
}

void SecretRedactor::AddFromJson(const json& value) {
  std::function<void(const json&, int)> visit = [&](const json& node, int depth) {
    if (depth > kMaxDepth) return;
    if (node.is_object()) {
      for (auto it = node.begin(); it != node.end(); ++it) {
        if (it->is_string() && IsCredentialName(it.key())) Add(it->get<std::string>());
        else if (it->is_structured()) visit(*it, depth + 1);
      }
    } else if (node.is_array()) {
      for (const auto& item : node) visit(item, depth + 1);
    }
  };
  visit(value, 0);
}

std::vector<std::pair<size_t, size_t>> SecretRedactor::SpansOf(std::string_view text) const {
  std::vector<std::pair<size_t, size_t>> spans;  // [begin, end) to redact
  if (needles_.empty() || text.empty()) return spans;
  const std::string lowered = LowerAscii(text);
  text = lowered;  // same length and offsets; needles are lower case too
  for (size_t at = 0; at + kMinSecretBytes <= text.size(); ++at) {  // no needle is shorter
    const auto& candidates = starting_with_[static_cast<unsigned char>(text[at])];
    if (candidates.empty()) continue;
    uint32_t window = 0;
    std::memcpy(&window, text.data() + at, sizeof window);
    for (uint32_t index : candidates) {
      const Needle& needle = needles_[index];
      if (needle.head != window || text.compare(at, needle.text.size(), needle.text) != 0) continue;
      const size_t end = at + needle.text.size();
      if (needle.whole_token) {
        const bool starts = at == 0 || !IsTokenChar(text[at - 1]) || !IsTokenChar(needle.text.front());
        const bool ends = end == text.size() || !IsTokenChar(text[end]) || !IsTokenChar(needle.text.back());
        if (!starts || !ends) continue;
      }
      spans.emplace_back(at, end);
    }
  }
  // A text cut short inside a secret (an excerpt) ends with the secret's beginning.
  std::string_view body = text;
  bool ellipsis = false;
  for (std::string_view mark : {"...", "\xE2\x80\xA6"}) {
    if (EndsWith(body, mark)) {
      body.remove_suffix(mark.size());
      ellipsis = true;
      break;
    }
  }
  const size_t shortest = ellipsis ? kMinSecretBytes : kAnywhereBytes;
  for (const auto& needle : needles_) {
    if (needle.whole_token) continue;
    if (const size_t cut = CutOffStart(body, needle.text, shortest)) spans.emplace_back(body.size() - cut, body.size());
  }
  std::sort(spans.begin(), spans.end());
  return spans;
}

std::string SecretRedactor::Redact(std::string_view text) const { return Replaced(text, SpansOf(text)); }

void SecretRedactor::RedactInPlace(std::string& text) const {
  const auto spans = SpansOf(text);
  if (!spans.empty()) text = Replaced(text, spans);
}

bool SecretRedactor::Holds(std::string_view text) const { return !SpansOf(text).empty(); }

std::string SecretRedactor::Replaced(std::string_view text, const std::vector<std::pair<size_t, size_t>>& spans) {
  if (spans.empty()) return std::string(text);
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < spans.size();) {
    size_t begin = spans[i].first;
    size_t end = spans[i].second;
    for (++i; i < spans.size() && spans[i].first <= end; ++i) end = std::max(end, spans[i].second);
    out.append(text.substr(copied, begin - copied));
    out.append(kMark);
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

void SecretRedactor::Redact(ProbeResult& result) const {
  result.reason = Redact(result.reason);
  result.message = Redact(result.message);
  result.field = Redact(result.field);
}

}  // namespace switchboard
