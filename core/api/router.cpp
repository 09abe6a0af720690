#include "api/router.hpp"

#include <chrono>
#include <limits>
#include <switchboard/text_util.hpp>

#include "common/bounded_json.hpp"
#include "common/log.hpp"

namespace switchboard::api {
namespace {

// "/v1/projects/{p}" -> {"", "v1", "projects", "{p}"}
std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) return parts;
    start = slash + 1;
  }
}

bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Fills `params` with the path's values for the route's {parameters}.
bool IsTail(const std::string& segment) { return segment == "{path...}"; }

bool Matches(const std::vector<std::string>& route, const std::vector<std::string>& path,
             std::vector<std::string>* params) {
  const bool tail = !route.empty() && IsTail(route.back());
  const size_t fixed = tail ? route.size() - 1 : route.size();
  if (tail ? path.size() < fixed : path.size() != fixed) return false;
  std::vector<std::string> values;
  for (size_t i = 0; i < fixed; ++i) {
    if (IsParameter(route[i])) {
      if (path[i].empty()) return false;
      values.push_back(path[i]);
    } else if (route[i] != path[i]) {
      return false;
    }
  }
  if (params) *params = std::move(values);
  return true;
}

// [A-Za-z0-9][A-Za-z0-9_.:-]{0,127}
bool ValidId(const std::string& id) {
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (id.empty() || id.size() > 128 || !alnum(id[0])) return false;
  for (char c : id) {
    if (!alnum(c) && c != '_' && c != '.' && c != ':' && c != '-') return false;
  }
  return true;
}

// Media types compare case-insensitively (RFC 9110 8.3.1): "Application/JSON" is JSON.
bool IsJsonMediaType(const std::string& content_type) {
  std::string base = Lower(content_type.substr(0, content_type.find(';')));
  while (!base.empty() && (base.back() == ' ' || base.back() == '\t')) base.pop_back();
  while (!base.empty() && (base.front() == ' ' || base.front() == '\t')) base.erase(0, 1);
  return base == "application/json" || (base.size() > 5 && base.compare(base.size() - 5, 5, "+json") == 0);
}

http::HttpResponse ProblemResponse(int status, const std::string& code, const std::string& detail) {
  Problem p;
  p.status = status;
  p.code = code;
  p.detail = detail;
  http::HttpResponse res;
  SendProblem(res, p);
  return res;
}

}  // namespace

struct Deferred::Keeper {
  std::shared_ptr<Call> call;
  ~Keeper() {
    if (!call || call->completed_) return;
    log::Error("a deferred " + call->req.method + " " + call->req.path + " was dropped without an answer");
    call->res = {};
    SendProblem(call->res, ProblemFrom(Status::Error(Code::kInternal, "the server failed while handling this request")));
    call->Complete();
  }
};

Call* Deferred::operator->() const { return keeper_->call.get(); }
Call& Deferred::operator*() const { return *keeper_->call; }

Deferred Call::Defer() {
  deferred_ = true;
  Deferred handle;
  handle.keeper_ = std::make_shared<Deferred::Keeper>();
  handle.keeper_->call = self_.lock();
  return handle;
}

void Call::Complete() {
  if (completed_.exchange(true)) return;
  completion_(*this);
}

