// Landlock through syscall(): Debian 12's glibc has no wrappers and its kernel headers stop
// at ABI 2, so the rights of later ABIs are spelled out here (values from the kernel's
// include/uapi/linux/landlock.h; they never change once released).
#include "plugins/runner/sandbox_landlock.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace switchboard::runner {
namespace {

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#endif
#ifndef SYS_landlock_restrict_self
#define SYS_landlock_restrict_self 446
#endif

#ifndef SYS_landlock_add_rule
#define SYS_landlock_add_rule 445
#endif

constexpr uint32_t kCreateRulesetVersion = 1u << 0;  // LANDLOCK_CREATE_RULESET_VERSION
constexpr int kRulePathBeneath = 1;                   // LANDLOCK_RULE_PATH_BENEATH

// struct landlock_path_beneath_attr (packed in the kernel's header).
struct __attribute__((packed)) PathBeneathAttr {
  uint64_t allowed_access = 0;
  int32_t parent_fd = -1;
};

// Same layout as struct landlock_ruleset_attr of ABI 6; the size passed tells the kernel
// which fields this caller knows, so older kernels get the prefix they understand.
struct RulesetAttr {
  uint64_t handled_access_fs = 0;
  uint64_t handled_access_net = 0;
  uint64_t scoped = 0;
};

// File system rights, by the ABI that introduced them.
constexpr uint64_t kFsRightsAbi1 = (1ull << 13) - 1;  // EXECUTE .. MAKE_SYM
constexpr uint64_t kFsReadFile = 1ull << 2;
constexpr uint64_t kFsReadDir = 1ull << 3;
constexpr uint64_t kFsRefer = 1ull << 13;             // ABI 2
constexpr uint64_t kFsTruncate = 1ull << 14;          // ABI 3
constexpr uint64_t kFsIoctlDev = 1ull << 15;          // ABI 5
constexpr uint64_t kNetBindTcp = 1ull << 0;           // ABI 4
constexpr uint64_t kNetConnectTcp = 1ull << 1;        // ABI 4
constexpr uint64_t kScopeAbstractUnixSocket = 1ull << 0;  // ABI 6
constexpr uint64_t kScopeSignal = 1ull << 1;              // ABI 6
constexpr int kNewestKnownAbi = 6;

RulesetAttr AttrFor(int abi) {
  RulesetAttr attr;
  attr.handled_access_fs = kFsRightsAbi1;
  if (abi >= 2) attr.handled_access_fs |= kFsRefer;
  if (abi >= 3) attr.handled_access_fs |= kFsTruncate;
  if (abi >= 4) attr.handled_access_net = kNetBindTcp | kNetConnectTcp;
  if (abi >= 5) attr.handled_access_fs |= kFsIoctlDev;
  if (abi >= 6) attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
  return attr;
}

size_t AttrSizeFor(int abi) {
  if (abi >= 6) return sizeof(RulesetAttr);
  if (abi >= 4) return offsetof(RulesetAttr, scoped);
  return offsetof(RulesetAttr, handled_access_net);
}

// Grants reading beneath a path (a folder: its files and listings; a file: reading it).
// A path that cannot be opened is skipped: it grants nothing.
bool AllowReading(int ruleset, const std::string& path) {
  const int fd = open(path.c_str(), O_PATH | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat status {};
  PathBeneathAttr rule;
  rule.parent_fd = fd;
  rule.allowed_access = kFsReadFile;
  if (fstat(fd, &status) == 0 && S_ISDIR(status.st_mode)) rule.allowed_access |= kFsReadDir;
  const long added = syscall(SYS_landlock_add_rule, ruleset, kRulePathBeneath, &rule, 0u);
  close(fd);
  return added == 0;
}

}  // namespace

int LandlockAbi() {
  const long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, kCreateRulesetVersion);
  return abi > 0 ? static_cast<int>(abi) : 0;
}

LandlockOutcome ApplyLandlock(const std::vector<std::string>& readable) {
  LandlockOutcome outcome;
  outcome.abi = LandlockAbi();
  if (outcome.abi == 0) {
    outcome.detail = "landlock: not offered by the kernel";
    return outcome;
  }
  const int abi = outcome.abi < kNewestKnownAbi ? outcome.abi : kNewestKnownAbi;
  const RulesetAttr attr = AttrFor(abi);
  const long ruleset = syscall(SYS_landlock_create_ruleset, &attr, AttrSizeFor(abi), 0u);
  if (ruleset < 0) {
    outcome.detail = std::string("landlock: ruleset refused (") + std::strerror(errno) + ")";
    return outcome;
  }
  int granted = 0;
  for (const std::string& path : readable) {
    if (AllowReading(static_cast<int>(ruleset), path)) ++granted;
  }
  const long restricted = syscall(SYS_landlock_restrict_self, static_cast<int>(ruleset), 0u);
  const int restrict_errno = errno;
  close(static_cast<int>(ruleset));
  if (restricted != 0) {
    outcome.detail = std::string("landlock: restrict_self refused (") + std::strerror(restrict_errno) + ")";
    return outcome;
  }
  outcome.applied = true;
  outcome.detail = "landlock: ABI " + std::to_string(outcome.abi) + ", rights of ABI " + std::to_string(abi) +
                   " handled, " +
                   (readable.empty() ? std::string("no file system access")
                                     : "reading only beneath " + std::to_string(granted) + " paths");
  return outcome;
}

}  // namespace switchboard::runner
