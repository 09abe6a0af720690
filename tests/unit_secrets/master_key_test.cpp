#include "secrets/master_key.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "scoped_test_env.hpp"
#include "secrets/encoding.hpp"
#include "secrets/sealer.hpp"

namespace {

using switchboard::Code;

using switchboard::LoadOrCreateMasterKeyFile;
using switchboard::MasterKey;
using switchboard::ParseMasterKey;
using switchboard::ResolveMasterKey;
using switchboard::Result;
using switchboard::Sealer;
using switchboard::testing::ScopedEnv;
using switchboard::testing::TempDir;
namespace fs = std::filesystem;

constexpr const char* kBadKeyMessage =
    "master key must be 32 bytes, as 64 hex characters or base64";
// Bytes 0x00..0x1f in the accepted spellings.
constexpr const char* kSequenceHex =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
constexpr const char* kSequenceBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
// The first 16 hex characters of SHA-256("switchboard-key-id:" + bytes), computed with
// Python's hashlib.
constexpr const char* kSequenceId = "3c971e53cca98e9b";
constexpr const char* kZeroId = "cdf69266a1ba1372";

std::array<unsigned char, 32> Sequence() {
  std::array<unsigned char, 32> bytes{};
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i);
  return bytes;
}

mode_t ModeOf(const fs::path& path) {
  struct stat info {};
  REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void WriteFile(const fs::path& path, const std::string& content, mode_t mode) {
  std::ofstream(path, std::ios::binary) << content;
  REQUIRE(::chmod(path.c_str(), mode) == 0);
}

// Restores the process umask on exit.
class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : old_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(old_); }

 private:
  mode_t old_;
};

}  // namespace

TEST_CASE("a master key parses from hex or base64, and its id derives from its bytes",
          "[secrets][master_key]") {
  std::string upper_hex = kSequenceHex;
  for (char& c : upper_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string unpadded = std::string(kSequenceBase64).substr(0, 43);
  for (const std::string& text :
       {std::string(kSequenceHex), upper_hex, "  " + std::string(kSequenceHex) + "\n",
        std::string(kSequenceBase64), unpadded, "\t" + std::string(kSequenceBase64) + "\r\n"}) {
    INFO(text);
    auto key = ParseMasterKey(text);
    REQUIRE(key.ok());
    CHECK(key->bytes == Sequence());
    CHECK(key->id == kSequenceId);
  }
  auto zero = ParseMasterKey(std::string(64, '0'));
  REQUIRE(zero.ok());
  CHECK(zero->id == kZeroId);

  std::array<unsigned char, 32> high{};
  high.fill(0xfb);
  auto url = ParseMasterKey(switchboard::encoding::Base64UrlEncode(high));
  REQUIRE(url.ok());
  CHECK(url->bytes == high);
}

TEST_CASE("a master key of the wrong length or form is refused with one clear message",
          "[secrets][master_key]") {
  std::string hex = kSequenceHex;
  const std::vector<std::string> bad = {
      "",
      "   ",
      hex.substr(0, 62),
      hex + "00",
      std::string(64, 'g'),
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==",  // 31 bytes
      "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8g",  // 33 bytes
      "correct horse battery staple",
      hex.substr(0, 32) + " " + hex.substr(32),
  };
  for (const std::string& text : bad) {
    INFO(text);
    auto key = ParseMasterKey(text);
    REQUIRE_FALSE(key.ok());
    CHECK(key.status().Is(Code::kInvalidMasterKey));
    CHECK(key.status().message() == kBadKeyMessage);
  }
}

TEST_CASE("the key file is created with mode 0600 and reused", "[secrets][master_key]") {
  TempDir dir;
  fs::path file = dir.path() / "master.key";
  Result<MasterKey> created = [&] {
    // Even with a umask that would let everyone read new files.
    ScopedUmask umask(0);
    return LoadOrCreateMasterKeyFile(file);
  }();
  REQUIRE(created.ok());
  CHECK(ModeOf(file) == 0600);
  std::string content = ReadFile(file);
  CHECK(std::regex_match(content, std::regex("[0-9a-f]{64}\n")));
  CHECK(ParseMasterKey(content)->id == created->id);
  // Only the key file remains: the temporary it was written through is gone.
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  auto reused = LoadOrCreateMasterKeyFile(file);
  REQUIRE(reused.ok());
  CHECK(reused->id == created->id);
  CHECK(reused->bytes == created->bytes);
  CHECK(ReadFile(file) == content);

  TempDir other_dir;
  auto other = LoadOrCreateMasterKeyFile(other_dir.path() / "master.key");
  REQUIRE(other.ok());
  CHECK(other->id != created->id);
}

TEST_CASE("a key file open to group or others is refused and left alone", "[secrets][master_key]") {
  TempDir dir;
  fs::path file = dir.path() / "master.key";
  for (mode_t mode : {0640, 0604, 0660, 0644, 0610}) {
    INFO("mode " << std::oct << mode);
    WriteFile(file, std::string(kSequenceHex) + "\n", mode);
    auto key = LoadOrCreateMasterKeyFile(file);
    REQUIRE_FALSE(key.ok());
    CHECK(key.status().Is(Code::kInsecureKeyFile));
    CHECK_THAT(key.status().message(), Catch::Contains(file.string()));
    CHECK_THAT(key.status().message(), Catch::Contains("chmod 600"));
    CHECK(ReadFile(file) == std::string(kSequenceHex) + "\n");
  }
  for (mode_t mode : {0600, 0400}) {
    REQUIRE(::chmod(file.c_str(), mode) == 0);
    auto key = LoadOrCreateMasterKeyFile(file);
    REQUIRE(key.ok());
    CHECK(key->id == kSequenceId);
  }
}

TEST_CASE("a key file that is not a key is refused, naming the file", "[secrets][master_key]") {
  TempDir dir;
  fs::path file = dir.path() / "master.key";
  WriteFile(file, "not a key\n", 0600);
  auto garbage = LoadOrCreateMasterKeyFile(file);
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.status().Is(Code::kInvalidMasterKey));
  CHECK_THAT(garbage.status().message(), Catch::Contains(file.string()));
  CHECK_THAT(garbage.status().message(), Catch::Contains(kBadKeyMessage));

  fs::create_directory(dir.path() / "a_directory");
  ::chmod((dir.path() / "a_directory").c_str(), 0700);
  auto directory = LoadOrCreateMasterKeyFile(dir.path() / "a_directory");
  REQUIRE_FALSE(directory.ok());
  CHECK(directory.status().Is(Code::kKeyFileUnreadable));

  auto no_parent = LoadOrCreateMasterKeyFile(dir.path() / "missing" / "master.key");
  REQUIRE_FALSE(no_parent.ok());
  CHECK(no_parent.status().Is(Code::kKeyFileUnwritable));
}

