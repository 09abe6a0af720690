// The routes the host registers, read from its source: every `router.Handle("METHOD",
// ROUTE, ...)` where ROUTE is a string literal or a `+` of literals and std::string
// variables, including a function parameter filled in by the function's callers
// (RegisterKind(router, app, "flows", "flow")). Reading the source keeps the list from
// being written down twice; anything the reader cannot work out is reported, never
// skipped, so a new way of building routes makes the test fail until it is taught.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::openapi {

struct RegisteredRoutes {
  std::set<std::pair<std::string, std::string>> routes;  // (METHOD, /templated/path)
  std::vector<std::string> unresolved;                   // "file: expression" the reader could not follow
};

// Routes registered in one C++ source text.
RegisteredRoutes RoutesInSource(const std::string& source, const std::string& file_name);

// Routes registered in every .cpp under `directory` (recursively).
RegisteredRoutes RoutesUnder(const std::string& directory);

}  // namespace switchboard::openapi
