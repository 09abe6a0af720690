// Helpers every plugin's tests use: canned JSON answers, reading a form body back, and
// the checks that no credential leaks and that errors name the right fields.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <switchboard/testing.hpp>

namespace switchboard::testing {

inline HttpResponse JsonResponse(int status, const std::string& body, Headers extra = {}) {
  extra["content-type"] = "application/json; charset=utf-8";
  return HttpResponse{status, extra, body};
}

// An application/x-www-form-urlencoded body as name -> value.
inline std::map<std::string, std::string> FormDecode(const std::string& body) {
  auto decode = [](const std::string& text) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '%' && i + 2 < text.size()) {
        out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
        i += 2;
      } else {
        out.push_back(text[i] == '+' ? ' ' : text[i]);
      }
    }
    return out;
  };
  std::map<std::string, std::string> fields;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string pair = body.substr(start, end - start);
    size_t eq = pair.find('=');
    if (!pair.empty()) {
      fields[decode(pair.substr(0, eq))] = eq == std::string::npos ? "" : decode(pair.substr(eq + 1));
    }
    start = end + 1;
  }
  return fields;
}

// The fields that have an error with `code`.
inline std::set<std::string> FieldsWith(const std::vector<FieldError>& errors, const std::string& code) {
  std::set<std::string> fields;
  for (const auto& e : errors) {
    if (e.code == code) fields.insert(e.field);
  }
  return fields;
}

// No credential may reach a message, a reason or a log line, whatever the provider said.
inline void CheckNoSecrets(const FakeHost::ProbeRun& run, const FakeHost& host,
                           const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    CHECK(run.result.message.find(secret) == std::string::npos);
    CHECK(run.result.reason.find(secret) == std::string::npos);
    for (const auto& line : host.log_lines) CHECK(line.find(secret) == std::string::npos);
  }
}

}  // namespace switchboard::testing