TEST_CASE("processes racing to create the key file all get the same key", "[secrets][master_key]") {
  TempDir dir;
  fs::path file = dir.path() / "master.key";
  std::vector<std::string> ids(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < ids.size(); ++i) {
    threads.emplace_back([&, i] {
      auto key = LoadOrCreateMasterKeyFile(file);
      ids[i] = key.ok() ? key->id : key.status().ToString();
    });
  }
  for (std::thread& thread : threads) thread.join();
  auto on_disk = ParseMasterKey(ReadFile(file));
  REQUIRE(on_disk.ok());
  CHECK(ids == std::vector<std::string>(ids.size(), on_disk->id));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);
}

TEST_CASE("SWITCHBOARD_MASTER_KEY takes precedence, in hex or base64", "[secrets][master_key]") {
  TempDir dir;
  for (const char* text : {kSequenceHex, kSequenceBase64}) {
    ScopedEnv env("SWITCHBOARD_MASTER_KEY", std::string(text));
    auto key = ResolveMasterKey(dir.path());
    REQUIRE(key.ok());
    CHECK(key->id == kSequenceId);
    CHECK(key->bytes == Sequence());
    CHECK_FALSE(fs::exists(dir.path() / "master.key"));
  }
}

TEST_CASE("a bad SWITCHBOARD_MASTER_KEY is an error, not a fallback to the file",
          "[secrets][master_key]") {
  TempDir dir;
  for (const std::string& text : {std::string(kSequenceHex).substr(2), std::string()}) {
    ScopedEnv env("SWITCHBOARD_MASTER_KEY", text);
    auto key = ResolveMasterKey(dir.path());
    REQUIRE_FALSE(key.ok());
    CHECK(key.status().Is(Code::kInvalidMasterKey));
    CHECK(key.status().message() == std::string("SWITCHBOARD_MASTER_KEY: ") + kBadKeyMessage);
    CHECK_FALSE(fs::exists(dir.path() / "master.key"));
  }
}

TEST_CASE("without SWITCHBOARD_MASTER_KEY the key lives in <data_dir>/master.key",
          "[secrets][master_key]") {
  ScopedEnv env("SWITCHBOARD_MASTER_KEY", std::nullopt);
  TempDir dir;
  fs::path data_dir = dir.path() / "data";
  auto created = ResolveMasterKey(data_dir);
  REQUIRE(created.ok());
  CHECK(ModeOf(data_dir) == 0700);
  CHECK(ModeOf(data_dir / "master.key") == 0600);
  auto again = ResolveMasterKey(data_dir);
  REQUIRE(again.ok());
  CHECK(again->id == created->id);
}

TEST_CASE("Sealer::FromEnvironment opens values sealed under previous keys",
          "[secrets][master_key][sealer]") {
  TempDir dir;
  std::array<unsigned char, 32> old_bytes{};
  old_bytes.fill(0x42);
  MasterKey old_key = switchboard::MasterKeyFromBytes(old_bytes);
  std::string old_hex = switchboard::encoding::HexEncode(old_bytes);
  std::string sealed_old = Sealer(old_key).Seal("secret", "p/c/f");

  ScopedEnv primary("SWITCHBOARD_MASTER_KEY", std::string(kSequenceHex));
  {
    ScopedEnv previous("SWITCHBOARD_PREVIOUS_MASTER_KEYS", std::nullopt);
    auto sealer = Sealer::FromEnvironment(dir.path());
    REQUIRE(sealer.ok());
    CHECK(sealer->primary_key_id() == kSequenceId);
    CHECK(sealer->Open(sealed_old, "p/c/f").status().Is(Code::kUnknownKey));
  }
  {
    // An unrelated key, the old key, and an empty trailing entry.
    ScopedEnv previous("SWITCHBOARD_PREVIOUS_MASTER_KEYS",
                       std::string(64, '0') + ", " + old_hex + ",");
    auto sealer = Sealer::FromEnvironment(dir.path());
    REQUIRE(sealer.ok());
    auto opened = sealer->Open(sealed_old, "p/c/f");
    REQUIRE(opened.ok());
    CHECK(*opened == "secret");
    CHECK(sealer->NeedsReseal(sealed_old));
  }
  {
    ScopedEnv previous("SWITCHBOARD_PREVIOUS_MASTER_KEYS", old_hex + ",tooshort");
    auto sealer = Sealer::FromEnvironment(dir.path());
    REQUIRE_FALSE(sealer.ok());
    CHECK(sealer.status().Is(Code::kInvalidMasterKey));
    CHECK_THAT(sealer.status().message(), Catch::Contains("entry 2"));
    CHECK_THAT(sealer.status().message(), !Catch::Contains("tooshort"));
  }
}
