// What a reader notes to know whether the store changed since (Store::CurrentChangeToken, ConnectionService::CurrentChangeToken).
#pragma once

#include <cstdint>
#include <string>

namespace switchboard {

// Names the state of the store as of a moment: two equal tokens mean no change was
// committed between the two reads, by this process or any other sharing the backend.
// Opaque to callers: compare with == and NewerThan only. Tokens from different opens of
// a store never compare equal (their origins differ), so one kept across a reopen only
// reads as stale.
struct ChangeToken {
  std::string origin;     // the backend's scope for `sequence` (one open of a database...)
  uint64_t sequence = 0;  // grows with every commit within one origin

  bool operator==(const ChangeToken& other) const = default;
  // Whether this token names a later state than `other` (false when they are unrelated).
  bool NewerThan(const ChangeToken& other) const { return origin == other.origin && sequence > other.sequence; }
};

}  // namespace switchboard
