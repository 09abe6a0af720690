#include "store/rocksdb/wal_scan.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <rocksdb/write_batch.h>

namespace switchboard::wal {
namespace {

namespace fs = std::filesystem;

constexpr size_t kBlockSize = 32768;
constexpr size_t kHeaderSize = 7;
constexpr size_t kRecyclableHeaderSize = 11;
enum RecordType : uint8_t {
  kZeroType = 0, kFullType = 1, kFirstType = 2, kMiddleType = 3, kLastType = 4,
  kRecyclableFullType = 5, kRecyclableFirstType = 6, kRecyclableMiddleType = 7, kRecyclableLastType = 8,
  kSetCompressionType = 9,
};

const std::array<uint32_t, 256>& Crc32cTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

uint32_t Fixed32(const std::string& s, size_t at) {
  return static_cast<uint32_t>(static_cast<uint8_t>(s[at])) | static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3])) << 24;
}

uint64_t Fixed64(const std::string& s, size_t at) {
  return static_cast<uint64_t>(Fixed32(s, at)) | static_cast<uint64_t>(Fixed32(s, at + 4)) << 32;
}

// Counts the writes to one column family of a batch.
class FamilyWrites : public rocksdb::WriteBatch::Handler {
 public:
  explicit FamilyWrites(uint32_t family) : family_(family) {}
  uint64_t count = 0;
  rocksdb::Status PutCF(uint32_t cf, const rocksdb::Slice&, const rocksdb::Slice&) override { return Note(cf); }
  rocksdb::Status DeleteCF(uint32_t cf, const rocksdb::Slice&) override { return Note(cf); }
  rocksdb::Status SingleDeleteCF(uint32_t cf, const rocksdb::Slice&) override { return Note(cf); }
  rocksdb::Status MergeCF(uint32_t cf, const rocksdb::Slice&, const rocksdb::Slice&) override { return Note(cf); }
  rocksdb::Status DeleteRangeCF(uint32_t cf, const rocksdb::Slice&, const rocksdb::Slice&) override { return Note(cf); }
  rocksdb::Status MarkBeginPrepare(bool) override { return rocksdb::Status::OK(); }
  rocksdb::Status MarkEndPrepare(const rocksdb::Slice&) override { return rocksdb::Status::OK(); }
  rocksdb::Status MarkNoop(bool) override { return rocksdb::Status::OK(); }
  rocksdb::Status MarkRollback(const rocksdb::Slice&) override { return rocksdb::Status::OK(); }
  rocksdb::Status MarkCommit(const rocksdb::Slice&) override { return rocksdb::Status::OK(); }

 private:
  rocksdb::Status Note(uint32_t cf) {
    if (cf == family_) ++count;
    return rocksdb::Status::OK();
  }
  uint32_t family_;
};

struct Batch {
  uint64_t entries = 0;
  uint64_t last_sequence = 0;
  uint64_t family_writes = 0;
};

Batch DecodeBatch(const std::string& rep, uint32_t family) {
  Batch batch;
  if (rep.size() < 12) return batch;
  const uint64_t sequence = Fixed64(rep, 0);
  batch.entries = Fixed32(rep, 8);
  batch.last_sequence = batch.entries == 0 ? sequence : sequence + batch.entries - 1;
  if (family != UINT32_MAX) {
    rocksdb::WriteBatch decoded(rep);
    FamilyWrites counter(family);
    decoded.Iterate(&counter).PermitUncheckedError();
    batch.family_writes = counter.count;
  }
  return batch;
}

bool IntactRecordAt(const std::string& image, size_t pos) {
  const size_t block_left = kBlockSize - pos % kBlockSize;
  if (block_left < kHeaderSize || image.size() - pos < kHeaderSize) return false;
  const size_t length = static_cast<uint8_t>(image[pos + 4]) | static_cast<size_t>(static_cast<uint8_t>(image[pos + 5])) << 8;
  const uint8_t type = static_cast<uint8_t>(image[pos + 6]);
  if (type < kFullType || type > kLastType || kHeaderSize + length > block_left || pos + kHeaderSize + length > image.size()) {
    return false;
  }
  return MaskedCrc32c(image.data() + pos + 6, 1 + length) == Fixed32(image, pos);
}

