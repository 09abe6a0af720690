// openapi_check: does one real response conform to schemas/openapi.json?
//
//   openapi_check [--spec FILE] [--content-type TYPE] [--unrouted] METHOD PATH STATUS [BODY_FILE|-]
//
// PATH is the concrete request path (/v1/projects/abc/connections/xyz, query allowed).
// The body is read from BODY_FILE, or stdin when it is "-" or left out. --unrouted checks
// a request the document says no route takes (404/405 with a problem body).
// Exit: 0 conforms, 1 violations (each printed on stderr), 2 bad usage or document.
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "openapi/openapi_contract.hpp"

namespace {

constexpr const char* kUsage =
    "usage: openapi_check [--spec FILE] [--content-type TYPE] [--unrouted] METHOD PATH STATUS [BODY_FILE|-]\n";

bool ReadAll(const std::string& file, std::string* out) {
  if (file == "-") {
    out->assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  std::stringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string spec = OPENAPI_DEFAULT_SPEC;
  bool unrouted = false;
  switchboard::openapi::ObservedResponse response;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if ((arg == "--spec" || arg == "--content-type") && i + 1 < argc) {
      (arg == "--spec" ? spec : response.content_type) = argv[++i];
    } else if (arg == "--unrouted") {
      unrouted = true;
    } else if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else {
      positional.push_back(arg);
    }
  }
  if (positional.size() < 3 || positional.size() > 4) {
    std::cerr << kUsage;
    return 2;
  }
  response.method = positional[0];
  response.path = positional[1];
  try {
    response.status = std::stoi(positional[2]);
  } catch (const std::exception&) {
    std::cerr << "openapi_check: STATUS must be a number, got '" << positional[2] << "'\n";
    return 2;
  }
  const std::string body_file = positional.size() == 4 ? positional[3] : "-";
  if (!ReadAll(body_file, &response.body)) {
    std::cerr << "openapi_check: cannot read " << body_file << "\n";
    return 2;
  }
  try {
    auto contract = switchboard::openapi::OpenApiContract::FromFile(spec);
    auto violations = unrouted ? contract.CheckUnrouted(response) : contract.Check(response);
    for (const auto& v : violations) std::cerr << "openapi: " << v << "\n";
    return violations.empty() ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "openapi_check: " << e.what() << "\n";
    return 2;
  }
}
