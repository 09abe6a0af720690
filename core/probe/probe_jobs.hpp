// Bulk probes: every connection of a project, or those matching a filter, probed as one
// job whose progress and per-outcome summary can be polled.
//
// Jobs live in memory: a restart forgets them (the verdicts they applied are stored).
// The latest kJobsKept jobs of each project are kept.
// THREADS: safe for concurrent use.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "probe/probe_service.hpp"
#include "model/records.hpp"

namespace switchboard {
class Store;
}  // namespace switchboard

namespace switchboard::probe {

struct ProbeJobFilter {
  std::string status;    // "" for any
  std::string provider;  // "" for any
};

struct ProbeJob {
  std::string id;
  std::string project;
  ProbeJobFilter filter;
  bool finished = false;
  size_t total = 0;
  size_t done = 0;
  // valid, invalid_credentials, missing_permission, transient, and error (the connection
  // could not be probed at all, e.g. deleted meanwhile).
  std::map<std::string, size_t> summary;
  std::string created_at;
  std::string finished_at;
};

class ProbeJobs {
 public:
  static constexpr size_t kJobsKept = 50;

  ProbeJobs(Store& store, ProbeService& probes) : store_(store), probes_(probes) {}

  // Selects the connections now and queues a probe of each.
  Result<ProbeJob> Start(const std::string& project, const ProbeJobFilter& filter);
  std::optional<ProbeJob> Get(const std::string& project, const std::string& id) const;
  std::vector<ProbeJob> List(const std::string& project) const;  // newest first

 private:

  Store& store_;
  ProbeService& probes_;
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<std::shared_ptr<ProbeJob>>> jobs_;  // project -> oldest first
};

}  // namespace switchboard::probe
