#include "api/problem.hpp"

#include <map>

namespace switchboard::api {
namespace {

const std::map<std::string, int>& StatusTable() {
  static const std::map<std::string, int> table = {
      {"malformed_json", 400},   {"too_deep", 400},          {"not_utf8", 400},
      {"bad_request", 400},       {"bad_parameter", 400},
      {"bad_cursor", 400},       {"bad_id", 400},            {"unauthorized", 401},
      {"forbidden", 403},        {"not_found", 404},         {"route_not_found", 404},
      {"method_not_allowed", 405}, {"conflict", 409},        {"name_taken", 409},
      {"connection_in_use", 409}, {"in_use", 409},           {"body_too_large", 413},   {"headers_too_large", 431},
      {"unsupported_media_type", 415}, {"invalid_config", 422}, {"invalid_body", 422},
      {"unknown_provider", 422}, {"unknown_connection", 422}, {"busy", 503},
      {"credentials_rejected", 422}, {"probe_unavailable", 503}, {"secrets_required", 422},
      {"plugin_error", 502},     {"plugin_output_invalid", 502},     {"plugin_unavailable", 503},     {"corruption", 500},        {"io_error", 500},
      {"connection_not_referenced", 403}, {"connection_inactive", 409},
      {"provider_cannot_authorize", 501}, {"path_refused", 400},
      {"authorization_failed", 503}, {"provider_unreachable", 502}, {"provider_timeout", 504},
      {"provider_response_too_large", 502}, {"origin_refused", 502},
      {"storage_full", 507},     {"storage_unavailable", 503}, {"internal", 500}};
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
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 504: return "Gateway Timeout";
    case 503: return "Service Unavailable";
    case 507: return "Insufficient Storage";
    default: return "Internal Server Error";
  }
}

// Storage failures get a fixed detail: the store already keeps RocksDB's text (data
// path, file names, offsets) out of its messages and logs it, and this makes sure no
// storage, file system or parser message reaches a client whatever produced the Status.
const std::map<std::string, std::string>& FixedDetails() {
  static const std::map<std::string, std::string> details = {
      {"storage_full", "The data volume is full, so the change was not stored. Changes are accepted again "
                       "as soon as space is freed."},
      {"storage_unavailable", "The storage cannot be used right now, so nothing was changed. Retry later."},
      {"corruption", "Stored data failed its integrity check and cannot be read."},
      {"io_error", "The host could not read or write a file it needs."}};
  return details;
}

}  // namespace

int HttpStatusFor(const std::string& code) {
  auto it = StatusTable().find(code);
  return it == StatusTable().end() ? 500 : it->second;
}

Problem ProblemFrom(const Status& status) {
  Problem problem;
  problem.code = status.Is(Code::kInUse) ? "connection_in_use" : status.code_name();
  problem.errors = status.field_errors();
  problem.status = HttpStatusFor(problem.code);
  auto fixed = FixedDetails().find(problem.code);
  problem.detail = fixed != FixedDetails().end() ? fixed->second : status.message();
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
