#include "probe/probe_jobs.hpp"

#include <utility>

#include "secrets/tokens.hpp"
#include "store/store.hpp"

namespace switchboard::probe {

using nlohmann::json;

Result<ProbeJob> ProbeJobs::Start(const std::string& project, const ProbeJobFilter& filter) {
  auto targets = store_.ListConnectionKeys(project, filter.status, filter.provider);
  if (!targets.ok()) return targets.status();

  auto job = std::make_shared<ProbeJob>();
  job->id = RandomId("job_");
  job->project = project;
  job->filter = filter;
  job->total = targets->size();
  job->created_at = NowRfc3339();
  job->finished = targets->empty();
  if (job->finished) job->finished_at = job->created_at;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto& list = jobs_[project];
    list.push_back(job);
    if (list.size() > kJobsKept) list.erase(list.begin());
  }
  ProbeJob snapshot = *job;
  for (const auto& [id, provider] : *targets) {
    probes_.ProbeStored(project, id, [this, job](Result<ProbeReport> report) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++job->summary[report.ok() ? OutcomeName(report->result.outcome) : "error"];
      if (++job->done == job->total) {
        job->finished = true;
        job->finished_at = NowRfc3339();
      }
    }, provider);
  }
  return snapshot;
}

std::optional<ProbeJob> ProbeJobs::Get(const std::string& project, const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto list = jobs_.find(project);
  if (list == jobs_.end()) return std::nullopt;
  for (const auto& job : list->second) {
    if (job->id == id) return *job;
  }
  return std::nullopt;
}

std::vector<ProbeJob> ProbeJobs::List(const std::string& project) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<ProbeJob> out;
  auto list = jobs_.find(project);
  if (list == jobs_.end()) return out;
  for (auto it = list->second.rbegin(); it != list->second.rend(); ++it) out.push_back(**it);
  return out;
}

}  // namespace switchboard::probe
