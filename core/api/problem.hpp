// Errors at the HTTP edge: RFC 9457 application/problem+json with a stable
// machine-readable `code`, and for validation the per-field `errors` a form shows.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <switchboard/provider.hpp>

#include "common/status.hpp"
#include "http/http_message.hpp"

namespace switchboard::api {

struct Problem {
  int status = 500;
  std::string code;    // e.g. "invalid_config", "connection_in_use"
  std::string detail;  // one sentence about this occurrence
  std::vector<FieldError> errors;
  nlohmann::json extensions = nlohmann::json::object();  // extra members, e.g. references
};

// The HTTP status a core Status code maps to (404 for not_found, 409 for name_taken...).
int HttpStatusFor(const std::string& code);

// A Problem for a failed core Status.
Problem ProblemFrom(const Status& status);

void SendProblem(http::HttpResponse& res, const Problem& problem);
void SendJson(http::HttpResponse& res, int status, const nlohmann::json& body);

}  // namespace switchboard::api
