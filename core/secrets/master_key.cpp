#include "secrets/master_key.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

#include "secrets/crypto_util.hpp"
#include "secrets/encoding.hpp"

namespace switchboard {
namespace {

constexpr const char* kBadKeyMessage =
    "master key must be 32 bytes, as 64 hex characters or base64";
// A key file is one line; anything much longer is not a key file.
constexpr size_t kMaxKeyFileBytes = 4096;

// Clears a buffer that held key material when it goes out of scope.
template <typename Buffer>
class CleanseOnExit {
 public:
  explicit CleanseOnExit(Buffer& buffer) : buffer_(buffer) {}
  ~CleanseOnExit() {
    if (!buffer_.empty()) OPENSSL_cleanse(buffer_.data(), buffer_.size());
  }
  CleanseOnExit(const CleanseOnExit&) = delete;
  CleanseOnExit& operator=(const CleanseOnExit&) = delete;

 private:
  Buffer& buffer_;
};

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Closes now and reports whether the close succeeded (a late write error shows here).
  bool Close() {
    int fd = fd_;
    fd_ = -1;
    return ::close(fd) == 0;
  }

 private:
  int fd_;
};

std::string_view Trim(std::string_view text) {
  const char* kSpace = " \t\r\n\f\v";
  size_t start = text.find_first_not_of(kSpace);
  if (start == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kSpace);
  return text.substr(start, end - start + 1);
}

std::string ErrnoText(int error) { return std::generic_category().message(error); }

std::string ModeText(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof(text), "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

Status WithSource(const Status& status, const std::string& source) {
  return Status::Error(status.code(), source + ": " + status.message());
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t written = ::write(fd, data.data(), data.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return Status::Error(Code::kKeyFileUnwritable, ErrnoText(errno));
    }
    data.remove_prefix(static_cast<size_t>(written));
  }
  return Status::Ok();
}

// Makes the directory entry of a new file durable.
Status SyncDirectory(const std::filesystem::path& dir) {
  FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) {
    return Status::Error(Code::kKeyFileUnwritable,
                         "cannot sync directory " + dir.string() + ": " + ErrnoText(errno));
  }
  return Status::Ok();
}

Result<MasterKey> ReadKeyFile(const std::filesystem::path& file, int fd) {
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    return Status::Error(Code::kKeyFileUnreadable, file.string() + ": " + ErrnoText(errno));
  }
  if (!S_ISREG(info.st_mode)) {
    return Status::Error(Code::kKeyFileUnreadable, file.string() + " is not a regular file");
  }
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status::Error(Code::kInsecureKeyFile,
                         file.string() + " has mode " + ModeText(info.st_mode) +
                             ", which lets group or others access the master key; run "
                             "chmod 600 " +
                             file.string() + " and start again");
  }
  std::string content(kMaxKeyFileBytes + 1, '\0');
  CleanseOnExit cleanse(content);
  size_t filled = 0;
  while (filled < content.size()) {
    ssize_t got = ::read(fd, content.data() + filled, content.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      return Status::Error(Code::kKeyFileUnreadable, file.string() + ": " + ErrnoText(errno));
    }
    if (got == 0) break;
    filled += static_cast<size_t>(got);
  }
  Result<MasterKey> key = ParseMasterKey(std::string_view(content.data(), filled));
  if (!key.ok()) return WithSource(key.status(), file.string());
  return key;
}

