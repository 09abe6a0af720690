// GET /                the Connections page (index.html)
// GET /static/{file}   its scripts and styles
//
// Every response carries a strict Content-Security-Policy: the page runs only its own
// scripts and styles from this origin, no inline code, and talks only to this host.
// File names are not content-hashed, so browsers revalidate with the ETag (cheap 304s)
// instead of caching blindly and running a stale page after an upgrade.
#include "api/routes_web.hpp"
#include "web/web_assets.hpp"

namespace switchboard::api {
namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

void SendAsset(Call& call, const std::string& name) {
  const web::WebAsset* asset = web::FindWebAsset(name);
  if (asset == nullptr) return call.Fail(404, "not_found", "no file '" + name + "'");
  call.res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  call.res.set_header("X-Content-Type-Options", "nosniff");
  call.res.set_header("Referrer-Policy", "no-referrer");
  call.res.set_header("Cache-Control", "no-cache");
  call.res.set_header("ETag", std::string(asset->etag));
  if (call.req.get_header_value("If-None-Match") == asset->etag) {
    call.res.status = 304;
    return;
  }
  call.res.status = 200;
  call.res.set_content(std::string(asset->bytes), std::string(asset->content_type));
}

}  // namespace

void RegisterWebRoutes(Router& router) {
  router.Handle("GET", "/", Access::kPublic, [](Call& call) { SendAsset(call, "index.html"); });
  router.Handle("GET", "/static/{file}", Access::kPublic, [](Call& call) { SendAsset(call, call.param(0)); });
}

}  // namespace switchboard::api
