// The seccomp part of the runner's sandbox (see sandbox.hpp): the allowlist and the SIGSYS
// handler that turns a denied call into EPERM plus one line on fd 2.
#pragma once

#include "common/status.hpp"

namespace switchboard::runner {

// Installs the SIGSYS handler, then loads the allowlist on every thread of the process
// (TSYNC). Call last: afterwards even setrlimit and prctl(PR_SET_DUMPABLE) are denied.
Status ApplySeccompFilter();

}  // namespace switchboard::runner
