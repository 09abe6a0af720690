// GET  /v1/providers                  the loaded providers
// GET  /v1/providers/{id}             one provider: field schema and UI hints
// GET  /v1/providers/{id}/icon.svg    its icon (public, for <img>)
// POST /v1/providers/{id}/validate    per-field errors for a config
#include <map>
#include <memory>

#include "api/app.hpp"
#include "api/plugin_views.hpp"
#include "api/views.hpp"
#include "plugins/config_validation.hpp"

namespace switchboard::api {
namespace {

using nlohmann::json;

// A provider's view never changes once it is loaded: serializing it once at start-up
// takes building, copying and dumping its schema off every GET /v1/providers/{id}.
// It names its provider weakly: a reload that replaces the provider must be able to end
// the old version's runner.
struct CachedView {
  std::weak_ptr<const LoadedProvider> provider;
  std::string body;
};

}  // namespace

void RegisterProviderRoutes(Router& router, App& app) {
  auto cache = std::make_shared<std::map<std::string, CachedView>>();
  for (const auto& p : app.providers.List()) {
    (*cache)[p->id()] = {p, ProviderDetailView(*p).dump(-1, ' ', false, json::error_handler_t::replace)};
  }

  router.Handle("GET", "/v1/providers", Access::kAuthenticated, [&app](Call& call) {
    call.Reply(200, ListView(app.providers.List(), [](const auto& p) { return ProviderSummaryView(*p); }));
  });

  router.Handle("GET", "/v1/providers/{id}", Access::kAuthenticated, [&app, cache](Call& call) {
    auto provider = app.providers.Find(call.param(0));
    if (!provider) return call.Fail(404, "not_found", "no provider '" + call.param(0) + "'");
    auto cached = cache->find(provider->id());
    if (cached == cache->end() || cached->second.provider.lock() != provider) return call.Reply(200, ProviderDetailView(*provider));
    call.res.status = 200;
    call.res.set_content(cached->second.body, "application/json");
  });

  router.Handle("GET", "/v1/providers/{id}/icon.svg", Access::kPublic, [&app](Call& call) {
    auto provider = app.providers.Find(call.param(0));
    if (!provider) return call.Fail(404, "not_found", "no provider '" + call.param(0) + "'");
    call.res.set_header("Cache-Control", "max-age=3600");
    call.res.set_content(provider->manifest()["icon_svg"].get<std::string>(), "image/svg+xml");
  });

  router.Handle("POST", "/v1/providers/{id}/validate", Access::kAuthenticated, Lane::kPlugin, [&app](Call& call) {
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
