// The request and response a route handler sees, independent of the HTTP library that
// read them off the wire. Their members are the few the routes use (they were once
// cpp-httplib's): header look-ups are case-insensitive, the path and query parameters
// arrive percent-decoded.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Compares ASCII case-insensitively, as HTTP field names and media types are (RFC 9110).
bool EqualsIgnoreCase(const std::string& a, const std::string& b);

struct HttpRequest {
  std::string method;  // "GET", "POST"...
  std::string target;  // as received: the path and query, still percent-encoded
  std::string path;    // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> params;  // the query, decoded, in order
  HeaderList headers;
  std::string body;

  bool has_header(const std::string& name) const;
  // The first value of the field `name`, or "" when absent.
  std::string get_header_value(const std::string& name) const;
  bool has_param(const std::string& name) const;
  // The first value of the query parameter `name`, or "" when absent.
  std::string get_param_value(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  HeaderList headers;
  std::string body;

  // Replaces any earlier value of the field.
  void set_header(const std::string& name, const std::string& value);
  void set_content(std::string content, const std::string& content_type);
};

// Sends the answer to one request; callable once, from any thread.
using Responder = std::function<void(HttpResponse)>;

// Splits a request target into the decoded path and query parameters. False when the
// target is not origin-form ("/..."), or its path decodes to something unsafe (a NUL).
bool ParseTarget(const std::string& target, HttpRequest& request);

}  // namespace switchboard::http
