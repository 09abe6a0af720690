// switchboard probe: a bulk credential probe of a project on a running host, with a
// progress bar on a terminal and a summary table (or JSON) at the end.
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include <httplib.h>

#include "cli/host_client.hpp"
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "common/bounded_json.hpp"

namespace switchboard::cli {
namespace {

using nlohmann::json;

const char* const kHelp =
    "Usage: switchboard probe --project ID [--status active|inactive|unverified] [--provider ID] [--json]\n"
    "\n"
    "Probes the credentials of every connection of a project (or those matching the\n"
    "filters) on a running host, as one job, and prints a summary per outcome.\n"
    "\n"
    "Options:\n"
    "  --project ID      the project (required)\n"
    "  --status S        only the connections with this status (active, inactive, unverified)\n"
    "  --provider ID     only connections of this provider\n"
    "  --json            print the finished job as JSON (for machines)\n"
    "  --url URL         the host; default http://127.0.0.1:8080       SWITCHBOARD_URL\n"
    "  --token TOKEN     an admin token of the project, or the server admin token;\n"
    "                    default SWITCHBOARD_TOKEN, SWITCHBOARD_ADMIN_TOKEN, else\n"
    "                    <data>/admin.token\n"
    "  --data DIR        the host's data folder, for its admin.token; default ./data\n"
    "\n"
    "Exit status: 0 when every connection was probed, 1 when the job could not run,\n"
    "2 on wrong usage.\n";

void DrawProgress(const json& job) {
  const double total = job.value("total", 0);
  const double done = job.value("done", 0);
  const int width = 30;
  const int filled = total > 0 ? static_cast<int>(width * done / total) : width;
  std::cerr << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
            << static_cast<long>(done) << "/" << static_cast<long>(total) << std::flush;
}

void PrintSummary(const json& job) {
  static const char* kRows[][2] = {{"valid", "valid (active)"},
                                   {"invalid_credentials", "invalid credentials (inactive)"},
                                   {"missing_permission", "missing permission (inactive)"},
                                   {"transient", "transient (unchanged, retried later)"},
                                   {"error", "not probed"}};
  std::cout << std::left << std::setw(40) << "OUTCOME" << "CONNECTIONS\n";
  for (const auto& row : kRows) {
    std::cout << std::left << std::setw(40) << row[1] << job["summary"].value(row[0], 0) << "\n";
  }
  std::cout << std::left << std::setw(40) << "total" << job.value("total", 0) << "\n";
}

std::string PathSegment(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 0xF]};
    }
  }
  return out;
}

}  // namespace

int ProbeCommand(const std::vector<std::string>& argv) {
  auto parsed = ParseArguments(argv, {{"project", "status", "provider", "url", "token", "data"}, {"json"}});
  if (auto exit_code = EndsBeforeStart(parsed, kHelp)) return *exit_code;
  const Arguments& args = *parsed;
  const std::string project = args.Last("project");
  if (project.empty()) return UsageError("--project is required", kHelp);
  const std::string url = args.Setting("url", "SWITCHBOARD_URL", "http://127.0.0.1:8080");
  const std::string token = TokenFrom(args);
  if (token.empty()) return UsageError("no token: pass --token, set SWITCHBOARD_TOKEN, or --data DIR", kHelp);

  httplib::Client client(url);
  client.set_bearer_token_auth(token);
  client.set_connection_timeout(5);
  client.set_read_timeout(120);
  json filter = json::object();
  if (auto status = args.Last("status"); !status.empty()) filter["status"] = status;
  if (auto provider = args.Last("provider"); !provider.empty()) filter["provider"] = provider;
  const std::string jobs = "/v1/projects/" + PathSegment(project) + "/probe-jobs";
  auto started = client.Post(jobs, filter.dump(), "application/json");
  if (!started || started->status != 202) {
    std::cerr << "switchboard probe: " << ProblemText(started) << "\n";
    return kExitFailure;
  }
  json job = ParseAnswer(started->body);
  const bool terminal = isatty(STDERR_FILENO) && !args.Has("json");
  const std::string path = jobs + "/" + job.value("id", "");
  while (job.value("state", "") != "done") {
    if (terminal) DrawProgress(job);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    auto polled = client.Get(path);
    if (!polled || polled->status != 200) {
      std::cerr << "\nswitchboard probe: " << ProblemText(polled) << "\n";
      return kExitFailure;
    }
    job = ParseAnswer(polled->body);
    if (!job.is_object()) {
      std::cerr << "\nswitchboard probe: the host answered with something that is not JSON\n";
      return kExitFailure;
    }
  }
  if (terminal) {
    DrawProgress(job);
    std::cerr << "\n";
  }
  if (args.Has("json")) {
    std::cout << job.dump(2) << "\n";
  } else {
    PrintSummary(job);
  }
  return kExitOk;
}

}  // namespace switchboard::cli
