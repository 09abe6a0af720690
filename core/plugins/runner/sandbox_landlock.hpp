// Landlock, the file system part of the runner's sandbox (see sandbox.hpp).
#pragma once

#include <string>

namespace switchboard::runner {

struct LandlockOutcome {
  int abi = 0;  // the kernel's Landlock ABI version, 0 when it has none
  bool applied = false;
  std::string detail;
};

// The kernel's Landlock ABI version, 0 when Landlock is not built in or not enabled.
int LandlockAbi();

// Restricts the calling thread, and the threads it starts afterwards, to no file system
// access at all (every right of the ABI handled, no rule granting any), and where the ABI
// has them no TCP bind/connect and no abstract UNIX sockets or signals beyond its own
// domain. Descriptors already open keep working. Needs no_new_privs set before. Not
// applied (and said so in detail) when the kernel does not offer Landlock.
LandlockOutcome ApplyLandlock();

}  // namespace switchboard::runner