// Where reading can go on after damage at `pos`: the first intact record after it in
// its block, else the next block.
size_t NextIntactRecord(const std::string& image, size_t pos) {
  const size_t next_block = (pos / kBlockSize + 1) * kBlockSize;
  for (size_t p = pos + 1; p < next_block && p < image.size(); ++p) {
    if (IntactRecordAt(image, p)) return p;
  }
  return next_block;
}

// Walks the records of a WAL image from `pos`, handing each whole write batch to
// `on_batch`. Returns at the first damage (filling `problem`, `at` and `incomplete`)
// or at the end (problem empty). `resyncing`: `pos` is a block start after damage, where
// the tail fragments of a batch whose start was lost are skipped, not damage.
template <typename OnBatch>
void Walk(const std::string& image, size_t pos, uint64_t log_number, OnBatch&& on_batch, std::string& problem,
          uint64_t& at, bool& incomplete, uint64_t& resume_at, bool resyncing = false) {
  std::string assembling;
  bool in_fragment = false;
  size_t fragment_start = 0;
  auto damage = [&](size_t where, const char* what, bool tail) {
    problem = what;
    at = in_fragment ? fragment_start : where;  // a batch is lost from its first fragment
    incomplete = tail;
    if (resume_at <= where) resume_at = NextIntactRecord(image, where);
  };
  while (pos < image.size()) {
    const size_t block_left = kBlockSize - pos % kBlockSize;
    if (block_left < kHeaderSize) {  // the block's zero trailer
      pos += block_left;
      continue;
    }
    if (image.size() - pos < kHeaderSize) return damage(pos, "truncated record header at the end", true);
    const uint32_t stored_crc = Fixed32(image, pos);
    const size_t length = static_cast<uint8_t>(image[pos + 4]) | static_cast<size_t>(static_cast<uint8_t>(image[pos + 5])) << 8;
    const uint8_t type = static_cast<uint8_t>(image[pos + 6]);
    if (type == kZeroType && length == 0) {
      // Preallocated space at the end reads as zeros and ends the log; zeros followed by
      // data are damage that recovery would skip over without a word.
      const bool only_zeros = std::all_of(image.begin() + static_cast<long>(pos), image.end(), [](char c) { return c == 0; });
      if (only_zeros) break;
      return damage(pos, "zeroed record header", false);
    }
    const bool recyclable = type >= kRecyclableFullType && type <= kRecyclableLastType;
    const size_t header = recyclable ? kRecyclableHeaderSize : kHeaderSize;
    if (header + length > block_left) return damage(pos, "bad record length", false);
    if (pos + header + length > image.size()) return damage(pos, "truncated record at the end", true);
    uint32_t crc = Crc32c(0, image.data() + pos + 6, header - 6);  // type (and log number)
    crc = Crc32c(crc, image.data() + pos + header, length);
    const uint32_t masked = ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    if (masked != stored_crc) return damage(pos, "checksum mismatch", false);  // the length may be damaged too
    if (recyclable && Fixed32(image, pos + 7) != static_cast<uint32_t>(log_number)) break;  // an older log's record: the end
    const char* payload = image.data() + pos + header;
    switch (type) {
      case kFullType:
      case kRecyclableFullType:
        if (in_fragment) return damage(pos, "fragmented record without its end", false);
        on_batch(std::string(payload, length));
        break;
      case kFirstType:
      case kRecyclableFirstType:
        if (in_fragment) return damage(pos, "fragmented record without its end", false);
        in_fragment = true;
        fragment_start = pos;
        assembling.assign(payload, length);
        break;
      case kMiddleType:
      case kRecyclableMiddleType:
        if (!in_fragment && resyncing) break;
        if (!in_fragment) return damage(pos, "fragment without its start", false);
        assembling.append(payload, length);
        break;
      case kLastType:
      case kRecyclableLastType:
        if (!in_fragment && resyncing) break;
        if (!in_fragment) return damage(pos, "fragment without its start", false);
        assembling.append(payload, length);
        in_fragment = false;
        on_batch(std::move(assembling));
        assembling.clear();
        break;
      case kSetCompressionType:
        break;
      default:
        return damage(pos, "unknown record type", false);
    }
    pos += header + length;
  }
  if (in_fragment) damage(image.size(), "unfinished record at the end", true);
}

}  // namespace

