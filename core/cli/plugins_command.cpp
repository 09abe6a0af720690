// switchboard plugins list | show ID | check FILE
#include <iomanip>
#include <iostream>

#include <algorithm>

#include "cli/commands.hpp"
#include "cli/host_client.hpp"
#include "cli/plugin_exercise.hpp"

namespace switchboard::cli {
namespace {

using nlohmann::json;

std::string Help() {
  return std::string(
             "Usage: switchboard plugins COMMAND [options]\n"
             "\n"
             "Commands:\n"
             "  list         the loaded providers: id, name, version, file\n"
             "  show ID      one provider's manifest and field schema, as JSON on stdout\n"
             "  reload       make a running host rescan its plugin folders (new and changed\n"
             "               libraries load in new runners, removed ones become unavailable)\n"
             "               and print what changed, with the stored connections a new\n"
             "               version's schema no longer accepts (exit 1 when one was refused)\n"
             "  check FILE   load one library (in a runner, as the host does), call validate\n"
             "               with {} and a sample config and one probe step with a canned\n"
             "               reply, and print what it declares and answers, or exactly why\n"
             "               it is refused (exit 1 when refused or a call fails)\n"
             "\n"
             "Options:\n"
             "  --json                 machine-readable output (list, check, reload)\n"
             "  --url URL              reload: the host; default http://127.0.0.1:8080  SWITCHBOARD_URL\n"
             "  --token TOKEN          reload: the server admin token; default SWITCHBOARD_TOKEN,\n"
             "                         SWITCHBOARD_ADMIN_TOKEN, else <--data or ./data>/admin.token\n"
             "  --data DIR             reload: the host's data folder, for its admin.token\n") +
         kPluginOptionsHelp;
}

std::string AbiText(uint32_t packed) {
  return std::to_string(SB_ABI_VERSION_MAJOR_OF(packed)) + "." +
         std::to_string(SB_ABI_VERSION_MINOR_OF(packed));
}

json Summary(const LoadedProvider& p) {
  return {{"id", p.id()},
          {"name", p.manifest().value("name", "")},
          {"version", p.manifest().value("version", "")},
          {"abi", AbiText(p.abi_version())},
          {"file", p.file().string()}};
}

int List(const Arguments& args) {
  ProviderRegistry registry;
  LoadReport report = LoadPlugins(args, registry);
  if (args.Has("json")) {
    json out = {{"providers", json::array()}, {"refused", json::array()}};
    for (const auto& p : registry.List()) out["providers"].push_back(Summary(*p));
    for (const auto& r : report.refused) {
      out["refused"].push_back({{"file", r.file.string()}, {"reason", CodeName(r.reason)}, {"message", r.message}});
    }
    std::cout << out.dump(2) << "\n";
    return kExitOk;
  }
  std::cout << std::left << std::setw(18) << "ID" << std::setw(20) << "NAME" << std::setw(10)
            << "VERSION" << "FILE\n";
  for (const auto& p : registry.List()) {
    std::cout << std::setw(18) << p->id() << std::setw(20) << p->manifest().value("name", "")
              << std::setw(10) << p->manifest().value("version", "") << p->file().string() << "\n";
  }
  if (registry.size() == 0) std::cout << "(no providers loaded)\n";
  return kExitOk;
}

int Show(const Arguments& args) {
  if (args.positionals.size() != 1) return UsageError("plugins show needs one provider ID", Help().c_str());
  ProviderRegistry registry;
  LoadPlugins(args, registry);
  auto provider = registry.Find(args.positionals[0]);
  if (!provider) {
    std::cerr << "switchboard: unknown provider '" << args.positionals[0] << "'; loaded:";
    for (const auto& p : registry.List()) std::cerr << " " << p->id();
    std::cerr << "\n";
    return kExitFailure;
  }
  json out = provider->manifest();
  out["abi"] = AbiText(provider->abi_version());
  out["file"] = provider->file().string();
  std::cout << out.dump(2) << "\n";
  return kExitOk;
}

std::string FieldLine(const json& schema, const std::string& name) {
  const json& field = schema["properties"][name];
  std::vector<std::string> notes;
  notes.push_back(field.value("type", "?"));
  if (field.value("writeOnly", false)) notes.push_back("secret");
  if (schema.contains("required")) {
    for (const auto& r : schema["required"]) {
      if (r == name) notes.push_back("required");
    }
  }
  if (field.contains("x-group")) notes.push_back("group " + field["x-group"].get<std::string>());
  std::string joined;
  for (const auto& n : notes) joined += (joined.empty() ? "" : ", ") + n;
  return name + " (" + joined + "): " + field.value("title", "");
}

int64_t CountIn(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

std::string TextIn(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "?";
}

// The lines under a reloaded provider whose new schema refuses stored connections
// ("" when it refuses none).
std::string IncompatibleNote(const json& incompatible) {
  constexpr int64_t kShown = 5;
  const std::string indent(12, ' ');
  if (!incompatible.is_object()) return indent + "its stored connections could not be checked against its schema\n";
  std::string note;
  const int64_t count = CountIn(incompatible, "count");
  if (count > 0) {
    note = indent + std::to_string(count) + (count == 1 ? " stored connection no longer passes" : " stored connections no longer pass") +
           " its schema (kept unchanged):";
    const json& ids = incompatible.contains("ids") && incompatible["ids"].is_array() ? incompatible["ids"] : json::array();
    int64_t shown = 0;
    for (const auto& c : ids) {
      if (shown == kShown) break;
      if (!c.is_object()) continue;
      note += " " + TextIn(c, "project") + "/" + TextIn(c, "id");
      ++shown;
    }
    if (count > shown) {
      note += " and " + std::to_string(count - shown) + " more (--json lists the first " + std::to_string(ids.size()) + ")";
    }
    note += "\n";
  }
  const int64_t unreadable = CountIn(incompatible, "unreadable");
  if (unreadable > 0) note += indent + std::to_string(unreadable) + " stored connection(s) could not be read to check them\n";
  return note;
}

int Reload(const Arguments& args) {
  const std::string url = args.Setting("url", "SWITCHBOARD_URL", "http://127.0.0.1:8080");
  const std::string token = TokenFrom(args);
  if (token.empty()) return UsageError("no token: pass --token, set SWITCHBOARD_TOKEN, or --data DIR", Help().c_str());
  httplib::Client client(url);
  client.set_bearer_token_auth(token);
  client.set_connection_timeout(5);
  client.set_read_timeout(300);
  auto answer = client.Post("/v1/admin/plugins/reload", "", "application/json");
  if (!answer || answer->status != 200) {
    std::cerr << "switchboard plugins reload: " << ProblemText(answer) << "\n";
    return kExitFailure;
  }
  json report = ParseAnswer(answer->body);
  if (!report.is_object() || !report.contains("plugins") || !report["plugins"].is_array()) {
    std::cerr << "switchboard plugins reload: the host's answer is not a reload report\n";
    return kExitFailure;
  }
  bool refused = false;
  for (const auto& item : report["plugins"]) refused = refused || item.value("action", "") == "refused";
  if (args.Has("json")) {
    std::cout << report.dump(2) << "\n";
    return refused ? kExitFailure : kExitOk;
  }
  std::cout << std::left << std::setw(12) << "ACTION" << std::setw(18) << "ID" << "FILE\n";
  for (const auto& item : report["plugins"]) {
    const std::string id = item["id"].is_string() ? item["id"].get<std::string>() : "-";
    std::cout << std::setw(12) << item.value("action", "?") << std::setw(18) << id << item.value("file", "");
    if (item.contains("reason")) std::cout << "  [" << item.value("reason", "") << "] " << item.value("message", "");
    std::cout << "\n";
    if (item.contains("incompatible_connections")) std::cout << IncompatibleNote(item["incompatible_connections"]);
  }
  return refused ? kExitFailure : kExitOk;
}

int Check(const Arguments& args) {
  if (args.positionals.size() != 1) return UsageError("plugins check needs one FILE", Help().c_str());
  std::filesystem::path file = args.positionals[0];
  auto loaded = LoadPlugin(file, PluginHostOptionsFrom(args).value());
  if (!loaded.ok()) {
    if (args.Has("json")) {
      std::cout << json{{"file", file.string()}, {"ok", false}, {"reason", loaded.status().code_name()},
                        {"message", loaded.status().message()}}.dump(2) << "\n";
    } else {
      std::cerr << "refused [" << loaded.status().code_name() << "] " << loaded.status().message() << "\n";
    }
    return kExitFailure;
  }
  const LoadedProvider& p = **loaded;
  const std::vector<ExerciseStep> exercised = ExercisePlugin(p);
  const bool answered = std::all_of(exercised.begin(), exercised.end(), [](const ExerciseStep& s) { return s.ok; });
  // A plugin that loads alone may still collide with one already installed.
  ProviderRegistry registry;
  LoadPlugins(args, registry);
  auto clash = registry.Find(p.id());
  bool same_file = clash && std::filesystem::weakly_canonical(clash->file()) ==
                                std::filesystem::weakly_canonical(p.file());
  if (args.Has("json")) {
    json out = Summary(p);
    out["ok"] = answered;
    if (!answered) out["reason"] = "plugin_misbehaves";
    out["schema"] = p.field_schema();
    out["calls"] = json::array();
    for (const auto& step : exercised) {
      out["calls"].push_back({{"call", step.name}, {"ok", step.ok}, {"detail", step.detail}});
    }
    if (clash && !same_file) out["warning"] = "provider id also loaded from " + clash->file().string();
    std::cout << out.dump(2) << "\n";
    return answered ? kExitOk : kExitFailure;
  }
  std::cout << (answered ? "ok: " : "refused [plugin_misbehaves] ") << p.file().string() << "\n"
            << "  id:      " << p.id() << "\n"
            << "  name:    " << p.manifest().value("name", "") << "\n"
            << "  version: " << p.manifest().value("version", "") << "\n"
            << "  abi:     " << AbiText(p.abi_version()) << "\n"
            << "  fields:\n";
  for (const auto& name : p.field_schema()["x-order"]) {
    std::cout << "    " << FieldLine(p.field_schema(), name.get<std::string>()) << "\n";
  }
  std::cout << "  calls (" << (p.isolated() ? "in a runner" : "in this process") << "):\n";
  for (const auto& step : exercised) {
    std::cout << "    " << (step.ok ? "ok     " : "FAILED ") << step.name << ": " << step.detail << "\n";
  }
  if (clash && !same_file) {
    std::cout << "warning: provider id '" << p.id() << "' is also loaded from "
              << clash->file().string() << "; the host would refuse one of them\n";
  }
  return answered ? kExitOk : kExitFailure;
}

}  // namespace

int PluginsCommand(const std::vector<std::string>& argv) {
  const std::string help = Help();
  ArgumentSpec spec{{"url", "token", "data"}, {"json"}};
  auto parsed = ParsePluginCommandArguments(argv, spec);
  if (!parsed.ok()) return UsageError(parsed.status().message(), help.c_str());
  Arguments args = std::move(parsed).value();
  if (args.positionals.empty()) {
    if (args.Has("help")) {
      std::cout << help;
      return kExitOk;
    }
    return UsageError("plugins needs a command", help.c_str());
  }
  std::string command = args.positionals.front();
  args.positionals.erase(args.positionals.begin());
  if (args.Has("help")) {
    std::cout << help;
    return kExitOk;
  }
  if (command == "list") return List(args);
  if (command == "show") return Show(args);
  if (command == "check") return Check(args);
  if (command == "reload") return Reload(args);
  return UsageError("unknown plugins command '" + command + "'", help.c_str());
}

}  // namespace switchboard::cli
