// The plugin ABI header may change only together with its version: sdk/abi/abi_versions.txt
// records the SHA-256 of sdk/include/switchboard/provider_abi.h for every version, and
// the header's current hash must be the one recorded for the version it declares.
#include <openssl/evp.h>
#include <switchboard/provider_abi.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string kHeader =
    std::string(SWITCHBOARD_SOURCE_DIR) + "/sdk/include/switchboard/provider_abi.h";
const std::string kRecord = std::string(SWITCHBOARD_SOURCE_DIR) + "/sdk/abi/abi_versions.txt";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  REQUIRE(EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) == 1);
  std::ostringstream hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex << std::hex << std::setw(2) << std::setfill('0') << static_cast<int>(digest[i]);
  }
  return hex.str();
}

// version text -> hash, in file order checked by the caller; '#' lines are comments.
std::map<std::string, std::string> ReadRecord(std::vector<std::string>* order) {
  std::map<std::string, std::string> record;
  std::istringstream lines(ReadFile(kRecord));
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string version, hash, extra;
    fields >> version >> hash;
    INFO("line: " << line);
    REQUIRE(hash.size() == 64);
    REQUIRE_FALSE(fields >> extra);
    REQUIRE(record.emplace(version, hash).second);  // each version recorded once
    order->push_back(version);
  }
  return record;
}

TEST_CASE("the SHA-256 helper matches a known digest") {
  CHECK(Sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("provider_abi.h matches the hash recorded for its ABI version") {
  const std::string version =
      std::to_string(SB_ABI_VERSION_MAJOR) + "." + std::to_string(SB_ABI_VERSION_MINOR);
  const std::string hash = Sha256Hex(ReadFile(kHeader));
  std::vector<std::string> order;
  const auto record = ReadRecord(&order);

  auto it = record.find(version);
  if (it == record.end()) {
    FAIL("sdk/abi/abi_versions.txt has no line for ABI " << version << ". Add the line:\n  "
                                                         << version << " " << hash);
  }
  if (it->second != hash) {
    FAIL("sdk/include/switchboard/provider_abi.h changed but its ABI version is still "
         << version << " (recorded hash " << it->second << ", now " << hash << ").\n"
         << "Bump SB_ABI_VERSION_MINOR for an append-only change, or SB_ABI_VERSION_MAJOR for "
            "any other, and add the line '<new version> "
         << hash << "' to sdk/abi/abi_versions.txt.");
  }
  // The header's version is the newest one recorded: a version is never reused after a
  // later one shipped.
  CHECK(order.back() == version);
}

TEST_CASE("every recorded ABI version is newer than the one before it") {
  std::vector<std::string> order;
  ReadRecord(&order);
  REQUIRE_FALSE(order.empty());
  auto parse = [](const std::string& v) {
    auto dot = v.find('.');
    REQUIRE(dot != std::string::npos);
    return std::make_pair(std::stoul(v.substr(0, dot)), std::stoul(v.substr(dot + 1)));
  };
  for (size_t i = 1; i < order.size(); ++i) {
    INFO(order[i - 1] << " then " << order[i]);
    CHECK(parse(order[i - 1]) < parse(order[i]));
  }
}

}  // namespace
