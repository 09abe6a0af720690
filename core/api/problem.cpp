#include "api/problem.hpp"

#include <map>

namespace switchboard::api {
namespace {

const std::map<std::string, int>& StatusTable() {
  static const std::map<std::string, int> table = {
      {"malformed_json", 400},   {"bad_request", 400},       {"bad_parameter", 400},
      {"bad_cursor", 400},       {"bad_id", 400},            {"unauthorized", 401},
      {"forbidden", 403},        {"not_found", 404},         {"route_not_found", 404},
      {"method_not_allowed", 405}, {"conflict", 409},        {"name_taken", 409},
      {"connection_in_use", 409}, {"in_use", 409},           {"body_too_large", 413},   {"headers_too_large", 431},
      {"unsupported_media_type", 415}, {"invalid_config", 422}, {"invalid_body", 422},
      {"unknown_provider", 422}, {"unknown_connection", 422}, {"busy", 503},
      {"credentials_rejected", 422}, {"probe_unavailable", 503},
      {"plugin_error", 502},     {"corruption", 500},        {"io_error", 500},
      {"internal", 500}};
  return table;
}

std::string TitleFor(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 431: return "Request Header Fields Too Large";
    case 422: return "Unprocessable Content";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
  }
}

}  // namespace

int HttpStatusFor(const std::string& code) {
  auto it = StatusTable().find(code);
  return it == StatusTable().end() ? 500 : it->second;
}

Problem ProblemFrom(const Status& status) {
  Problem problem;
  problem.code = status.code() == "in_use" ? "connection_in_use" : status.code();
  problem.status = HttpStatusFor(problem.code);
  problem.detail = status.message();
  return problem;
}

void SendProblem(http::HttpResponse& res, const Problem& problem) {
  nlohmann::json body = problem.extensions;
  body["type"] = "https://switchboard.dev/problems/" + problem.code;
  body["title"] = TitleFor(problem.status);
  body["status"] = problem.status;
  body["detail"] = problem.detail;
  body["code"] = problem.code;
  body["errors"] = problem.errors;
  res.status = problem.status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                  "application/problem+json");
}

void SendJson(http::HttpResponse& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), "application/json");
}

}  // namespace switchboard::api
