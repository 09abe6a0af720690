// A damaged write-ahead log: the store refuses to open (instead of RocksDB's silent
// truncation at the damage), store check says exactly what recovery would drop, recovery
// keeps every write before the damage, and an unfinished last record (an interrupted,
// never-acknowledged write) is not damage.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "store/rocksdb/rocksdb_store.hpp"
#include "store/rocksdb/store_check.hpp"
#include "store/rocksdb/wal_scan.hpp"

using switchboard::Code;

namespace {

namespace fs = std::filesystem;
using switchboard::Store;

constexpr int kCreates = 2000;

fs::path FreshDir() {
  auto dir = fs::temp_directory_path() / ("sb-wal-damage-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  fs::remove_all(dir);
  return dir / "db";
}

// A store whose every write is still only in its WAL (2,000 creates, one batch each).
fs::path StoreWithWal() {
  fs::path dir = FreshDir();
  switchboard::RocksDbOptions options;
  options.sync_writes = false;  // the same WAL records, faster
  options.verify_in_background = false;
  auto store = switchboard::RocksDbStore::Open(dir, options);
  REQUIRE(store.ok());
  for (int i = 0; i < kCreates; ++i) {
    switchboard::ConnectionRecord c;
    c.id = "con_" + std::to_string(i);
    c.project = "p";
    c.provider = "openai";
    c.name = "Connection " + std::to_string(i);
    c.status = "active";
    REQUIRE((*store)->CreateConnection(c).ok());
  }
  return dir;
}

fs::path OnlyWal(const fs::path& dir) {
  auto wals = switchboard::wal::ListWalFiles(dir);
  REQUIRE(wals.size() == 1);
  return wals.front();
}

std::string ReadAll(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void WriteAll(const fs::path& file, const std::string& bytes) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// The offset of the first physical record starting past `from`.
size_t RecordBoundaryAfter(const std::string& image, size_t from) {
  size_t pos = 0;
  while (pos < image.size()) {
    const size_t block_left = 32768 - pos % 32768;
    if (block_left < 7) {
      pos += block_left;
      continue;
    }
    if (pos >= from) return pos;
    const size_t length = static_cast<uint8_t>(image[pos + 4]) | static_cast<size_t>(static_cast<uint8_t>(image[pos + 5])) << 8;
    pos += 7 + length;
  }
  FAIL("no record boundary");
  return 0;
}

std::vector<std::string> AllIds(Store& store) {
  std::vector<std::string> ids;
  switchboard::ConnectionQuery query;
  query.limit = 500;
  while (true) {
    auto page = store.ListConnections("p", query);
    REQUIRE(page.ok());
    for (const auto& row : page->items) ids.push_back(row.record.id);
    if (page->next_after.empty()) break;
    query.after = page->next_after;
  }
  return ids;
}

}  // namespace

TEST_CASE("an intact WAL scans clean and its batches are counted") {
  fs::path dir = StoreWithWal();
  auto report = switchboard::wal::ScanWalFile(OnlyWal(dir));
  REQUIRE_FALSE(report.damaged);
  REQUIRE(report.batches >= kCreates);
  auto check = switchboard::CheckStore(dir);
  REQUIRE(check.ok());
  REQUIRE(check->Ok());
  REQUIRE(check->rows.at("connections") == kCreates);
  fs::remove_all(dir.parent_path());
}

TEST_CASE("corrupted bytes in the live WAL: refuse to open, check says what recovery drops, recover keeps the rest") {
  fs::path dir = StoreWithWal();
  const fs::path wal = OnlyWal(dir);
  std::string image = ReadAll(wal);
  const size_t middle = image.size() / 2;
  for (size_t i = 0; i < 16; ++i) image[middle + i] = static_cast<char>(image[middle + i] ^ 0x5A);
  WriteAll(wal, image);

  auto refused = switchboard::RocksDbStore::Open(dir);
  REQUIRE_FALSE(refused.ok());
  REQUIRE(refused.status().Is(Code::kWalCorrupt));
  REQUIRE(refused.status().message().find(wal.filename().string()) != std::string::npos);
  REQUIRE(refused.status().message().find("checksum mismatch") != std::string::npos);

  auto check = switchboard::CheckStore(dir);
  REQUIRE(check.ok());
  REQUIRE(check->WalDamaged());
  REQUIRE_FALSE(check->Ok());
  const uint64_t kept = check->rows.at("connections");
  INFO("kept " << kept << ", dropped batches " << check->dropped_batches << ", dropped connection writes "
               << check->dropped_connection_writes);
  REQUIRE(kept > 0);
  REQUIRE(kept < kCreates);
  // Every create is one batch with one connection row: what is dropped is what is not kept,
  // less the batch the damage itself destroyed.
  REQUIRE(check->dropped_connection_writes + kept + 1 >= kCreates);
  REQUIRE(check->dropped_connection_writes + kept <= kCreates);
  REQUIRE(check->dropped_files == std::vector<std::string>{wal.filename().string()});
  REQUIRE(check->wal_last_sequence > check->recovered_sequence);
  // Checking changed nothing.
  REQUIRE(ReadAll(wal) == image);

  auto recovered = switchboard::RecoverStore(dir);
  REQUIRE(recovered.ok());
  REQUIRE_FALSE(recovered->after.WalDamaged());
  REQUIRE(recovered->after.rows.at("connections") == kept);
  REQUIRE(fs::exists(recovered->saved_wals / wal.filename()));

  auto reopened = switchboard::RocksDbStore::Open(dir);
  REQUIRE(reopened.ok());
  auto ids = AllIds(**reopened);
  REQUIRE(ids.size() == kept);
  // Point-in-time: exactly the first `kept` creates, in the order they were made.
  std::set<std::string> expected;
  for (uint64_t i = 0; i < kept; ++i) expected.insert("con_" + std::to_string(i));
  REQUIRE(std::set<std::string>(ids.begin(), ids.end()) == expected);
  reopened->reset();
  fs::remove_all(dir.parent_path());
}

TEST_CASE("a zeroed record in the WAL, which RocksDB would skip without a word, is damage too") {
  fs::path dir = StoreWithWal();
  const fs::path wal = OnlyWal(dir);
  std::string image = ReadAll(wal);
  const size_t at = RecordBoundaryAfter(image, image.size() / 2);
  const size_t length = static_cast<uint8_t>(image[at + 4]) | static_cast<size_t>(static_cast<uint8_t>(image[at + 5])) << 8;
  std::fill(image.begin() + static_cast<long>(at), image.begin() + static_cast<long>(at + 7 + length), '\0');
  WriteAll(wal, image);
  auto refused = switchboard::RocksDbStore::Open(dir);
  REQUIRE(refused.status().Is(Code::kWalCorrupt));
  REQUIRE(refused.status().message().find("zeroed record header") != std::string::npos);
  fs::remove_all(dir.parent_path());
}

TEST_CASE("an unfinished last record is an interrupted write, not damage: the store opens without it") {
  fs::path dir = StoreWithWal();
  const fs::path wal = OnlyWal(dir);
  fs::resize_file(wal, fs::file_size(wal) - 5);
  auto report = switchboard::wal::ScanWalFile(wal);
  REQUIRE(report.damaged);
  REQUIRE(report.incomplete_tail);
  auto reopened = switchboard::RocksDbStore::Open(dir);
  REQUIRE(reopened.ok());
  REQUIRE(AllIds(**reopened).size() == kCreates - 1);
  reopened->reset();
  fs::remove_all(dir.parent_path());
}
