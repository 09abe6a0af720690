// The store on a volume that fills up (and on one that fails otherwise), imitated by a
// file system wrapper that starts failing writes on demand, the way a full disk does: the
// write that hits the end is cut short, then refused. Asserts the stable codes, that the
// messages carry nothing of RocksDB's (paths, files, offsets), that acknowledged data
// stays, that nothing of a refused change appears, and that writes are accepted again by
// themselves once space returns.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include "store/rocksdb/rocksdb_store.hpp"

using switchboard::Code;

namespace {

using switchboard::ConnectionRecord;
using switchboard::Store;
using switchboard::RocksDbOptions;
using switchboard::WriteState;

enum class Failing { kNo, kNoSpace, kIoError };

rocksdb::IOStatus Refusal(Failing mode) {
  if (mode == Failing::kNoSpace) {
    auto s = rocksdb::IOStatus::NoSpace("While appending to file: /data/db/000012.log", "No space left on device");
    s.SetRetryable(true);  // as RocksDB's posix file system reports ENOSPC
    return s;
  }
  return rocksdb::IOStatus::IOError("While appending to file: /data/db/000012.log", "Input/output error");
}

class FailingFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FailingFile(std::unique_ptr<rocksdb::FSWritableFile>&& file, const std::atomic<Failing>& mode)
      : FSWritableFileOwnerWrapper(std::move(file)), mode_(mode) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    const Failing mode = mode_.load();
    if (mode == Failing::kNo) return target()->Append(data, options, dbg);
    // The last write before the volume is full lands in part.
    target()->Append(rocksdb::Slice(data.data(), data.size() / 2), options, dbg).PermitUncheckedError();
    return Refusal(mode);
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo&, rocksdb::IODebugContext* dbg) override {
    return Append(data, options, dbg);
  }
  rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& options,
                                     rocksdb::IODebugContext* dbg) override {
    const Failing mode = mode_.load();
    if (mode == Failing::kNo) return target()->PositionedAppend(data, offset, options, dbg);
    return Refusal(mode);
  }

 private:
  const std::atomic<Failing>& mode_;
};

class FailingFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FailingFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FailingFileSystem"; }
  std::atomic<Failing> mode{Failing::kNo};

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    auto s = target()->NewWritableFile(f, options, &file, dbg);
    if (s.ok()) *result = std::make_unique<FailingFile>(std::move(file), mode);
    return s;
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& options,
                                       std::unique_ptr<rocksdb::FSWritableFile>* result,
                                       rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    auto s = target()->ReopenWritableFile(f, options, &file, dbg);
    if (s.ok()) *result = std::make_unique<FailingFile>(std::move(file), mode);
    return s;
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const rocksdb::FileOptions& options,
                                      std::unique_ptr<rocksdb::FSWritableFile>* result,
                                      rocksdb::IODebugContext* dbg) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    auto s = target()->ReuseWritableFile(f, old, options, &file, dbg);
    if (s.ok()) *result = std::make_unique<FailingFile>(std::move(file), mode);
    return s;
  }
};

