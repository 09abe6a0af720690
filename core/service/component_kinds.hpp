// The kinds of component (the store keeps any kind it is given) and what the API counts
// of them.
#pragma once

#include <cstdint>

#include "model/queries.hpp"

namespace switchboard {

inline constexpr char kKindFlow[] = "flow";
inline constexpr char kKindDeployment[] = "deployment";

// The flows using a connection: what its view's "flows" says.
inline int64_t FlowsUsing(const ConnectionRow& row) {
  auto found = row.references_by_kind.find(kKindFlow);
  return found == row.references_by_kind.end() ? 0 : found->second;
}

}  // namespace switchboard
