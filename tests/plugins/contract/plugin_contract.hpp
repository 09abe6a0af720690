// What the plugin contract test (plugin_contract_test.cpp) needs to know of one plugin:
// where it is, a config that works, its secrets, and its answers to recorded provider
// replies with the verdict each must give. Each plugin's contract_cases.cpp fills one in
// from the bodies its own tests use.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <switchboard/probe.hpp>
#include <switchboard/provider.hpp>

namespace switchboard::testing {

// A probe against recorded replies: the probe's requests are answered in order, the
// last reply again for any request beyond them.
struct ContractCase {
  std::string name;
  std::vector<HttpResponse> replies;
  Outcome outcome;
  std::string reason;
  std::string field;
  std::optional<double> retry_after_seconds;
};

struct PluginContract {
  std::string plugin;                   // file stem and provider id: "openai" for openai.so
  Json config;                          // a config that passes the schema and Validate
  std::set<std::string> secret_fields;  // exactly the fields that are secrets
  std::vector<std::string> secrets;     // every credential of the config and the replies
  std::vector<ContractCase> cases;      // at least one of each of the four outcomes
};

PluginContract OpenAiContract();
PluginContract GoogleCalendarContract();
PluginContract TrelloContract();
PluginContract OutlookContract();

}  // namespace switchboard::testing
