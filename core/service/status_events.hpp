// What a connection's history and its project's event feed record: a change of its
// status or of its reason, and nothing else (a probe that only moved checked_at, an
// edited name). The store records whatever event it is given (Store::UpdateConnection,
// UpdateOptions::event_for); this is the rule every caller passes it.
#pragma once

#include <optional>

#include "model/records.hpp"

namespace switchboard {

// The event recording the change from `before` to `after`, or nullopt when neither the
// status nor its reason changed. It names the probe verdict when the change carries a
// new one (`after.last_probe` differs), and is dated by it.
std::optional<StatusEvent> StatusChangeEvent(const ConnectionRecord& before, const ConnectionRecord& after);

}  // namespace switchboard