std::filesystem::path FreshDir() {
  auto dir = std::filesystem::temp_directory_path() /
             ("sb-storage-failure-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()));
  std::filesystem::remove_all(dir);
  return dir;
}

ConnectionRecord Connection(const std::string& id) {
  ConnectionRecord c;
  c.id = id;
  c.project = "p";
  c.provider = "openai";
  c.name = "Connection " + id;
  c.status = "active";
  return c;
}

// Nothing of RocksDB's message: no path, no file name, no errno text.
void RequireNoInternals(const switchboard::Status& s) {
  INFO(s.ToString());
  REQUIRE(s.message().find('/') == std::string::npos);
  REQUIRE(s.message().find(".log") == std::string::npos);
  REQUIRE(s.message().find("IO error") == std::string::npos);
  REQUIRE(s.message().find("No space") == std::string::npos);
  REQUIRE(s.message().find("Input/output") == std::string::npos);
}

bool WaitFor(const std::function<bool()>& done, std::chrono::seconds limit = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

struct Fixture {
  std::filesystem::path dir = FreshDir();
  std::shared_ptr<FailingFileSystem> fs = std::make_shared<FailingFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
  std::unique_ptr<Store> store;

  Fixture() {
    RocksDbOptions options;
    options.env = env.get();
    options.verify_in_background = false;
    auto opened = switchboard::RocksDbStore::Open(dir, options);
    REQUIRE(opened.ok());
    store = std::move(opened).value();
    for (int i = 0; i < 20; ++i) REQUIRE(store->CreateConnection(Connection("con_" + std::to_string(i))).ok());
  }
  ~Fixture() {
    store.reset();
    std::filesystem::remove_all(dir);
  }
};

}  // namespace

TEST_CASE("a full volume: storage_full without internals, acknowledged data stays, writes resume when space returns") {
  Fixture f;
  REQUIRE(f.store->Health().ok());
  f.fs->mode = Failing::kNoSpace;

  auto refused = f.store->CreateConnection(Connection("con_refused"));
  REQUIRE(refused.Is(Code::kStorageFull));
  RequireNoInternals(refused);
  auto health = f.store->Health();
  REQUIRE(health.writes == WriteState::kFull);
  REQUIRE_FALSE(health.writes_failing_since.empty());
  REQUIRE(switchboard::StorageStateName(health) == "full");

  // Every kind of write is refused the same way while the volume is full.
  auto update = f.store->UpdateConnection("p", "con_1", [](ConnectionRecord& c) {
    c.name = "Renamed";
    return switchboard::Status::Ok();
  });
  REQUIRE(update.status().Is(Code::kStorageFull));
  RequireNoInternals(update.status());
  REQUIRE(f.store->DeleteConnection("p", "con_2", nullptr).Is(Code::kStorageFull));

  // Reads still answer, with exactly what was acknowledged and nothing of what was refused.
  auto page = f.store->ListConnections("p", {});
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 20);
  REQUIRE_FALSE(page->partial);
  REQUIRE(f.store->GetConnection("p", "con_refused").status().Is(Code::kNotFound));
  REQUIRE(f.store->GetConnection("p", "con_1")->record.name == "Connection con_1");
  REQUIRE(f.store->GetConnection("p", "con_2").ok());

  // Space returns: writes are accepted again without anyone doing anything.
  f.fs->mode = Failing::kNo;
  REQUIRE(WaitFor([&] { return f.store->Health().writes == WriteState::kOk; }));
  REQUIRE(f.store->CreateConnection(Connection("con_after")).ok());
  REQUIRE(f.store->Health().ok());

  // After a restart: the acknowledged rows, the one written after recovery, and nothing
  // of the refused ones (the cut-short WAL record is dropped as an unfinished write).
  f.store.reset();
  auto reopened = switchboard::RocksDbStore::Open(f.dir);
  REQUIRE(reopened.ok());
  auto rows = (*reopened)->ListConnections("p", {});
  REQUIRE(rows.ok());
  REQUIRE(rows->items.size() == 21);
  REQUIRE((*reopened)->GetConnection("p", "con_refused").status().Is(Code::kNotFound));
  REQUIRE((*reopened)->GetConnection("p", "con_after").ok());
  REQUIRE((*reopened)->GetConnection("p", "con_1")->record.name == "Connection con_1");
}

TEST_CASE("another I/O error: storage_unavailable without internals, acknowledged data stays") {
  Fixture f;
  f.fs->mode = Failing::kIoError;
  auto refused = f.store->CreateConnection(Connection("con_refused"));
  REQUIRE(refused.Is(Code::kStorageUnavailable));
  RequireNoInternals(refused);
  REQUIRE(f.store->Health().writes == WriteState::kUnavailable);
  REQUIRE(switchboard::StorageStateName(f.store->Health()) == "unavailable");
  auto page = f.store->ListConnections("p", {});
  REQUIRE(page.ok());
  REQUIRE(page->items.size() == 20);

  f.fs->mode = Failing::kNo;
  f.store.reset();
  auto reopened = switchboard::RocksDbStore::Open(f.dir);
  REQUIRE(reopened.ok());
  REQUIRE((*reopened)->ListConnections("p", {})->items.size() == 20);
  REQUIRE((*reopened)->GetConnection("p", "con_refused").status().Is(Code::kNotFound));
}
