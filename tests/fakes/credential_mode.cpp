#include "credential_mode.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <utility>
#include <vector>

namespace fakes {
namespace {

struct Word {
  std::string_view text;
  Mode mode;
};

constexpr Word kWords[] = {
    {"revoked", Mode::kRevoked},          {"expired", Mode::kExpired},
    {"grantexpired", Mode::kGrantExpired}, {"malformed", Mode::kMalformed},
    {"rapt", Mode::kRapt},                {"otherclient", Mode::kOtherClient},
    {"mfa", Mode::kMfa},                  {"noscope", Mode::kNoScope},
    {"narrowscope", Mode::kNarrowScope},  {"region", Mode::kRegion},
    {"ratelimited", Mode::kRateLimited},  {"userratelimited", Mode::kUserRateLimited},
    {"memberlimit", Mode::kMemberLimit},  {"keylimit", Mode::kKeyLimit},
    {"billing", Mode::kBilling},          {"servererror", Mode::kServerError},
    {"down", Mode::kDown},                {"tokendown", Mode::kTokenDown},
    {"badaccess", Mode::kBadAccess},      {"401once", Mode::kUnauthorizedOnce},
    {"expiring", Mode::kExpiring},        {"rotate", Mode::kRotate},
    {"echo", Mode::kEcho},                {"redirect", Mode::kRedirect},
};

// Longest first, so "userratelimited" is not read as "ratelimited".
const std::vector<Word>& WordsLongestFirst() {
  static const std::vector<Word> words = [] {
    std::vector<Word> sorted(std::begin(kWords), std::end(kWords));
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Word& a, const Word& b) { return a.text.size() > b.text.size(); });
    return sorted;
  }();
  return words;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Strips "slow" or "slow<digits>" (and a hyphen before it) off the end of `text`.
std::optional<int> TakeSlow(std::string_view& text, int default_slow_ms) {
  size_t digits = 0;
  while (digits < text.size() &&
         std::isdigit(static_cast<unsigned char>(text[text.size() - 1 - digits]))) {
    ++digits;
  }
  std::string_view head = text.substr(0, text.size() - digits);
  // More than six digits (over 16 minutes) is not a delay anyone means, and would
  // overflow stoi.
  if (!EndsWith(head, "slow") || digits > 6) return std::nullopt;
  int ms = default_slow_ms;
  if (digits > 0) {
    ms = std::stoi(std::string(text.substr(text.size() - digits)));
  }
  head.remove_suffix(4);
  if (EndsWith(head, "-")) head.remove_suffix(1);
  text = head;
  return ms;
}

// Strips "shortlived" (and a hyphen before it) off the end of `text`.
bool TakeShortLived(std::string_view& text) {
  constexpr std::string_view kShortLived = "shortlived";
  if (!EndsWith(text, kShortLived)) return false;
  text.remove_suffix(kShortLived.size());
  if (EndsWith(text, "-")) text.remove_suffix(1);
  return true;
}

}  // namespace

CredentialMode ParseCredential(std::string_view credential, int default_slow_ms) {
  CredentialMode result;
  // The modifiers come after the word, in either order.
  for (bool stripped = true; stripped;) {
    stripped = false;
    if (!result.slow_ms) {
      result.slow_ms = TakeSlow(credential, default_slow_ms);
      stripped = result.slow_ms.has_value();
    }
    if (!result.short_lived && TakeShortLived(credential)) {
      result.short_lived = true;
      stripped = true;
    }
  }
  for (const Word& word : WordsLongestFirst()) {
    if (EndsWith(credential, word.text)) {
      result.mode = word.mode;
      break;
    }
  }
  return result;
}

std::string_view ModeName(Mode mode) {
  if (mode == Mode::kValid) return "valid";
  for (const Word& word : kWords) {
    if (word.mode == mode) return word.text;
  }
  return "valid";
}

}  // namespace fakes
