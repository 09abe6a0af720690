#include "plugins/runner/sandbox_quiet_paths.hpp"

#include <link.h>

#include <cstring>
#include <string_view>

namespace switchboard::runner {
namespace {

constexpr const char* kProbePaths[] = {
    "/proc/sys/vm/overcommit_memory",  // malloc: may a thread's heap shrink
    "/sys/devices/system/cpu/online",  // get_nprocs, sysconf(_SC_NPROCESSORS_ONLN)
    "/sys/devices/system/cpu/possible",
    "/proc/stat",                      // get_nprocs' second try
    "/etc/localtime",                  // tzset
};
constexpr int kMaxAddresses = 32;
const void* g_addresses[kMaxAddresses];
int g_address_count = 0;

void RecordEvery(const char* begin, const char* end, const char* path) {
  const size_t length = std::strlen(path) + 1;  // with the NUL: the whole literal, or a tail of a longer one
  for (const char* at = begin; at + length <= end && g_address_count < kMaxAddresses;) {
    const void* found = memmem(at, static_cast<size_t>(end - at), path, length);
    if (found == nullptr) return;
    g_addresses[g_address_count++] = found;
    at = static_cast<const char*>(found) + 1;
  }
}

int ScanLibc(dl_phdr_info* info, size_t, void*) {
  const std::string_view name = info->dlpi_name == nullptr ? "" : info->dlpi_name;
  if (name.find("/libc.so") == std::string_view::npos) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& segment = info->dlpi_phdr[i];
    if (segment.p_type != PT_LOAD || (segment.p_flags & PF_W) != 0 || (segment.p_flags & PF_R) == 0) continue;
    const auto* begin = reinterpret_cast<const char*>(info->dlpi_addr + segment.p_vaddr);
    for (const char* path : kProbePaths) RecordEvery(begin, begin + segment.p_filesz, path);
  }
  return 1;
}

}  // namespace

void FindGlibcProbePaths() {
  if (g_address_count == 0) dl_iterate_phdr(ScanLibc, nullptr);
}

bool IsGlibcProbePath(const void* path) {
  for (int i = 0; i < g_address_count; ++i) {
    if (g_addresses[i] == path) return true;
  }
  return false;
}

}  // namespace switchboard::runner
