// Using a connection (docs/using-connections.md):
//   ANY  /v1/projects/{p}/connections/{id}/proxy/{path...}  the request, forwarded to the
//        provider with the connection's authorization applied; the provider's answer
//   POST /v1/projects/{p}/connections/{id}/credentials      the authorization itself
//        {headers, query, origins, expires_at}, for runtime tokens only
//   GET  /v1/projects/{p}/connections/{id}/usage            uses per flow (admins)
//
// A runtime token may use only connections its flow or deployment references at the
// moment of the call (the router's kConnectionUse); an inactive connection answers 409
// connection_inactive with its status reason.
#include "api/app.hpp"
#include "api/views.hpp"
#include "common/json_text.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

// Segments of the route before the proxied path: "", v1, projects, {p}, connections, {id}, proxy.
constexpr size_t kProxyRouteSegments = 7;

// The proxied path as the caller wrote it (still percent-encoded), or nullopt when the
// fixed part of the target was itself percent-encoded (it could hide where the path starts).
std::optional<std::string> RawProxyPath(const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  size_t at = 0;
  for (size_t segment = 1; segment < kProxyRouteSegments; ++segment) {
    const size_t next = path.find('/', at + 1);
    const std::string part = path.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1);
    if (part.find('%') != std::string::npos) return std::nullopt;
    if (next == std::string::npos) return segment + 1 == kProxyRouteSegments ? std::optional<std::string>("") : std::nullopt;
    at = next;
  }
  return path.substr(at);
}

std::string RawQuery(const std::string& target) {
  const size_t question = target.find('?');
  return question == std::string::npos ? "" : target.substr(question + 1);
}

// Who is using the connection, as the usage counts name it.
std::string UserOf(const Principal& principal) {
  return principal.runtime() ? principal.component.kind + "/" + principal.component.id : "admin";
}

// A use refused: connection_inactive carries the connection's status and reason.
void FailUse(App& app, Deferred later, const std::string& project, const std::string& id, const Status& status) {
  Problem problem = ProblemFrom(status);
  if (status.Is(Code::kConnectionInactive)) {
    auto connection = app.connections.GetForUse(project, id);
    if (connection.ok()) {
      const ConnectionRecord& record = (*connection)->record;
      problem.extensions["connection"] = id;
      problem.extensions["connection_status"] = record.status;
      problem.extensions["status_reason"] = NullIfEmpty(record.status_reason);
      problem.extensions["checked_at"] = NullIfEmpty(record.checked_at);
    }
  }
  later->Fail(problem);
}

void Proxy(App& app, Call& call) {
  auto path = RawProxyPath(call.req.target);
  if (!path) return call.Fail(400, "path_refused", "the route part of the request target may not be percent-encoded");
  probe::ProxyCall forwarded;
  forwarded.method = call.req.method;
  forwarded.path = *path;
  forwarded.query = RawQuery(call.req.target);
  forwarded.headers = std::move(call.req.headers);  // the call keeps its method and path only
  forwarded.body = std::move(call.req.body);
  const std::string project = call.param(0), id = call.param(1);
  Deferred later = call.Defer();
  app.use.Proxy(project, id, UserOf(call.principal), std::move(forwarded),
                [&app, later, project, id](Result<HttpResponse> answer) {
                  if (!answer.ok()) return FailUse(app, later, project, id, answer.status());
                  http::HttpResponse& res = later->res;
                  res.status = answer->status;
                  for (auto& [name, value] : probe::ReturnedHeaders(answer->headers)) res.headers.emplace_back(name, value);
                  res.body = std::move(answer->body);
                  later->Send();
                });
}

void Credentials(App& app, Call& call) {
  const std::string project = call.param(0), id = call.param(1);
  Deferred later = call.Defer();
  app.use.Credentials(project, id, UserOf(call.principal), [&app, later, project, id](Result<probe::IssuedCredentials> issued) {
    if (!issued.ok()) return FailUse(app, later, project, id, issued.status());
    const Authorization& grant = issued->authorization->grant;
    json origins = json::array();
    for (const auto& o : grant.origins) origins.push_back({{"origin", o.origin}, {"base_path", o.base_path}});
    later->res.set_header("Cache-Control", "no-store");
    later->Reply(200, {{"headers", grant.headers},
                       {"query", grant.query},
                       {"origins", origins},
                       {"expires_at", NullIfEmpty(grant.expires_at)}});
  });
}

void Usage(App& app, Call& call) {
  auto row = app.connections.Get(call.param(0), call.param(1));
  if (!row.ok()) return call.Fail(row.status());
  call.Reply(200, UsageView(row->record));
}

}  // namespace

void RegisterConnectionUseRoutes(Router& router, App& app) {
  const std::string base = "/v1/projects/{p}/connections/{id}";
  const std::string proxy = base + "/proxy/{path...}";
  auto forward = [&app](Call& call) { Proxy(app, call); };
  router.Handle("GET", proxy, Access::kConnectionUse, Lane::kNetwork, forward);
  router.Handle("POST", proxy, Access::kConnectionUse, Lane::kNetwork, forward);
  router.Handle("PUT", proxy, Access::kConnectionUse, Lane::kNetwork, forward);
  router.Handle("PATCH", proxy, Access::kConnectionUse, Lane::kNetwork, forward);
  router.Handle("DELETE", proxy, Access::kConnectionUse, Lane::kNetwork, forward);
  router.Handle("OPTIONS", proxy, Access::kConnectionUse, Lane::kNetwork, forward);
  router.Handle("POST", base + "/credentials", Access::kConnectionCredentials, Lane::kNetwork,
                [&app](Call& call) { Credentials(app, call); });
  router.Handle("GET", base + "/usage", Access::kProjectWrite, [&app](Call& call) { Usage(app, call); });
}

}  // namespace switchboard::api
