#include "plugins/runner/channel_frames.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace switchboard::runner {
namespace {

void PutU32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
}

uint32_t GetU32(const char* p) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(p[i]);
  return value;
}

bool KnownType(uint8_t type) { return (type >= 1 && type <= 5) || (type >= 0x80 && type <= 0x85); }

}  // namespace

std::string EncodeFrame(uint32_t id, FrameType type, std::string_view payload) {
  std::string frame;
  frame.reserve(kFrameHeaderBytes + payload.size());
  PutU32(frame, static_cast<uint32_t>(payload.size() + 5));
  PutU32(frame, id);
  frame.push_back(static_cast<char>(type));
  frame.append(payload);
  return frame;
}

bool SendAll(int fd, std::string_view bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

Result<std::optional<Frame>> FrameReader::Next() {
  if (buffered() < kFrameHeaderBytes) return std::optional<Frame>();
  const char* head = buffer_.data() + offset_;
  const uint32_t length = GetU32(head);
  if (length < 5 || length - 5 > max_payload_) {
    return Status::Error(Code::kBadFrame, "a frame of " + std::to_string(length) + " bytes is over the limit");
  }
  const auto type = static_cast<uint8_t>(head[8]);
  if (!KnownType(type)) return Status::Error(Code::kBadFrame, "a frame of unknown type " + std::to_string(type));
  if (buffered() < 4 + size_t{length}) return std::optional<Frame>();
  Frame frame;
  frame.id = GetU32(head + 4);
  frame.type = static_cast<FrameType>(type);
  frame.payload.assign(head + kFrameHeaderBytes, length - 5);
  offset_ += 4 + size_t{length};
  // Compact now and then, so a long-lived reader does not grow without bound.
  if (offset_ > (1u << 16) && offset_ * 2 > buffer_.size()) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  return std::optional<Frame>(std::move(frame));
}

}  // namespace switchboard::runner
