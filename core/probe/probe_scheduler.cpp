#include "probe/probe_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "common/log.hpp"
#include "store/store.hpp"

namespace switchboard::probe {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

ProbeScheduler::ProbeScheduler(Store& store, ProbeService& probes, ScheduleOptions options)
    : store_(store), probes_(probes), options_(options) {}

ProbeScheduler::~ProbeScheduler() { Stop(); }

void ProbeScheduler::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void ProbeScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

milliseconds ProbeScheduler::Backoff(const ScheduleOptions& options, int failures,
                                     std::optional<double> retry_after_seconds) {
  const double doubled = static_cast<double>(options.first_backoff.count()) * std::pow(2.0, std::max(0, failures - 1));
  double wait = std::min(doubled, static_cast<double>(options.interval.count()));
  if (retry_after_seconds && *retry_after_seconds * 1000.0 > wait) wait = *retry_after_seconds * 1000.0;
  return milliseconds(static_cast<int64_t>(wait));
}

ProbeScheduler::Clock::duration ProbeScheduler::Jittered(Clock::duration base) {
  std::uniform_real_distribution<double> factor(1.0 - options_.jitter, 1.0 + options_.jitter);
  return duration_cast<Clock::duration>(base * factor(random_));
}

void ProbeScheduler::Loop() {
  auto next_rescan = Clock::now();
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (Clock::now() >= next_rescan) {
      lock.unlock();
      Rescan();
      lock.lock();
      next_rescan = Clock::now() + options_.rescan;
    }
    std::vector<std::string> due;
    const auto now = Clock::now();
    while (!queue_.empty() && queue_.begin()->first <= now) {
      due.push_back(queue_.begin()->second);
      queue_.erase(queue_.begin());
    }
    if (!due.empty()) {
      for (const auto& key : due) entries_[key].running = true;
      lock.unlock();
      for (const auto& key : due) Launch(key);
      lock.lock();
      continue;
    }
    auto wake_at = next_rescan;
    if (!queue_.empty()) wake_at = std::min(wake_at, queue_.begin()->first);
    wake_.wait_until(lock, wake_at, [this] { return stopping_; });
  }
}

void ProbeScheduler::Rescan() {
  auto projects = store_.ListProjects();
  if (!projects.ok()) {
    log::Warn("scheduled probes: cannot list projects: " + projects.status().message());
    return;
  }
  std::vector<std::pair<std::string, std::string>> found;
  std::set<std::string> unverified;
  for (const auto& project : *projects) {
    auto keys = store_.ListConnectionKeys(project.id);
    if (!keys.ok()) continue;
    for (const auto& key : *keys) found.emplace_back(project.id, key.id);
    auto pending = store_.ListConnectionKeys(project.id, kStatusUnverified);
    if (!pending.ok()) continue;
    for (const auto& key : *pending) unverified.insert(project.id + '\0' + key.id);
  }
  std::lock_guard<std::mutex> lock(mutex_);
  std::uniform_real_distribution<double> spread(0.0, 1.0);
  // Nothing has judged an unverified connection yet: it is probed soon, not within an
  // interval (spread over the first back-off, so a bulk import does not arrive at once).
  const auto soon = std::min(options_.first_backoff, options_.interval);
  for (const auto& [project, id] : found) {
    const std::string key = project + '\0' + id;
    if (entries_.count(key)) continue;
    const auto within = unverified.count(key) ? soon : options_.interval;
    Entry entry{project, id, 0, false, Clock::now() + duration_cast<Clock::duration>(within * spread(random_))};
    queue_.emplace(entry.due, key);
    entries_.emplace(key, std::move(entry));
  }
  wake_.notify_all();
}

void ProbeScheduler::Launch(const std::string& key) {
  std::string project, id;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const Entry& entry = entries_.at(key);
    project = entry.project;
    id = entry.id;
  }
  probes_.ProbeStored(project, id, [this, key](Result<ProbeReport> report) { Finished(key, report); });
}

void ProbeScheduler::Finished(const std::string& key, const Result<ProbeReport>& report) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return;
  Entry& entry = it->second;
  entry.running = false;
  if (!report.ok() && report.status().Is(Code::kNotFound)) {
    entries_.erase(it);  // deleted; a rescan would find it again if it came back
    return;
  }
  Clock::duration wait;
  if (report.ok() && report->result.outcome == Outcome::kTransient) {
    ++entry.failures;
    wait = Backoff(options_, entry.failures, report->result.retry_after_seconds);
  } else {
    entry.failures = 0;
    wait = options_.interval;
  }
  entry.due = Clock::now() + Jittered(wait);
  queue_.emplace(entry.due, key);
  wake_.notify_all();
}

}  // namespace switchboard::probe
