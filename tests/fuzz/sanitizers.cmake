# Compiler settings of the fuzz build (SWITCHBOARD_FUZZ=ON), included before any target
# exists so every library, plugin and harness is instrumented alike: libFuzzer's
# coverage counters, AddressSanitizer and UBSan (which aborts, so a finding is a crash).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "SWITCHBOARD_FUZZ needs clang and libFuzzer: configure with "
                      "CC=clang CXX=clang++ (scripts/fuzz does)")
endif()
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                    -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
