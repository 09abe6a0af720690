// switchboard store check | recover: the integrity of a stopped host's store, and the
// repair of a damaged write-ahead log. See docs/operations.md.
#include <iostream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "store/rocksdb/store_check.hpp"

namespace switchboard::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr int kExitCannotCheck = 3;

const char* const kHelp =
    "Usage: switchboard store COMMAND [options]\n"
    "\n"
    "Commands (run them with the host stopped):\n"
    "  check     read every write-ahead log record and verify every SST file's checksums;\n"
    "            print what is damaged and, for a damaged WAL, exactly what recovery would\n"
    "            drop. Changes nothing.\n"
    "  recover   recover a store whose write-ahead log is damaged: without --yes, print what\n"
    "            it would drop and stop; with --yes, copy the WAL files aside, keep every\n"
    "            write before the damage, drop the rest, and check again.\n"
    "\n"
    "Options:\n"
    "  --data DIR   data folder, as given to serve; default ./data        SWITCHBOARD_DATA\n"
    "  --yes        (recover) do it\n"
    "  --json       machine-readable output\n"
    "\n"
    "Exit status: 0 the store is intact (check) or was recovered (recover --yes); 1 damage\n"
    "was found (check, recover without --yes) or remains; 2 wrong usage; 3 the store could\n"
    "not be checked (no store there, or a host has it open).\n";

json WalJson(const wal::WalFileReport& wal) {
  json out = {{"file", wal.file.filename().string()}, {"bytes", wal.size},        {"batches", wal.batches},
              {"entries", wal.entries},               {"damaged", wal.damaged}, {"last_sequence", wal.last_sequence}};
  if (wal.damaged) {
    out["problem"] = wal.problem;
    out["damaged_at"] = wal.damaged_at;
    out["incomplete_tail"] = wal.incomplete_tail;
    out["batches_after"] = wal.batches_after;
    out["bytes_after"] = wal.bytes_after;
  }
  return out;
}

json ReportJson(const StoreCheckReport& r) {
  json wals = json::array(), ssts = json::array();
  for (const auto& wal : r.wals) wals.push_back(WalJson(wal));
  for (const auto& sst : r.ssts) {
    json one = {{"file", sst.file}, {"family", sst.family}, {"bytes", sst.size}, {"entries", sst.entries}, {"ok", sst.ok}};
    if (!sst.ok) one["problem"] = sst.problem;
    ssts.push_back(one);
  }
  json out = {{"ok", r.Ok()},
              {"wal_damaged", r.WalDamaged()},
              {"sst_damaged", r.SstDamaged()},
              {"wals", wals},
              {"ssts", ssts},
              {"rows", r.rows},
              {"stopped_scans", r.stopped_scans},
              {"recovery_drops",
               {{"write_batches", r.dropped_batches},
                {"bytes", r.dropped_bytes},
                {"connection_writes", r.dropped_connection_writes},
                {"entries", r.wal_last_sequence > r.recovered_sequence ? r.wal_last_sequence - r.recovered_sequence : 0},
                {"files", r.dropped_files}}}};
  if (!r.open_problem.empty()) out["open_problem"] = r.open_problem;
  return out;
}

void PrintReport(const StoreCheckReport& r, std::ostream& out) {
  for (const auto& wal : r.wals) {
    out << "WAL " << wal.file.filename().string() << ": " << wal.size << " bytes, " << wal.batches
        << " intact write batch(es)";
    if (!wal.damaged) {
      out << ", readable\n";
    } else if (wal.incomplete_tail) {
      out << ", then an unfinished last record at byte " << wal.damaged_at
          << " (an interrupted write, never acknowledged; ignored on start)\n";
    } else {
      out << ", DAMAGED at byte " << wal.damaged_at << ": " << wal.problem << "; " << wal.batches_after
          << " readable write batch(es) and " << wal.bytes_after << " byte(s) after it\n";
    }
  }
  if (r.wals.empty()) out << "WAL: none (everything is in SST files)\n";
  size_t bad = 0;
  uint64_t bytes = 0;
  for (const auto& sst : r.ssts) {
    bytes += sst.size;
    if (!sst.ok) {
      ++bad;
      out << "SST " << sst.file << " (" << sst.family << "): DAMAGED: " << sst.problem << "\n";
    }
  }
  out << "SST: " << r.ssts.size() << " file(s), " << bytes << " bytes, " << (r.ssts.size() - bad)
      << " with every checksum verified, " << bad << " damaged\n";
  if (!r.open_problem.empty()) out << "store: cannot be opened read-only: " << r.open_problem << "\n";
  if (!r.rows.empty()) {
    out << "rows:";
    for (const auto& [family, count] : r.rows) out << " " << family << "=" << count;
    out << (r.stopped_scans ? " (some scans stopped at unreadable data)" : "") << "\n";
  }
  if (r.WalDamaged()) {
    const uint64_t entries = r.wal_last_sequence > r.recovered_sequence ? r.wal_last_sequence - r.recovered_sequence : 0;
    out << "recovery would drop: " << r.dropped_batches << " write batch(es) (" << entries << " entries, "
        << r.dropped_connection_writes << " of them connection rows), " << r.dropped_bytes << " bytes, from";
    for (const auto& f : r.dropped_files) out << " " << f;
    out << "\n";
  }
}

