#include "model/records.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace switchboard {

const char* RoleName(Role role) { return role == Role::kAdmin ? "admin" : "member"; }

bool ParseRole(const std::string& text, Role& role) {
  if (text == "admin") role = Role::kAdmin;
  else if (text == "member") role = Role::kMember;
  else return false;
  return true;
}

std::string NowRfc3339() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[40];
  size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", static_cast<int>(ms));
  return text;
}

}  // namespace switchboard