Result<MasterKey> CreateKeyFile(const std::filesystem::path& file) {
  std::array<unsigned char, 32> bytes{};
  CleanseOnExit cleanse_bytes(bytes);
  if (Status status = crypto::FillRandom(bytes); !status.ok()) return status;
  std::string text = encoding::HexEncode(bytes) + "\n";
  CleanseOnExit cleanse_text(text);

  std::array<unsigned char, 8> suffix{};
  if (Status status = crypto::FillRandom(suffix); !status.ok()) return status;
  std::filesystem::path temp = file;
  temp += ".tmp-" + encoding::HexEncode(suffix);

  // 0600 from the first instant: the mode is given to open(), never set afterwards.
  FileDescriptor fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                           S_IRUSR | S_IWUSR));
  if (!fd.valid()) {
    return Status::Error(Code::kKeyFileUnwritable,
                         "cannot create " + temp.string() + ": " + ErrnoText(errno));
  }
  Status written = WriteAll(fd.get(), text);
  if (written.ok() && ::fsync(fd.get()) != 0) {
    written = Status::Error(Code::kKeyFileUnwritable, ErrnoText(errno));
  }
  if (written.ok() && !fd.Close()) {
    written = Status::Error(Code::kKeyFileUnwritable, ErrnoText(errno));
  }
  if (!written.ok()) {
    ::unlink(temp.c_str());
    return WithSource(written, "cannot write " + temp.string());
  }

  // link() fails when the name exists, so a key another process created first wins.
  int link_result = ::link(temp.c_str(), file.c_str());
  int link_errno = errno;
  ::unlink(temp.c_str());
  if (link_result != 0) {
    if (link_errno == EEXIST) return LoadOrCreateMasterKeyFile(file);
    return Status::Error(Code::kKeyFileUnwritable,
                         "cannot create " + file.string() + ": " + ErrnoText(link_errno));
  }
  std::filesystem::path dir = file.parent_path().empty() ? "." : file.parent_path();
  if (Status synced = SyncDirectory(dir); !synced.ok()) return synced;
  return MasterKeyFromBytes(bytes);
}

}  // namespace

MasterKey MasterKeyFromBytes(const std::array<unsigned char, 32>& bytes) {
  std::string labelled = "switchboard-key-id:";
  labelled.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  crypto::Sha256Digest digest = crypto::Sha256(labelled);
  OPENSSL_cleanse(labelled.data(), labelled.size());
  MasterKey key;
  key.id = encoding::HexEncode(std::span(digest).first(8));
  key.bytes = bytes;
  return key;
}

Result<MasterKey> ParseMasterKey(std::string_view text) {
  text = Trim(text);
  std::optional<encoding::Bytes> decoded;
  if (text.size() == 64) decoded = encoding::HexDecode(text);
  if (!decoded) decoded = encoding::Base64DecodeLenient(text);
  if (decoded) {
    CleanseOnExit cleanse(*decoded);
    if (decoded->size() == 32) {
      std::array<unsigned char, 32> bytes{};
      std::memcpy(bytes.data(), decoded->data(), bytes.size());
      MasterKey key = MasterKeyFromBytes(bytes);
      OPENSSL_cleanse(bytes.data(), bytes.size());
      return key;
    }
  }
  return Status::Error(Code::kInvalidMasterKey, kBadKeyMessage);
}

Result<MasterKey> LoadOrCreateMasterKeyFile(const std::filesystem::path& file) {
  FileDescriptor fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.valid()) return ReadKeyFile(file, fd.get());
  if (errno != ENOENT) {
    return Status::Error(Code::kKeyFileUnreadable, file.string() + ": " + ErrnoText(errno));
  }
  return CreateKeyFile(file);
}

Result<MasterKey> ResolveMasterKey(const std::filesystem::path& data_dir) {
  if (const char* env = std::getenv(kMasterKeyEnv); env != nullptr) {
    Result<MasterKey> key = ParseMasterKey(env);
    if (!key.ok()) return WithSource(key.status(), kMasterKeyEnv);
    return key;
  }
  std::error_code error;
  if (!std::filesystem::exists(data_dir, error)) {
    if (!data_dir.parent_path().empty())
      std::filesystem::create_directories(data_dir.parent_path(), error);
    if (::mkdir(data_dir.c_str(), S_IRWXU) != 0 && errno != EEXIST) {
      return Status::Error(Code::kKeyFileUnwritable, "cannot create data directory " +
                                                      data_dir.string() + ": " + ErrnoText(errno));
    }
  }
  return LoadOrCreateMasterKeyFile(data_dir / kMasterKeyFileName);
}

}  // namespace switchboard