#if defined(__x86_64__)
// SSE 4.2 computes CRC-32C itself, ~20x the table's speed: the scan runs on every start.
__attribute__((target("sse4.2"))) uint32_t Crc32cHardware(uint32_t crc, const char* data, size_t size) {
  uint64_t c = ~crc;
  for (; size >= 8; data += 8, size -= 8) {
    uint64_t word;
    std::memcpy(&word, data, 8);
    c = __builtin_ia32_crc32di(c, word);
  }
  auto c32 = static_cast<uint32_t>(c);
  for (; size > 0; ++data, --size) c32 = __builtin_ia32_crc32qi(c32, static_cast<unsigned char>(*data));
  return ~c32;
}
#endif

uint32_t Crc32c(uint32_t crc, const char* data, size_t size) {
#if defined(__x86_64__)
  static const bool hardware = __builtin_cpu_supports("sse4.2");
  if (hardware) return Crc32cHardware(crc, data, size);
#endif
  const auto& table = Crc32cTable();
  crc = ~crc;
  for (size_t i = 0; i < size; ++i) crc = table[(crc ^ static_cast<uint8_t>(data[i])) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

uint32_t MaskedCrc32c(const char* data, size_t size) {
  const uint32_t crc = Crc32c(0, data, size);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

WalFileReport ScanWalFile(const fs::path& file, uint32_t connections_family_id) {
  WalFileReport report;
  report.file = file;
  report.number = std::strtoull(file.stem().string().c_str(), nullptr, 10);
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    report.damaged = true;
    report.problem = "cannot be read";
    return report;
  }
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  std::string image(ec ? 0 : size, '\0');
  in.read(image.data(), static_cast<std::streamsize>(image.size()));
  image.resize(static_cast<size_t>(in.gcount()));
  if (in.bad()) {
    report.damaged = true;
    report.problem = "cannot be read";
    return report;
  }
  report.size = image.size();
  std::string problem;
  uint64_t at = 0;
  bool incomplete = false;
  uint64_t resume = 0;
  Walk(image, 0, report.number, [&](const std::string& rep) {
    Batch batch = DecodeBatch(rep, connections_family_id);
    ++report.batches;
    report.entries += batch.entries;
    report.connection_writes += batch.family_writes;
    report.last_sequence = std::max(report.last_sequence, batch.last_sequence);
  }, problem, at, incomplete, resume);
  if (problem.empty()) return report;
  report.damaged = true;
  report.problem = problem;
  report.damaged_at = at;
  report.incomplete_tail = incomplete;
  report.bytes_after = report.size - std::min<uint64_t>(at, report.size);
  // What is still readable past the damage (recovery in point-in-time mode drops it
  // all): resume after each damaged record, or at the next block, until the end.
  while (!incomplete && resume < image.size()) {
    std::string later_problem;
    uint64_t later_at = 0;
    bool later_incomplete = false;
    const uint64_t from = resume;
    Walk(image, resume, report.number, [&](const std::string& rep) {
      if (rep.size() < 12) return;
      Batch batch = DecodeBatch(rep, connections_family_id);
      ++report.batches_after;
      report.entries_after += batch.entries;
      report.connection_writes_after += batch.family_writes;
      report.last_sequence_after = std::max(report.last_sequence_after, batch.last_sequence);
    }, later_problem, later_at, later_incomplete, resume, /*resyncing=*/true);
    if (later_problem.empty() || later_incomplete || resume <= from) break;
  }
  return report;
}

std::vector<fs::path> ListWalFiles(const fs::path& db_dir) {
  std::vector<std::pair<uint64_t, fs::path>> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(db_dir, ec)) {
    const auto name = entry.path().filename().string();
    if (entry.path().extension() != ".log" || name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    found.emplace_back(std::strtoull(name.c_str(), nullptr, 10), entry.path());
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> files;
  for (auto& [number, path] : found) files.push_back(std::move(path));
  return files;
}

}  // namespace switchboard::wal
