// Routes on top of cpp-httplib: path templates with {params}, access rules checked
// before a handler runs, problem+json for every failure, per-route metrics, and 405 with
// Allow for a known path under the wrong method.
#pragma once

#include <functional>
#include <regex>
#include <string>
#include <deque>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "api/auth.hpp"
#include "api/metrics.hpp"
#include "api/problem.hpp"

namespace switchboard::api {

enum class Access {
  kPublic,         // no token needed
  kAuthenticated,  // any valid token
  kProjectRead,    // first path parameter is a project the caller can see
  kProjectWrite,   // ... and may change (project admin or server admin)
  kServerAdmin     // the server admin token only
};

// One request being handled.
class Call {
 public:
  Call(const httplib::Request& req, httplib::Response& res, Principal principal, std::vector<std::string> params)
      : req(req), res(res), principal(std::move(principal)), params_(std::move(params)) {}

  const httplib::Request& req;
  httplib::Response& res;
  const Principal principal;

  const std::string& param(size_t i) const { return params_.at(i); }
  std::string query(const std::string& name) const {
    return req.has_param(name.c_str()) ? req.get_param_value(name.c_str()) : std::string();
  }

  // The body as a JSON object; on failure a problem has been sent and nullopt returned.
  std::optional<nlohmann::json> JsonBody();

  void Reply(int status, const nlohmann::json& body) { SendJson(res, status, body); }
  void Fail(const Problem& problem) { SendProblem(res, problem); }
  void Fail(const Status& status) { SendProblem(res, ProblemFrom(status)); }
  void Fail(int http_status, std::string code, std::string detail, std::vector<FieldError> errors = {}) {
    Problem p;
    p.status = http_status;
    p.code = std::move(code);
    p.detail = std::move(detail);
    p.errors = std::move(errors);
    SendProblem(res, p);
  }

 private:
  std::vector<std::string> params_;
};

class Router {
 public:
  using Handler = std::function<void(Call&)>;
  // `project_exists` answers whether a project id exists (for the project access rules).
  Router(httplib::Server& server, Metrics& metrics, const Authenticator& auth,
         std::function<bool(const std::string&)> project_exists);

  void Handle(const std::string& method, const std::string& route, Access access, Handler handler);

  // Installs the error handler that turns unrouted requests and httplib's own errors
  // (413 and friends) into problems. Call once, after every Handle.
  void InstallFallbacks();

 private:
  struct Route {
    std::string method;
    std::string route;
    std::regex pattern;
  };
  void Run(const Route& route, Access access, const Handler& handler, const httplib::Request& req,
           httplib::Response& res);

  httplib::Server& server_;
  Metrics& metrics_;
  const Authenticator& auth_;
  std::function<bool(const std::string&)> project_exists_;
  std::deque<Route> routes_;  // deque: handlers keep pointers to their Route
};

}  // namespace switchboard::api
