#include "api/router.hpp"

#include <chrono>
#include <limits>

#include "common/bounded_json.hpp"
#include "common/log.hpp"

namespace switchboard::api {
namespace {

// "/v1/projects/{p}/connections/{id}" -> "/v1/projects/([^/]+)/connections/([^/]+)"
std::string ToRegex(const std::string& route) {
  return std::regex_replace(route, std::regex(R"(\{[a-z_]+\})"), "([^/]+)");
}

// ^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$, as a loop: no regex engine on a path parameter.
bool ValidId(const std::string& id) {
  auto alnum = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (id.empty() || id.size() > 128 || !alnum(id[0])) return false;
  for (char c : id) {
    if (!alnum(c) && c != '_' && c != '.' && c != ':' && c != '-') return false;
  }
  return true;
}

bool IsJsonMediaType(const std::string& content_type) {
  std::string base = content_type.substr(0, content_type.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  return base == "application/json" || (base.size() > 5 && base.compare(base.size() - 5, 5, "+json") == 0);
}

}  // namespace

std::optional<nlohmann::json> Call::JsonBody() {
  if (!IsJsonMediaType(req.get_header_value("Content-Type"))) {
    Fail(415, "unsupported_media_type", "send the body as Content-Type: application/json");
    return std::nullopt;
  }
  // The size is the server's --max-body; the depth and encoding are checked here.
  static constexpr JsonLimits kRequestLimits{std::numeric_limits<size_t>::max(), 64};
  auto parsed = ParseBoundedJson(req.body, kRequestLimits);
  if (!parsed.ok()) {
    const std::string& code = parsed.status().code();
    if (code == "too_large") Fail(413, "body_too_large", "the request body is larger than the server accepts");
    else if (code == "too_deep") Fail(400, "too_deep", "the request body is nested deeper than 64 levels");
    else if (code == "not_utf8") Fail(400, "not_utf8", "the request body is not valid UTF-8");
    else Fail(400, "malformed_json", "the request body is not valid JSON");
    return std::nullopt;
  }
  nlohmann::json body = std::move(parsed).value();
  if (!body.is_object()) {
    Fail(400, "malformed_json", "the request body must be a JSON object");
    return std::nullopt;
  }
  return body;
}

Router::Router(httplib::Server& server, Metrics& metrics, const Authenticator& auth,
               std::function<bool(const std::string&)> project_exists)
    : server_(server), metrics_(metrics), auth_(auth), project_exists_(std::move(project_exists)) {
}

void Router::Handle(const std::string& method, const std::string& route, Access access, Handler handler) {
  routes_.push_back({method, route, std::regex(ToRegex(route))});
  const Route* stored = &routes_.back();
  auto wrapped = [this, stored, access, handler = std::move(handler)](const httplib::Request& req,
                                                                      httplib::Response& res) {
    Run(*stored, access, handler, req, res);
  };
  const std::string pattern = ToRegex(route);
  if (method == "GET") server_.Get(pattern, wrapped);
  else if (method == "POST") server_.Post(pattern, wrapped);
  else if (method == "PUT") server_.Put(pattern, wrapped);
  else if (method == "PATCH") server_.Patch(pattern, wrapped);
  else if (method == "DELETE") server_.Delete(pattern, wrapped);
}

void Router::Run(const Route& route, Access access, const Handler& handler, const httplib::Request& req,
                 httplib::Response& res) {
  auto started = std::chrono::steady_clock::now();
  std::vector<std::string> params;
  for (size_t i = 1; i < req.matches.size(); ++i) params.push_back(req.matches[i]);
  Principal principal;
  auto finish = [&] {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.Record(route.method, route.route, res.status, seconds);
  };
  auto fail = [&](int status, const char* code, const std::string& detail) {
    Problem p;
    p.status = status;
    p.code = code;
    p.detail = detail;
    SendProblem(res, p);
    finish();
  };
  for (const auto& p : params) {
    if (!ValidId(p)) return fail(400, "bad_id", "'" + p + "' is not a valid id");
  }
  if (access != Access::kPublic) {
    auto who = auth_.Authenticate(req);
    if (!who.ok()) {
      res.set_header("WWW-Authenticate", "Bearer");
      return fail(401, "unauthorized", who.status().message());
    }
    principal = *who;
  }
  if (access == Access::kServerAdmin && !principal.server_admin) {
    return fail(403, "forbidden", "only the server admin token may do this");
  }
  if (access == Access::kProjectRead || access == Access::kProjectWrite) {
    const std::string& project = params.at(0);
    // A project the caller cannot see looks exactly like one that does not exist.
    if (!principal.CanSee(project) || !project_exists_(project)) {
      return fail(404, "not_found", "no project '" + project + "'");
    }
    if (access == Access::kProjectWrite && !principal.CanChange(project)) {
      return fail(403, "forbidden", "members can view this project but only admins can change it");
    }
  }
  Call call(req, res, principal, std::move(params));
  handler(call);
  finish();
}

void Router::InstallFallbacks() {
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112
  // 6.3), but the packaged cpp-httplib reads such a POST until the client closes, so a
  // plain `curl -X POST` would hang for the read timeout. Say the body is empty instead.
  server_.set_pre_routing_handler([](const httplib::Request& req, httplib::Response&) {
    if (!req.has_header("Content-Length") && !req.has_header("Transfer-Encoding")) {
      const_cast<httplib::Request&>(req).headers.emplace("Content-Length", "0");
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  server_.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;  // a handler already sent its problem
    Problem p;
    p.status = res.status;
    if (res.status == 404) {
      std::string allowed;
      for (const auto& route : routes_) {
        if (std::regex_match(req.path, route.pattern)) allowed += (allowed.empty() ? "" : ", ") + route.method;
      }
      if (!allowed.empty()) {
        p.status = 405;
        p.code = "method_not_allowed";
        p.detail = req.method + " is not allowed on " + req.path + "; allowed: " + allowed;
        res.set_header("Allow", allowed);
      } else {
        p.code = "route_not_found";
        p.detail = "no route " + req.method + " " + req.path;
      }
    } else if (res.status == 413) {
      p.code = "body_too_large";
      p.detail = "the request body is larger than the server accepts";
    } else if (res.status == 400) {
      p.code = "bad_request";
      p.detail = "the request could not be parsed";
    } else {
      p.code = res.status >= 500 ? "internal" : "bad_request";
      p.detail = "request failed with HTTP " + std::to_string(res.status);
    }
    SendProblem(res, p);
    metrics_.Record(req.method, "unmatched", res.status, 0);
  });
  server_.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown exception";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::Error("unhandled exception in " + req.method + " " + req.path + ": " + what);
    Problem p;
    p.status = 500;
    p.code = "internal";
    p.detail = "the server failed while handling this request";
    SendProblem(res, p);
  });
}

}  // namespace switchboard::api
