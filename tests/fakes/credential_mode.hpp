// The credential convention of the fake providers: the end of a credential says which
// answer it gets, so a test picks a provider's behaviour just by the key or token it
// configures. See README.md for the table of words and what each provider answers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fakes {

enum class Mode {
  kValid,            // anything without a known ending
  kRevoked,          // revoked
  kExpired,          // expired
  kGrantExpired,     // grantexpired   (Microsoft AADSTS70008)
  kMalformed,        // malformed      (Google invalid_grant "Bad Request")
  kRapt,             // rapt           (Google reauth policy)
  kOtherClient,      // otherclient    (Google unauthorized_client)
  kMfa,              // mfa            (Microsoft interaction_required)
  kNoScope,          // noscope
  kNarrowScope,      // narrowscope    (token endpoint grants too little)
  kRegion,           // region         (OpenAI unsupported country)
  kRateLimited,      // ratelimited
  kUserRateLimited,  // userratelimited (Google 403 usageLimits)
  kMemberLimit,      // memberlimit    (Trello /1/members/ window)
  kKeyLimit,         // keylimit       (Trello per-key limit)
  kBilling,          // billing        (OpenAI insufficient_quota)
  kServerError,      // servererror    (500; Graph 504)
  kDown,             // down           (503)
  kTokenDown,        // tokendown      (OAuth token endpoint unavailable)
  kBadAccess,        // badaccess      (access tokens always refused by the API)
  kUnauthorizedOnce, // 401once        (first API call refused, then fine)
  kExpiring,         // expiring       (Trello token lapsing in 3 days)
  kRotate,           // rotate         (single-use refresh tokens: each refresh rotates)
  kEcho,             // echo           (the error quotes the credential in every encoding)
  kRedirect,         // redirect       (the use-path API call answers 307 to the capture port)
};

struct CredentialMode {
  Mode mode = Mode::kValid;
  // Extra latency for this credential: "...-slow" (the --slow-ms default) or
  // "...-slow250" (250 ms). It may follow another word: "sk-test-down-slow500".
  std::optional<int> slow_ms;
  // "...-shortlived": access tokens issued from this refresh token live 2 seconds. It may
  // follow another word and precede "-slow": "1//0g-x-rotate-shortlived-slow100".
  bool short_lived = false;
};

// Reads the convention off a credential. The word may follow a hyphen ("sk-test-revoked")
// or not ("ATTA...revoked"), since Trello tokens allow only letters and digits.
CredentialMode ParseCredential(std::string_view credential, int default_slow_ms);

std::string_view ModeName(Mode mode);

}  // namespace fakes
