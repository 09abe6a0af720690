// GET  /v1/providers                  the loaded providers
// GET  /v1/providers/{id}             one provider: field schema and UI hints
// GET  /v1/providers/{id}/icon.svg    its icon (public, for <img>)
// POST /v1/providers/{id}/validate    per-field errors for a config
#include "api/app.hpp"
#include "schema/config_validator.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

json Summary(const LoadedProvider& p) {
  const json& m = p.manifest();
  return {{"id", p.id()}, {"name", m["name"]}, {"version", m["version"]},
          {"description", m["description"]}, {"icon_url", "/v1/providers/" + p.id() + "/icon.svg"},
          {"icon_svg", m["icon_svg"]}};
}

}  // namespace

void RegisterProviderRoutes(Router& router, App& app) {
  router.Handle("GET", "/v1/providers", Access::kAuthenticated, [&app](Call& call) {
    json items = json::array();
    for (const auto& p : app.providers.List()) items.push_back(Summary(*p));
    call.Reply(200, {{"items", items}, {"next_cursor", nullptr}});
  });

  router.Handle("GET", "/v1/providers/{id}", Access::kAuthenticated, [&app](Call& call) {
    auto provider = app.providers.Find(call.param(0));
    if (!provider) return call.Fail(404, "not_found", "no provider '" + call.param(0) + "'");
    json view = Summary(*provider);
    view["schema"] = provider->field_schema();
    view["secret_fields"] = provider->secret_fields();
    call.Reply(200, view);
  });

  router.Handle("GET", "/v1/providers/{id}/icon.svg", Access::kPublic, [&app](Call& call) {
    auto provider = app.providers.Find(call.param(0));
    if (!provider) return call.Fail(404, "not_found", "no provider '" + call.param(0) + "'");
    call.res.set_header("Cache-Control", "max-age=3600");
    call.res.set_content(provider->manifest()["icon_svg"].get<std::string>(), "image/svg+xml");
  });

  router.Handle("POST", "/v1/providers/{id}/validate", Access::kAuthenticated, [&app](Call& call) {
    auto provider = app.providers.Find(call.param(0));
    if (!provider) return call.Fail(404, "not_found", "no provider '" + call.param(0) + "'");
    auto body = call.JsonBody();
    if (!body) return;
    auto errors = ValidateConfig(*provider, *body);
    if (!errors.ok()) return call.Fail(errors.status());
    call.Reply(200, {{"valid", errors->empty()}, {"errors", *errors}});
  });
}

}  // namespace switchboard::api
