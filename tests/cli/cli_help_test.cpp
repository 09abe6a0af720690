// Usage: help texts exit 0 on stdout; wrong usage exits 2 with the reason on stderr.
#include <catch2/catch.hpp>

#include "run_process.hpp"

namespace switchboard::testing {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("help for the host and each command exits 0 with its usage") {
  struct Case {
    std::vector<std::string> args;
    const char* usage;
  };
  const Case cases[] = {
      {{"--help"}, "Usage: switchboard COMMAND"},
      {{"-h"}, "Usage: switchboard COMMAND"},
      {{"plugins", "--help"}, "Usage: switchboard plugins COMMAND"},
      {{"plugins", "check", "--help"}, "Usage: switchboard plugins COMMAND"},
      {{"validate", "--help"}, "Usage: switchboard validate PROVIDER CONFIG.json"},
      {{"store", "--help"}, "Usage: switchboard store COMMAND"},
  };
  for (const auto& c : cases) {
    INFO(c.args.front() << " ... " << c.args.back());
    auto run = RunSwitchboard(c.args);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Contains(c.usage));
    CHECK(run.err.empty());
  }
  CHECK_THAT(RunSwitchboard({"plugins", "--help"}).out, Contains("--no-default-plugins"));
}

TEST_CASE("wrong usage exits 2 and says what was wrong") {
  struct Case {
    std::vector<std::string> args;
    const char* complaint;
  };
  const Case cases[] = {
      {{}, "no command given"},
      {{"frobnicate"}, "unknown command 'frobnicate'"},
      {{"plugins"}, "plugins needs a command"},
      {{"plugins", "frobnicate"}, "unknown plugins command 'frobnicate'"},
      {{"plugins", "list", "--bogus"}, "unknown option --bogus"},
      {{"plugins", "list", "--json=yes"}, "--json takes no value"},
      {{"plugins", "list", "--plugins"}, "--plugins needs a value"},
      {{"plugins", "show"}, "plugins show needs one provider ID"},
      {{"plugins", "check"}, "plugins check needs one FILE"},
      {{"validate", "openai"}, "validate needs PROVIDER and CONFIG.json"},
      {{"validate", "openai", "config.json", "--verbose"}, "unknown option --verbose"},
      {{"store"}, "give one command: check or recover"},
      {{"store", "frobnicate"}, "unknown store command 'frobnicate'"},
      {{"store", "check", "--yes"}, "--yes is for recover"},
  };
  for (const auto& c : cases) {
    INFO(c.complaint);
    auto run = RunSwitchboard(c.args);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.err, Contains(c.complaint));
    CHECK_THAT(run.err, Contains("Usage: switchboard"));
    CHECK(run.out.empty());
  }
}

}  // namespace
}  // namespace switchboard::testing
