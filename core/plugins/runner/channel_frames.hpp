// The frames the host and a plugin runner exchange over their socketpair:
//   u32 length (big-endian, of everything after it) | u32 call id | u8 type | payload
// Payloads are the plugin's JSON verbatim (or text), so nothing is parsed twice and the
// host's checks of a plugin's output (plugin_limits.hpp) see exactly what the plugin
// wrote. Either side refuses a frame over its limit: the stream cannot be trusted after.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace switchboard::runner {

enum class FrameType : uint8_t {
  // host -> runner: a call of a provider function (payload: its JSON input)
  kDescribe = 1,
  kValidate = 2,
  kProbeStep = 3,
  kAuthorizeStep = 4,     // ABI 1.1; sent only to a plugin whose hello lists it
  kClassifyResponse = 5,  // ABI 1.1; likewise
  // runner -> host
  kOk = 0x80,           // the function returned SB_OK; payload: its output
  kPluginError = 0x81,  // it returned SB_ERROR; payload: its output
  kFailure = 0x82,      // the runner could not make the call; payload: why (text)
  kLog = 0x83,          // a line the plugin logged during call `id` (0: outside a call);
                        // payload: one byte sb_log_level, then the text
  kHello = 0x84,        // id 0, once, after loading: {"abi_version", "sandbox",
                        // "functions": [the table's optional functions it has, by name:
                        // "authorize_step", "classify_response"]} or
                        // {"refused": <loader reason>, "message"}
  kTooLarge = 0x85,     // the output was over the limit; payload: its size in decimal
};

struct Frame {
  uint32_t id = 0;
  FrameType type = FrameType::kOk;
  std::string payload;
};

inline constexpr size_t kFrameHeaderBytes = 9;
// The most either side sends: a plugin's output is at most 1 MiB (plugin_limits.hpp),
// a call's input (a probe step with a provider's reply) a few MiB.
inline constexpr size_t kMaxFramePayloadBytes = 8u << 20;

std::string EncodeFrame(uint32_t id, FrameType type, std::string_view payload);

// Sends all of `bytes` on the stream socket `fd` (retrying after signals, never raising
// SIGPIPE); false once the peer is gone. Callers serialize their writes.
bool SendAll(int fd, std::string_view bytes);

// Splits a byte stream into frames.
class FrameReader {
 public:
  explicit FrameReader(size_t max_payload = kMaxFramePayloadBytes) : max_payload_(max_payload) {}
  void Append(const char* data, size_t size) { buffer_.append(data, size); }
  // The next whole frame; nullopt when more bytes are needed; "bad_frame" when the
  // stream is broken (a length over the limit, an unknown type).
  Result<std::optional<Frame>> Next();
  size_t buffered() const { return buffer_.size() - offset_; }

 private:
  size_t max_payload_;
  std::string buffer_;
  size_t offset_ = 0;
};

}  // namespace switchboard::runner
