#include "service/admin_token.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "secrets/tokens.hpp"
#include "store/store.hpp"

namespace switchboard {
namespace {

constexpr const char* kMetaKey = "admin_token_hash";

// Creates `file` readable only by its owner from the first byte on.
Status WritePrivateFile(const std::filesystem::path& file, const std::string& content) {
  std::filesystem::path temp = file.string() + ".tmp";
  ::unlink(temp.c_str());
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Error(Code::kIoError, "cannot create " + temp.string());
  bool ok = ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), file.c_str()) != 0) {
    ::unlink(temp.c_str());
    return Status::Error(Code::kIoError, "cannot write " + file.string());
  }
  return Status::Ok();
}

}  // namespace

Result<AdminToken> EnsureAdminToken(Store& store, const std::filesystem::path& data_dir) {
  AdminToken admin;
  if (const char* given = std::getenv("SWITCHBOARD_ADMIN_TOKEN"); given != nullptr && *given != '\0') {
    admin.hash = HashToken(given);
    if (Status s = store.PutMeta(kMetaKey, admin.hash); !s.ok()) return s;
    return admin;
  }
  admin.file = data_dir / "admin.token";
  auto stored = store.GetMeta(kMetaKey);
  if (!stored.ok()) return stored.status();
  std::ifstream existing(admin.file);
  if (*stored && existing) {
    std::stringstream text;
    text << existing.rdbuf();
    std::string token = text.str();
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
    if (TokenMatches(token, **stored)) {
      admin.hash = **stored;
      return admin;
    }
  }
  // First start, or the file is gone or stale: issue a new server admin token.
  IssuedToken issued = IssueToken();
  if (Status s = WritePrivateFile(admin.file, issued.token + "\n"); !s.ok()) return s;
  if (Status s = store.PutMeta(kMetaKey, issued.hash); !s.ok()) return s;
  admin.hash = issued.hash;
  admin.generated = true;
  return admin;
}

}  // namespace switchboard
