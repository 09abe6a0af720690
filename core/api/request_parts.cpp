#include "api/request_parts.hpp"

#include <cstdlib>

#include "api/cursor.hpp"

namespace switchboard::api {

bool ParseLimit(Call& call, size_t& limit) {
  const std::string text = call.query("limit");
  if (text.empty()) return true;
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (*end != '\0' || n < 1 || n > 200) {
    call.Fail(400, "bad_parameter", "limit must be a whole number from 1 to 200",
              {{"limit", "out_of_range", "limit must be from 1 to 200."}});
    return false;
  }
  limit = static_cast<size_t>(n);
  return true;
}

bool ParseCursor(Call& call, std::string& after) {
  const std::string cursor = call.query("cursor");
  if (cursor.empty()) return true;
  auto position = DecodeCursor(cursor);
  if (!position) {
    call.Fail(400, "bad_cursor", "the cursor is not one this server issued");
    return false;
  }
  after = *position;
  return true;
}

}  // namespace switchboard::api
