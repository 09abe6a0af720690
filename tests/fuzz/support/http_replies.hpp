// Provider replies as a harness reads them from fuzz input: HTTP/1.1 response messages,
// one after another, each ended by a line "%%" (or the end of the input).
//
//   HTTP/1.1 401 Unauthorized
//   content-type: application/json
//
//   {"error":{"code":"invalid_api_key"}}
//   %%
//   HTTP/1.1 200 OK
//   ...
//
// The status is whatever three digits follow the first space (000-999); header names
// are lower-cased and a repeated header's values are joined with ", ", as the host's
// HTTP client (probe_net/fetch_operation.cpp) hands them to plugins; the body is every byte after the blank line, verbatim
// (any bytes: the wire does not promise UTF-8). Malformed heads never fail: they
// give a status of 0 or no headers, which the plugin must cope with as well.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/probe.hpp>

namespace switchboard::fuzz {

inline constexpr std::string_view kReplySeparator = "\n%%\n";

inline std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

inline std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

inline HttpResponse ParseReply(std::string_view message) {
  HttpResponse reply;
  size_t line_end = message.find('\n');
  std::string_view status_line = message.substr(0, line_end);
  size_t space = status_line.find(' ');
  if (space != std::string_view::npos && space + 4 <= status_line.size()) {
    std::string_view digits = status_line.substr(space + 1, 3);
    bool numeric = true;
    for (char c : digits) numeric = numeric && std::isdigit(static_cast<unsigned char>(c));
    if (numeric) reply.status = std::stoi(std::string(digits));
  }
  if (line_end == std::string_view::npos) return reply;
  size_t pos = line_end + 1;
  while (pos < message.size()) {
    size_t end = message.find('\n', pos);
    std::string_view line = message.substr(pos, end == std::string_view::npos ? end : end - pos);
    pos = end == std::string_view::npos ? message.size() : end + 1;
    if (Trim(line).empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string value(Trim(line.substr(colon + 1)));
    auto [it, inserted] = reply.headers.emplace(Lower(Trim(line.substr(0, colon))), value);
    if (!inserted) it->second += ", " + value;
  }
  reply.body = std::string(message.substr(pos));
  return reply;
}

inline std::vector<HttpResponse> ParseReplies(std::string_view input) {
  std::vector<HttpResponse> replies;
  while (!input.empty()) {
    size_t end = input.find(kReplySeparator);
    replies.push_back(ParseReply(input.substr(0, end)));
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + kReplySeparator.size());
  }
  return replies;
}

}  // namespace switchboard::fuzz
