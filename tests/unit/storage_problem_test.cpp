// Storage failures at the HTTP edge: stable codes and statuses, and a detail that never
// carries what produced the Status (RocksDB's text names the data path, files and offsets).
#include <catch2/catch.hpp>

#include "api/problem.hpp"

using switchboard::Code;
using switchboard::Status;
using switchboard::api::ProblemFrom;

TEST_CASE("storage codes map to 507 / 503 / 500 with fixed details free of internals") {
  const std::string internal = "IO error: No space left on device: While appending to file: /srv/data/db/000012.log";
  struct Case {
    Code code;
    const char* name;
    int status;
  };
  for (const Case& c : {Case{Code::kStorageFull, "storage_full", 507}, Case{Code::kStorageUnavailable, "storage_unavailable", 503},
                        Case{Code::kCorruption, "corruption", 500}, Case{Code::kIoError, "io_error", 500}}) {
    auto problem = ProblemFrom(Status::Error(c.code, internal));
    INFO(c.name << ": " << problem.detail);
    CHECK(problem.code == c.name);
    CHECK(problem.status == c.status);
    CHECK_FALSE(problem.detail.empty());
    CHECK(problem.detail.find('/') == std::string::npos);
    CHECK(problem.detail.find("000012") == std::string::npos);
    CHECK(problem.detail.find("IO error") == std::string::npos);
  }
}

TEST_CASE("other codes keep their own detail") {
  auto problem = ProblemFrom(Status::Error(Code::kNameTaken, "a connection named 'x' already exists"));
  CHECK(problem.status == 409);
  CHECK(problem.detail == "a connection named 'x' already exists");
}
