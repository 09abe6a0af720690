// Opens a built plugin .so and hands out its entry point, for tests that drive a real
// plugin through switchboard::testing::FakeHost. The library stays loaded as long as
// the PluginLibrary object lives.
#pragma once

#include <stdexcept>
#include <string>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>
#include <switchboard/provider_abi.h>

namespace switchboard::testing {

class PluginLibrary {
 public:
  // `name` is the plugin's file stem, e.g. "openai" for <plugin dir>/openai.so.
  explicit PluginLibrary(const std::string& name)
      : library_(std::string(SWITCHBOARD_PLUGIN_DIR) + "/" + name + ".so",
                 boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local) {
    if (!library_.has(SB_PROVIDER_ENTRY_SYMBOL)) throw std::runtime_error(name + ".so has no entry point");
  }
  sb_provider_entry_fn entry() {
    return &library_.get<const sb_provider_v1*(const sb_host_v1*, char*, size_t)>(
        SB_PROVIDER_ENTRY_SYMBOL);
  }

 private:
  boost::dll::shared_library library_;
};

}  // namespace switchboard::testing
