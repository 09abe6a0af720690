// Credential probes, their history, and bulk probe jobs.
//   POST /v1/projects/{p}/connections/{id}/probe      run a probe now (admin)
//   GET  /v1/projects/{p}/connections/{id}/history    status changes, newest first
//   GET  /v1/projects/{p}/events                      status changes across the project
//   POST /v1/projects/{p}/probe-jobs                  {status?, provider?} bulk probe (admin)
//   GET  /v1/projects/{p}/probe-jobs                  recent jobs
//   GET  /v1/projects/{p}/probe-jobs/{job}            progress and summary
// Reconnect (POST .../reconnect) is in routes_connections.cpp; it probes through here.
#include "api/app.hpp"
#include "api/cursor.hpp"
#include "api/request_parts.hpp"
#include "api/views.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

void ReplyEvents(Call& call, const Result<EventPage>& page) {
  if (!page.ok()) return call.Fail(page.status());
  call.Reply(200, ListView(page->items, StatusEventView, page->next_after));
}

// Answered when the probe's verdict arrives; no thread waits for it meanwhile.
void Probe(App& app, Call& call) {
  Deferred later = call.Defer();
  app.probes.ProbeStored(call.param(0), call.param(1), [later](Result<probe::ProbeReport> report) {
    if (!report.ok()) return later->Fail(report.status());
    later->Reply(200, ProbedConnectionView(report->row, report->result, report->checked_at));
  });
}

void StartJob(App& app, Call& call) {
  json body = json::object();
  if (!call.req.body.empty()) {
    auto parsed = call.JsonBody();
    if (!parsed) return;
    body = *parsed;
  }
  std::vector<FieldError> errors;
  probe::ProbeJobFilter filter;
  CheckKnownMembers(body, {"status", "provider"}, errors);
  for (const char* name : {"status", "provider"}) {
    if (body.contains(name) && !body[name].is_null() && !body[name].is_string()) {
      errors.push_back({name, "wrong_type", std::string(name) + " must be a string."});
    }
  }
  if (errors.empty()) {
    filter.status = body.contains("status") && body["status"].is_string() ? body["status"].get<std::string>() : "";
    filter.provider = body.contains("provider") && body["provider"].is_string() ? body["provider"].get<std::string>() : "";
    if (!filter.status.empty() && !IsConnectionStatus(filter.status)) {
      errors.push_back({"status", "not_allowed_value", "status must be active, inactive or unverified."});
    }
    if (!filter.provider.empty() && !app.providers.Find(filter.provider)) {
      errors.push_back({"provider", "unknown_provider", "No provider '" + filter.provider + "' is loaded."});
    }
  }
  if (!errors.empty()) return call.Fail(422, "invalid_body", "the probe job filter is not valid", errors);
  auto job = app.jobs.Start(call.param(0), filter);
  if (!job.ok()) return call.Fail(job.status());
  call.res.set_header("Location", "/v1/projects/" + call.param(0) + "/probe-jobs/" + job->id);
  call.Reply(202, ProbeJobView(*job));
}

}  // namespace

void RegisterProbeRoutes(Router& router, App& app) {
  const std::string connection = "/v1/projects/{p}/connections/{id}";
  router.Handle("POST", connection + "/probe", Access::kProjectWrite, [&app](Call& call) { Probe(app, call); });
  router.Handle("GET", connection + "/history", Access::kProjectRead, [&app](Call& call) {
    size_t limit = 50;
    std::string after;
    if (!ParseLimit(call, limit) || !ParseCursor(call, after)) return;
    ReplyEvents(call, app.connections.History(call.param(0), call.param(1), limit, after));
  });
  router.Handle("GET", "/v1/projects/{p}/events", Access::kProjectRead, [&app](Call& call) {
    size_t limit = 50;
    std::string after;
    if (!ParseLimit(call, limit) || !ParseCursor(call, after)) return;
    ReplyEvents(call, app.connections.Events(call.param(0), limit, after));
  });
  router.Handle("POST", "/v1/projects/{p}/probe-jobs", Access::kProjectWrite, [&app](Call& call) { StartJob(app, call); });
  router.Handle("GET", "/v1/projects/{p}/probe-jobs", Access::kProjectRead, [&app](Call& call) {
    call.Reply(200, ListView(app.jobs.List(call.param(0)), ProbeJobView));
  });
  router.Handle("GET", "/v1/projects/{p}/probe-jobs/{job}", Access::kProjectRead, [&app](Call& call) {
    auto job = app.jobs.Get(call.param(0), call.param(1));
    if (!job) return call.Fail(404, "not_found", "no probe job '" + call.param(1) + "'");
    call.Reply(200, ProbeJobView(*job));
  });
}

}  // namespace switchboard::api
