// Connections of a project.
//   GET    /v1/projects/{p}/connections               ?status=&provider=&q=&limit=&cursor=
//   POST   /v1/projects/{p}/connections               {name, provider, config}  ?probe=false
//                                                      probed first unless probe=false
//   POST   /v1/projects/{p}/connections/test          {provider, config}  probed, not stored
//   GET    /v1/projects/{p}/connections/{id}
//   PATCH  /v1/projects/{p}/connections/{id}          {name?, config?}
//   POST   /v1/projects/{p}/connections/{id}/reconnect {config}   probed before stored
//   GET    /v1/projects/{p}/connections/{id}/references
//   DELETE /v1/projects/{p}/connections/{id}          409 + references when in use
#include "api/app.hpp"
#include "api/cursor.hpp"
#include "api/request_parts.hpp"
#include "api/response_cache.hpp"
#include "api/views.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

// Fails on a body member not in `allowed`, so a typo is never silently ignored.
bool OnlyKnownMembers(Call& call, const json& body, std::initializer_list<const char*> allowed) {
  std::vector<FieldError> errors;
  CheckKnownMembers(body, allowed, errors);
  if (errors.empty()) return true;
  call.Fail(422, "invalid_body", "the request has unknown members", errors);
  return false;
}

void List(App& app, ResponseCache& cache, Call& call) {
  ConnectionQuery query;
  query.status = call.query("status");
  query.provider = call.query("provider");
  query.q = call.query("q");
  if (!query.status.empty() && !IsConnectionStatus(query.status)) {
    return call.Fail(400, "bad_parameter", "status must be active, inactive or unverified",
                     {{"status", "not_allowed_value", "status must be active, inactive or unverified."}});
  }
  if (!ParseLimit(call, query.limit) || !ParseCursor(call, query.after)) return;
  // Lists are read far more often than connections change: reuse the serialized page.
  const std::string key = call.param(0) + '\0' + query.status + '\0' + query.provider + '\0' + query.q + '\0' +
                          std::to_string(query.limit) + '\0' + query.after;
  const ChangeToken generation = app.connections.CurrentChangeToken();
  // "Cache-Control: no-cache" asks for a page read from the store (RFC 9111 5.2.1.4).
  const bool revalidate = call.req.get_header_value("Cache-Control").find("no-cache") != std::string::npos;
  if (auto body = revalidate ? std::nullopt : cache.Find(key, generation)) {
    call.res.status = 200;
    call.res.set_content(*body, "application/json");
    return;
  }
  auto page = app.connections.List(call.param(0), query);
  if (!page.ok()) return call.Fail(page.status());
  json body = ListView(page->items, ConnectionView, page->next_after);
  if (page->partial) body["partial"] = true;  // unreadable rows left out (see /healthz); not cached
  std::string text = body.dump(-1, ' ', false, json::error_handler_t::replace);
  if (!page->partial) cache.Put(key, generation, text);
  call.res.status = 200;
  call.res.set_content(std::move(text), "application/json");
}

// A probe verdict that stored nothing: 422 credentials_rejected (the provider refused) or
// 503 probe_unavailable (it could not tell), with the verdict; `what` completes "The
// provider refused ..." ("the new credentials", "the credentials").
void FailWithVerdict(Call& call, const ProbeResult& result, const std::string& checked_at, const std::string& what) {
  Problem p;
  p.extensions["probe"] = ProbeJson(result, checked_at);
  if (result.outcome == Outcome::kTransient) {
    p.status = 503;
    p.code = "probe_unavailable";
    p.detail = "The " + what + " could not be checked now; nothing was changed. " + result.message;
    if (result.retry_after_seconds) {
      call.res.set_header("Retry-After", std::to_string(static_cast<long>(*result.retry_after_seconds + 0.999)));
    }
  } else {
    p.status = 422;
    p.code = "credentials_rejected";
    p.detail = "The provider refused the " + what + "; nothing was " +
               (what == "new credentials" ? "changed. " : "stored. ") + result.message;
    p.errors.push_back({result.field.empty() ? "config" : "config." + result.field, result.reason, result.message});
  }
  call.Fail(p);
}

// ?probe=true (the default) or ?probe=false; on anything else a problem has been sent.
std::optional<bool> ProbeParameter(Call& call) {
  const std::string value = call.query("probe");
  if (value.empty() || value == "true") return true;
  if (value == "false") return false;
  call.Fail(400, "bad_parameter", "probe must be true or false",
            {{"probe", "not_allowed_value", "probe must be true or false."}});
  return std::nullopt;
}

void Create(App& app, Call& call) {
  const auto probe = ProbeParameter(call);
  if (!probe) return;
  auto body = call.JsonBody();
  if (!body || !OnlyKnownMembers(call, *body, {"name", "provider", "config"})) return;
  std::vector<FieldError> shape;
  if (!body->contains("name") || !(*body)["name"].is_string()) shape.push_back({"name", "missing_required", "A name is required."});
  if (!body->contains("provider") || !(*body)["provider"].is_string()) {
    shape.push_back({"provider", "missing_required", "A provider is required."});
  }
  if (body->contains("config") && !(*body)["config"].is_object()) {
    shape.push_back({"config", "not_an_object", "config must be a JSON object of fields."});
  }
  if (!shape.empty()) return call.Fail(422, "invalid_config", "the connection is not valid", shape);
  ConnectionInput input{(*body)["name"], (*body)["provider"], body->value("config", json::object())};
  // Answered when the probe's verdict arrives; no thread waits for it meanwhile.
  Deferred later = call.Defer();
  app.probes.Create(call.param(0), input, *probe,
                    [later](Result<probe::CreateReport> created) {
                      Call& call = *later;
                      if (!created.ok()) return call.Fail(created.status());
                      if (!created->row) {
                        return FailWithVerdict(call, *created->result, created->checked_at, "credentials");
                      }
                      call.res.set_header("Location",
                                          "/v1/projects/" + call.param(0) + "/connections/" + created->row->record.id);
                      call.Reply(201, ConnectionView(*created->row));
                    });
}

