// Reads RocksDB write-ahead log files the way recovery would, without RocksDB, to tell
// before opening a database whether its WALs are intact and, when they are not, what
// point-in-time recovery would drop. Recovery itself cannot tell us: in point-in-time
// mode it silently stops replaying at the first damaged record, and in every mode a
// zeroed record header makes it skip the rest of a 32 KiB block without a word.
//
// Format (RocksDB db/log_format.h): 32 KiB blocks of records, each a 7-byte header
// (masked crc32c of type and payload, 2-byte length, type) or an 11-byte one for
// recycled logs (plus a 4-byte log number), then the payload. A block's last < 7 bytes
// are zero padding. Full / first / middle / last records assemble into write batches.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace switchboard::wal {

struct WalFileReport {
  std::filesystem::path file;
  uint64_t number = 0;          // the WAL's file number (000012.log -> 12)
  uint64_t size = 0;            // bytes
  uint64_t batches = 0;         // intact write batches before any damage
  uint64_t entries = 0;         // their puts, deletes and merges
  uint64_t last_sequence = 0;   // sequence number of the last entry read intact
  uint64_t connection_writes = 0;  // connection rows those batches write (when the family id is known)
  // Damage: the first place recovery would stop. damaged_at is a byte offset.
  bool damaged = false;
  bool incomplete_tail = false;  // only an unfinished last record (an interrupted, never-acknowledged write)
  uint64_t damaged_at = 0;
  std::string problem;           // e.g. "checksum mismatch"
  // What lies after the damage and would be dropped: batches still readable past it,
  // their entries, and the bytes from the damage to the end of the file.
  uint64_t batches_after = 0;
  uint64_t entries_after = 0;
  uint64_t bytes_after = 0;
  uint64_t last_sequence_after = 0;  // of the last batch read past the damage
  // Connection rows written by the dropped batches, when the connections family id is known.
  uint64_t connection_writes_after = 0;
};

// Scans one WAL file. `connections_family_id` (or UINT32_MAX) lets the report count
// dropped connection writes.
WalFileReport ScanWalFile(const std::filesystem::path& file, uint32_t connections_family_id = UINT32_MAX);

// The WAL files of a database folder, oldest first.
std::vector<std::filesystem::path> ListWalFiles(const std::filesystem::path& db_dir);

// masked crc32c, as RocksDB stores it (exposed for the tests that damage a WAL on purpose).
uint32_t MaskedCrc32c(const char* data, size_t size);
uint32_t Crc32c(uint32_t crc, const char* data, size_t size);

}  // namespace switchboard::wal
