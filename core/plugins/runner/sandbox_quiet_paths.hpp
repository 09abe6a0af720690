// glibc opens a few files for its own bookkeeping (malloc asks whether it may shrink a
// heap, std::thread::hardware_concurrency counts CPUs, localtime reads the zone). In the
// sandbox those opens fail and glibc falls back (EPERM: no shrink check, CPUs from
// sched_getaffinity, UTC); they must not be logged as the plugin's denied calls, or every
// well-behaved plugin would look hostile.
#pragma once

namespace switchboard::runner {

// Finds, in libc's read-only segments, the addresses of those path literals. Call before
// the filter is loaded; afterwards IsGlibcProbePath only compares pointers (async-signal-
// safe, never reads the plugin's memory). A plugin passing the same text from its own
// memory is still logged.
void FindGlibcProbePaths();
bool IsGlibcProbePath(const void* path);

}  // namespace switchboard::runner