// The Add form's "Test": the verdict on a config, nothing stored, whatever it is.
void Test(App& app, Call& call) {
  auto body = call.JsonBody();
  if (!body || !OnlyKnownMembers(call, *body, {"provider", "config"})) return;
  std::vector<FieldError> shape;
  if (!body->contains("provider") || !(*body)["provider"].is_string()) {
    shape.push_back({"provider", "missing_required", "A provider is required."});
  }
  if (!body->contains("config") || !(*body)["config"].is_object()) {
    shape.push_back({"config", "not_an_object", "config must be a JSON object of fields."});
  }
  if (!shape.empty()) return call.Fail(422, "invalid_config", "the config is not valid", shape);
  Deferred later = call.Defer();
  app.probes.Test((*body)["provider"].get<std::string>(), (*body)["config"],
                  [later](Result<ProbeResult> result) {
                    if (!result.ok()) return later->Fail(result.status());
                    later->Reply(200, {{"probe", ProbeJson(*result, NowRfc3339())}});
                  });
}

void Patch(App& app, Call& call) {
  auto body = call.JsonBody();
  if (!body || !OnlyKnownMembers(call, *body, {"name", "config"})) return;
  ConnectionChange change;
  if (body->contains("name")) {
    if (!(*body)["name"].is_string()) return call.Fail(422, "invalid_config", "name must be a string", {{"name", "wrong_type", "name must be a string."}});
    change.name = (*body)["name"].get<std::string>();
  }
  if (body->contains("config")) change.config = (*body)["config"];
  auto updated = app.probes.Update(call.param(0), call.param(1), change);
  if (!updated.ok()) return call.Fail(updated.status());
  call.Reply(200, ConnectionView(*updated));
}

void ReplyToReconnect(Call& call, const Result<probe::ReconnectReport>& report);

// New credentials are probed before they are stored: only valid ones replace the old.
void Reconnect(App& app, Call& call) {
  auto body = call.JsonBody();
  if (!body || !OnlyKnownMembers(call, *body, {"config"})) return;
  if (!body->contains("config") || !(*body)["config"].is_object()) {
    return call.Fail(422, "invalid_config", "reconnect needs the new credentials",
                     {{"config", "missing_required", "config with the new credentials is required."}});
  }
  // Answered when the probe's verdict arrives; no thread waits for it meanwhile.
  Deferred later = call.Defer();
  app.probes.Reconnect(call.param(0), call.param(1), (*body)["config"],
                       [later](Result<probe::ReconnectReport> report) { ReplyToReconnect(*later, report); });
}

void ReplyToReconnect(Call& call, const Result<probe::ReconnectReport>& report) {
  if (!report.ok()) return call.Fail(report.status());
  if (report->row) return call.Reply(200, ProbedConnectionView(*report->row, report->result, report->checked_at));
  FailWithVerdict(call, report->result, report->checked_at, "new credentials");
}

void Delete(App& app, Call& call) {
  ConnectionDeletion deletion = app.connections.Delete(call.param(0), call.param(1));
  if (deletion.status.ok()) {
    call.res.status = 204;
    return;
  }
  Problem p = ProblemFrom(deletion.status);
  if (deletion.status.Is(Code::kInUse)) p.extensions["references"] = ReferencesView(deletion.in_use_by);
  call.Fail(p);
}

}  // namespace

void RegisterConnectionRoutes(Router& router, App& app) {
  const std::string base = "/v1/projects/{p}/connections";
  auto list_cache = std::make_shared<ResponseCache>(1024, std::chrono::seconds(30));
  router.Handle("GET", base, Access::kProjectRead, [&app, list_cache](Call& call) { List(app, *list_cache, call); });
  router.Handle("POST", base, Access::kProjectWrite, Lane::kPlugin, [&app](Call& call) { Create(app, call); });
  router.Handle("POST", base + "/test", Access::kProjectWrite, Lane::kPlugin, [&app](Call& call) { Test(app, call); });
  router.Handle("GET", base + "/{id}", Access::kProjectRead, [&app](Call& call) {
    auto row = app.connections.Get(call.param(0), call.param(1));
    if (!row.ok()) return call.Fail(row.status());
    call.Reply(200, ConnectionView(*row));
  });
  router.Handle("PATCH", base + "/{id}", Access::kProjectWrite, Lane::kPlugin, [&app](Call& call) { Patch(app, call); });
  router.Handle("POST", base + "/{id}/reconnect", Access::kProjectWrite, Lane::kPlugin,
                [&app](Call& call) { Reconnect(app, call); });
  router.Handle("GET", base + "/{id}/references", Access::kProjectRead, [&app](Call& call) {
    auto refs = app.connections.References(call.param(0), call.param(1));
    if (!refs.ok()) return call.Fail(refs.status());
    call.Reply(200, {{"items", ReferencesView(*refs)}, {"next_cursor", nullptr}});
  });
  router.Handle("DELETE", base + "/{id}", Access::kProjectWrite, [&app](Call& call) { Delete(app, call); });
}

}  // namespace switchboard::api
