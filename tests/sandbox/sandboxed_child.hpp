// Runs a test body in a forked child, so the sandbox (which cannot be undone) never touches
// the test process. The child's stdout and stderr are pipes the parent reads whole; the
// body returns the child's exit code, 0 when every CHILD_CHECK held.
#pragma once

#include <string>

#include "plugins/runner/sandbox.hpp"

namespace sandbox_test {

struct ChildResult {
  int status = 0;
  bool timed_out = false;
  std::string out;  // the child's stdout
  std::string err;  // the child's stderr (where the sandbox writes its denial lines)

  bool ExitedWith(int code) const;
  bool KilledBy(int signal_number) const;
  bool DumpedCore() const;
  std::string Describe() const;  // for INFO: how it ended and what it wrote
};

using ChildBody = int (*)(void* context);

// Forks; the child points stdout/stderr at pipes, runs body(context) and _exits with its
// result (after flushing stdio). Kills the child after 20 s.
ChildResult RunInChild(ChildBody body, void* context = nullptr);

// The same, with the runner's steps first: mallopt(M_ARENA_MAX, 2), then ApplySandbox with
// the options (exit code 90 when it fails).
ChildResult RunSandboxed(ChildBody body, void* context = nullptr,
                         switchboard::runner::SandboxOptions options = {});

// Inside the child: writes "check failed at line N: what (errno E)" to stdout.
int ChildFailure(const char* what, int line);

}  // namespace sandbox_test

#define CHILD_CHECK(condition)                                          \
  do {                                                                  \
    if (!(condition)) return ::sandbox_test::ChildFailure(#condition, __LINE__); \
  } while (false)
