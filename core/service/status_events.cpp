#include "service/status_events.hpp"

namespace switchboard {

std::optional<StatusEvent> StatusChangeEvent(const ConnectionRecord& before, const ConnectionRecord& after) {
  if (after.status == before.status && after.status_reason == before.status_reason) return std::nullopt;
  StatusEvent e;
  e.at = NowRfc3339();
  e.project = after.project;
  e.connection = after.id;
  e.connection_name = after.name;
  e.provider = after.provider;
  e.reason = after.status_reason;
  e.status = after.status;
  e.previous_status = before.status;
  const bool probed_now = after.last_probe.is_object() && after.last_probe != before.last_probe;
  if (probed_now) {
    e.outcome = after.last_probe.value("outcome", "");
    e.message = after.last_probe.value("message", "");
    e.at = after.last_probe.value("at", e.at);
  }
  return e;
}

}  // namespace switchboard
