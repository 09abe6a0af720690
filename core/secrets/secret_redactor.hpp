// Removes a connection's secrets from everything a probe derives from a provider's reply,
// and from whatever a plugin logs while it works on that connection's config.
//
// Plugins copy provider text into a verdict's reason and message; a provider that quotes
// the request (an echoed key, a form body, a URL) would put a credential there, and from
// there into last_probe, status_reason, history, events, webhooks and API responses. The
// probe runner feeds this redactor every secret it can see during one probe (the secret
// fields, a config update's secret values, credentials in the requests the plugin asked
// for, tokens in the provider's answers and in the plugin's state) and redacts the
// verdict once, after the plugin, so no plugin has to get it right.
//
// Each secret is looked for in every spelling a host or plugin may have used: raw;
// percent-encoded (upper- and lower-case hex, every non-alphanumeric or only RFC 3986
// reserved characters, space as %20 or +); JSON-escaped (\uXXXX and \/ forms too);
// with each non-alphanumeric byte as '_' (a reason code made from provider text);
// base64 and base64url, padded or not, including the secret's part of a longer base64
// text such as a Basic `id:secret` credential (all three byte alignments). A text cut
// off in the middle of a secret (a plugin's excerpt) has the cut-off start redacted too.
// Matching ignores ASCII case (a plugin may have lower-cased the text).
//
// Short values: a secret of fewer than kMinSecretBytes bytes is not looked for (it would
// match ordinary words and digits, and is guessable anyway); one shorter than
// kAnywhereBytes is redacted only as a whole token (not inside a longer run of letters
// and digits), so a 5-letter secret does not turn every word containing it into
// "[redacted]"; longer ones are redacted wherever they occur.
// THREADS: adding is not synchronized (one redactor belongs to one probe or one call);
// Redact is const and may run on any thread once nothing is added any more.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/probe.hpp>

namespace switchboard {

class SecretRedactor {
 public:
  static constexpr size_t kMinSecretBytes = 4;
  static constexpr size_t kAnywhereBytes = 8;
  static constexpr std::string_view kMark = "[redacted]";

  // One secret value, in all its encodings.
  void Add(std::string_view secret);
  // The values of `fields` (the provider's secret fields) in `config`.
  void AddFields(const nlohmann::json& config, const std::vector<std::string>& fields);
  // Credentials a probe request carries: the Authorization header (Bearer, Basic with its
  // decoded parts, or any other scheme), API-key headers, and credential-named query and
  // form parameters.
  void AddFromRequest(const HttpRequest& request);
  // Credentials in a JSON answer (access_token, refresh_token, id_token...).
  void AddFromResponse(const HttpResponse& response);
  // Credential-named string members of a plugin's probe state, at any depth.
  void AddFromJson(const nlohmann::json& value);

  std::string Redact(std::string_view text) const;
  // The same, in place: a text without a secret (the usual answer) is not copied.
  void RedactInPlace(std::string& text) const;
  // Whether Redact would change `text`.
  bool Holds(std::string_view text) const;
  // Redacts the verdict's reason, message and field (not config_update: it is stored sealed).
  void Redact(ProbeResult& result) const;

  size_t needle_count() const { return needles_.size(); }

 private:
  struct Needle {
    std::string text;
    bool whole_token;
    uint32_t head;  // its first kMinSecretBytes bytes, compared as one word before the rest
  };
  void AddNeedle(std::string text, bool whole_token);
  // Where `text` holds a secret: [begin, end) spans, sorted, possibly overlapping.
  std::vector<std::pair<size_t, size_t>> SpansOf(std::string_view text) const;
  // `text` with each of `spans` (merged where they overlap) replaced by kMark.
  static std::string Replaced(std::string_view text, const std::vector<std::pair<size_t, size_t>>& spans);

  std::vector<Needle> needles_;
  // needles_ by their first byte: one pass over a text compares, at each byte, only the
  // needles that start with it (an answer of megabytes costs one scan, not one per needle).
  std::array<std::vector<uint32_t>, 256> starting_with_;
};

// Whether a parameter, header or JSON member of this name carries a credential.
bool IsCredentialName(std::string_view name);

}  // namespace switchboard
