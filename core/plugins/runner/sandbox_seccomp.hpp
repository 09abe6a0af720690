// The seccomp part of the runner's sandbox (see sandbox.hpp): the allowlist and the SIGSYS
// handler that turns a denied call into EPERM plus one line on fd 2.
#pragma once

#include "common/status.hpp"

namespace switchboard::runner {

// Installs the SIGSYS handler, then loads the allowlist on every thread of the process
// (TSYNC). Call last: afterwards even setrlimit and prctl(PR_SET_DUMPABLE) are denied.
Status ApplySeccompFilter();

// Before the plugin library is loaded (no_new_privs already set): a filter that allows
// everything but sockets, new processes, exec, ptrace, process_vm_* and namespaces, so the
// code that runs while the library loads gets no network and cannot leave a process
// outside the sandbox. Stays under the allowlist ApplySeccompFilter adds later.
Status ApplyLoadingFilter();

}  // namespace switchboard::runner