int Check(const fs::path& db_dir, bool as_json) {
  auto report = CheckStore(db_dir);
  if (!report.ok()) {
    std::cerr << "error: " << report.status().message() << "\n";
    return kExitCannotCheck;
  }
  if (as_json) std::cout << ReportJson(*report).dump(2) << "\n";
  else {
    PrintReport(*report, std::cout);
    std::cout << (report->Ok() ? "store: intact\n" : "store: DAMAGED\n");
    if (report->WalDamaged()) std::cout << "to recover: switchboard store recover --data DIR (shows this again), then --yes\n";
  }
  return report->Ok() ? kExitOk : kExitFailure;
}

int Recover(const fs::path& db_dir, bool yes, bool as_json) {
  if (!yes) {
    auto report = CheckStore(db_dir);
    if (!report.ok()) {
      std::cerr << "error: " << report.status().message() << "\n";
      return kExitCannotCheck;
    }
    if (as_json) {
      std::cout << json{{"done", false}, {"before", ReportJson(*report)}}.dump(2) << "\n";
    } else {
      PrintReport(*report, std::cout);
      if (!report->WalDamaged()) std::cout << "nothing to recover: every write-ahead log is readable\n";
      else std::cout << "nothing changed; run again with --yes to recover (the WAL files are copied aside first)\n";
    }
    return report->WalDamaged() ? kExitFailure : kExitOk;
  }
  auto done = RecoverStore(db_dir);
  if (!done.ok()) {
    std::cerr << "error: " << done.status().message() << "\n";
    return done.status().Is(Code::kDataDirLocked) || done.status().Is(Code::kNotFound) ? kExitCannotCheck
                                                                                            : kExitFailure;
  }
  if (as_json) {
    std::cout << json{{"done", true}, {"saved_wals", done->saved_wals.string()}, {"before", ReportJson(done->before)},
                      {"after", ReportJson(done->after)}}.dump(2)
              << "\n";
  } else {
    std::cout << "before:\n";
    PrintReport(done->before, std::cout);
    std::cout << "the WAL files as they were are in " << done->saved_wals.string() << "\nafter:\n";
    PrintReport(done->after, std::cout);
    std::cout << (done->after.WalDamaged() ? "recovery did not leave readable WALs\n" : "recovered: the host can start\n");
    if (done->after.SstDamaged()) std::cout << "SST damage is not repaired by recover: see docs/operations.md\n";
  }
  return done->after.WalDamaged() ? kExitFailure : kExitOk;
}

}  // namespace

int StoreCommand(const std::vector<std::string>& argv) {
  auto parsed = ParseArguments(argv, ArgumentSpec{{"data"}, {"yes", "json"}});
  if (auto exit_code = EndsBeforeStart(parsed, kHelp)) return *exit_code;
  const Arguments& args = *parsed;
  if (args.positionals.size() != 1) return UsageError("give one command: check or recover", kHelp);
  const fs::path db_dir = fs::path(args.Setting("data", "SWITCHBOARD_DATA", "./data")) / "db";
  const std::string& command = args.positionals[0];
  if (command == "check") {
    if (args.Has("yes")) return UsageError("--yes is for recover", kHelp);
    return Check(db_dir, args.Has("json"));
  }
  if (command == "recover") return Recover(db_dir, args.Has("yes"), args.Has("json"));
  return UsageError("unknown store command '" + command + "'", kHelp);
}

}  // namespace switchboard::cli
