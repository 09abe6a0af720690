// Routes for the Connections page: the page itself and the session it signs in with.
#pragma once

#include "api/app.hpp"

namespace switchboard::api {

// GET /  and  GET /static/{file}: the page, compiled into the host (core/web/static).
void RegisterWebRoutes(Router& router);

// GET /v1/session: who the bearer token is.
void RegisterSessionRoutes(Router& router, App& app);

}  // namespace switchboard::api
