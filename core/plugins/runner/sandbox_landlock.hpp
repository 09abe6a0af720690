// Landlock, the file system part of the runner's sandbox (see sandbox.hpp).
#pragma once

#include <string>
#include <vector>

namespace switchboard::runner {

struct LandlockOutcome {
  int abi = 0;  // the kernel's Landlock ABI version, 0 when it has none
  bool applied = false;
  std::string detail;
};

// The kernel's Landlock ABI version, 0 when Landlock is not built in or not enabled.
int LandlockAbi();

// Restricts the calling thread, and the threads it starts afterwards, to no file system
// access but reading beneath the `readable` paths (every right of the ABI handled; with
// none readable, no access at all), and where the ABI has them no TCP bind/connect and no
// abstract UNIX sockets or signals beyond its own domain. Descriptors already open keep
// working; layers stack, so a later call can only take more away. Needs no_new_privs set
// before. Not applied (and said so in detail) when the kernel does not offer Landlock.
LandlockOutcome ApplyLandlock(const std::vector<std::string>& readable = {});

}  // namespace switchboard::runner