std::optional<nlohmann::json> Call::JsonBody() {
  if (!IsJsonMediaType(req.get_header_value("Content-Type"))) {
    Fail(415, "unsupported_media_type", "send the body as Content-Type: application/json");
    return std::nullopt;
  }
  // The size is the server's --max-body; the depth and encoding are checked here.
  static constexpr JsonLimits kRequestLimits{std::numeric_limits<size_t>::max(), 64};
  auto parsed = ParseBoundedJson(req.body, kRequestLimits);
  if (!parsed.ok()) {
    const Code code = parsed.status().code();
    if (code == Code::kTooLarge) Fail(413, "body_too_large", "the request body is larger than the server accepts");
    else if (code == Code::kTooDeep) Fail(400, "too_deep", "the request body is nested deeper than 64 levels");
    else if (code == Code::kNotUtf8) Fail(400, "not_utf8", "the request body is not valid UTF-8");
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

Router::Router(Metrics& metrics, const Authenticator& auth, std::function<bool(const std::string&)> project_exists,
               http::WorkerPool& workers, http::WorkerPool& plugin_workers)
    : metrics_(metrics),
      auth_(auth),
      project_exists_(std::move(project_exists)),
      workers_(workers),
      plugin_workers_(plugin_workers) {}

void Router::Handle(const std::string& method, const std::string& route, Access access, Lane lane,
                    Handler handler) {
  routes_.push_back({method, route, Segments(route), access, lane, std::move(handler)});
}

http::HttpResponse Router::EdgeProblem(int status, const std::string& code, const std::string& detail) {
  metrics_.Record("-", "unmatched", status, 0);
  return ProblemResponse(status, code, detail);
}

void Router::Dispatch(http::HttpRequest request, http::Responder respond) {
  const std::vector<std::string> path = Segments(request.path);
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  std::string allowed;
  for (const Route& route : routes_) {
    std::vector<std::string> params;
    if (!Matches(route.segments, path, route.method == method ? &params : nullptr)) continue;
    if (route.method != method) {
      allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    if (route.lane == Lane::kNetwork) return Run(route, std::move(request), std::move(params), std::move(respond));
    http::WorkerPool& pool = route.lane == Lane::kPlugin ? plugin_workers_ : workers_;
    pool.Post([this, &route, request = std::move(request), params = std::move(params),
               respond = std::move(respond)]() mutable {
      Run(route, std::move(request), std::move(params), std::move(respond));
    });
    return;
  }
  http::HttpResponse res;
  if (!allowed.empty()) {
    res = ProblemResponse(405, "method_not_allowed",
                          request.method + " is not allowed on " + request.path + "; allowed: " + allowed);
    res.set_header("Allow", allowed);
  } else {
    res = ProblemResponse(404, "route_not_found", "no route " + request.method + " " + request.path);
  }
  metrics_.Record(request.method, "unmatched", res.status, 0);
  respond(std::move(res));
}

void Router::Run(const Route& route, http::HttpRequest request, std::vector<std::string> params,
                 http::Responder respond) {
  const auto started = std::chrono::steady_clock::now();
  // By value: a deferred call may finish as the host shuts down, after the Router is gone.
  auto finish = [&metrics = metrics_, method = route.method, name = route.route, started,
                 respond = std::move(respond)](Call& call) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics.Record(method, name, call.res.status, seconds);
    respond(std::move(call.res));
  };
  auto refuse = [&](int status, const char* code, const std::string& detail, bool challenge = false) {
    Call call(std::move(request), Principal{}, {}, finish);
    if (challenge) call.res.set_header("WWW-Authenticate", "Bearer");
    call.Fail(status, code, detail);
    call.Complete();
  };
  for (const auto& p : params) {
    if (!ValidId(p)) return refuse(400, "bad_id", "'" + p + "' is not a valid id");
  }
  Principal principal;
  if (route.access != Access::kPublic) {
    auto who = auth_.Authenticate(request);
    if (!who.ok()) return refuse(401, "unauthorized", who.status().message(), /*challenge=*/true);
    principal = *who;
  }
  if (route.access == Access::kServerAdmin && !principal.server_admin) {
    return refuse(403, "forbidden", "only the server admin token may do this");
  }
  const bool use = route.access == Access::kConnectionUse || route.access == Access::kConnectionCredentials;
  if (principal.runtime() && !use && route.access != Access::kPublic) {
    return refuse(403, "forbidden", "a runtime token can only use the connections of its " + principal.component.kind +
                                        " (the proxy and credentials routes)");
  }
  if (use) {
    const std::string& project = params.at(0);
    if (principal.runtime()) {
      if (principal.project != project) return refuse(404, "not_found", "no project '" + project + "'");
      Status allowed = use_check_ ? use_check_(project, principal.component, params.at(1))
                                  : Status::Error(Code::kInternal, "no use check configured");
      if (!allowed.ok()) {
        Call call(std::move(request), Principal{}, {}, finish);
        call.Fail(allowed);
        return call.Complete();
      }
    } else {
      if (!principal.CanSee(project) || !project_exists_(project)) {
        return refuse(404, "not_found", "no project '" + project + "'");
      }
      if (route.access == Access::kConnectionCredentials) {
        return refuse(403, "forbidden", "only a runtime token (issued for a flow or deployment) may fetch credentials");
      }
      if (!principal.CanChange(project)) {
        return refuse(403, "forbidden", "members can view this project but only admins and runtime tokens may use "
                                        "its connections");
      }
    }
  }
  if (route.access == Access::kProjectRead || route.access == Access::kProjectWrite) {
    const std::string& project = params.at(0);
    // A project the caller cannot see looks exactly like one that does not exist.
    if (!principal.CanSee(project) || !project_exists_(project)) {
      return refuse(404, "not_found", "no project '" + project + "'");
    }
    if (route.access == Access::kProjectWrite && !principal.CanChange(project)) {
      return refuse(403, "forbidden", "members can view this project but only admins can change it");
    }
  }
  auto call = std::make_shared<Call>(std::move(request), std::move(principal), std::move(params), std::move(finish));
  call->self_ = call;
  try {
    route.handler(*call);
  } catch (const std::exception& e) {
    log::Error("unhandled exception in " + call->req.method + " " + call->req.path + ": " + e.what());
    call->res = {};
    SendProblem(call->res, ProblemFrom(Status::Error(Code::kInternal, "the server failed while handling this request")));
    return call->Complete();
  } catch (...) {
    log::Error("unhandled exception in " + call->req.method + " " + call->req.path);
    call->res = {};
    SendProblem(call->res, ProblemFrom(Status::Error(Code::kInternal, "the server failed while handling this request")));
    return call->Complete();
  }
  if (!call->deferred_) call->Complete();
}

}  // namespace switchboard::api
