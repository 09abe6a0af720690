// A harness's own assertions. A broken invariant is a finding like a crash: libFuzzer
// keeps the input that broke it (abort() is a deadly signal to it).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>

namespace switchboard::fuzz {

[[noreturn]] inline void Fail(const std::string& what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant broken at %s:%d: %s\n", file, line, what.c_str());
  std::abort();
}

}  // namespace switchboard::fuzz

// FUZZ_CHECK(condition, "what must hold" + detail)
#define FUZZ_CHECK(condition, what)                                           \
  do {                                                                        \
    if (!(condition)) ::switchboard::fuzz::Fail((what), __FILE__, __LINE__);  \
  } while (0)
