// What the store answers with and is asked with: connection rows, list queries and
// their pages, pages of status events. Domain types only; no storage code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/records.hpp"

namespace switchboard {

struct ConnectionRow {
  ConnectionRecord record;
  // How many components of each kind reference it, e.g. {"flow": 2}; a kind with no
  // reference is absent.
  std::map<std::string, int64_t> references_by_kind;
};

struct ConnectionQuery {
  std::string status;    // "" for any
  std::string provider;  // "" for any
  std::string q;         // case-insensitive substring of the name, "" for any
  size_t limit = 50;
  std::string after;     // position from the previous page's next_after, "" for the start
};

// What the index rows tell of a connection without reading it.
struct ConnectionKey {
  std::string id;
  std::string provider;
};

struct ConnectionPage {
  std::vector<ConnectionRow> items;  // ordered by name, case-insensitively
  std::string next_after;            // "" when this is the last page
  // Rows were left out because stored data failed its checksum (items holds what was
  // readable; past an unreadable stretch of the index the page ends).
  bool partial = false;
};

struct EventPage {
  std::vector<StatusEvent> items;  // newest first
  std::string next_after;          // "" when this is the last page
  std::string last_sequence;
};

}  // namespace switchboard
