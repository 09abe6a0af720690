#include "probe/probe_service.hpp"
#include "store/store.hpp"

#include <future>
#include <memory>

namespace switchboard::probe {

using nlohmann::json;

namespace {

std::string SlotKey(const std::string& project, const std::string& id) { return project + '\0' + id; }

}  // namespace

ProbeService::ProbeService(Store& store, ConnectionService& connections, ProbeRunner& runner,
                           StatusEventSink sink)
    : store_(store), connections_(connections), runner_(runner), sink_(std::move(sink)) {}

Result<ConnectionRow> ProbeService::Update(const std::string& project, const std::string& id,
                                           const ConnectionChange& change) {
  auto updated = connections_.Update(project, id, change);
  if (updated.ok() && change.config && updated->record.status == kStatusUnverified) {
    ProbeStored(project, id, [](Result<ProbeReport>) {}, updated->record.provider);
  }
  return updated;
}

void ProbeService::ProbeStored(const std::string& project, const std::string& id, ProbeDone done,
                               const std::string& provider_id) {
  const std::string key = SlotKey(project, id);
  std::unique_lock<std::mutex> lock(mutex_);
  Slot& slot = slots_[key];
  if (slot.busy && slot.stored_probe) {
    slot.joiners.push_back(std::move(done));
    return;
  }
  auto start = [this, project, id, key, provider_id, done = std::move(done)]() mutable {
    {
      std::lock_guard<std::mutex> guard(mutex_);
      Slot& s = slots_[key];
      s.stored_probe = true;
      s.joiners.push_back(std::move(done));
    }
    StartStoredProbe(project, id, provider_id);
  };
  if (slot.busy) {
    slot.next.push_back(std::move(start));
    return;
  }
  slot.busy = true;
  lock.unlock();
  start();
}

void ProbeService::StartStoredProbe(const std::string& project, const std::string& id,
                                    const std::string& known_provider) {
  const std::string key = SlotKey(project, id);
  struct Shared {
    Status failure;
    std::optional<ConnectionRecord> probed;
  };
  auto shared = std::make_shared<Shared>();
  auto finish = [this, key, shared](Result<ProbeReport> report) {
    std::vector<ProbeDone> joiners;
    {
      std::lock_guard<std::mutex> guard(mutex_);
      Slot& slot = slots_[key];
      joiners.swap(slot.joiners);
      slot.stored_probe = false;
    }
    for (auto& joiner : joiners) joiner(report);
    Release(key);
  };
  std::string provider_id = known_provider;
  if (provider_id.empty()) {
    auto first = store_.GetConnection(project, id);
    if (!first.ok()) return finish(first.status());
    provider_id = first->record.provider;
  }
  auto prepare = [this, project, id, shared]() -> Result<ProbeRunner::Subject> {
    auto row = store_.GetConnection(project, id);  // the latest credentials, not the queued ones
    if (!row.ok()) {
      shared->failure = row.status();
      return row.status();
    }
    auto provider = connections_.providers().Find(row->record.provider);
    if (!provider) {
      return Status::Error(Code::kUnknownProvider, "provider '" + row->record.provider + "' is not loaded");
    }
    auto config = connections_.UnsealedConfig(row->record);
    if (!config.ok()) return config.status();
    shared->probed = row->record;
    return ProbeRunner::Subject{provider, std::move(config).value()};
  };
  runner_.Run(provider_id, prepare, [this, project, id, shared, finish](ProbeResult result) {
    if (!shared->failure.ok()) return finish(shared->failure);
    ProbeReport report{std::move(result), NowRfc3339(), {}};
    if (!shared->probed) {
      // Never reached the provider (plugin missing, secret unreadable): nothing to apply.
      auto row = store_.GetConnection(project, id);
      if (!row.ok()) return finish(row.status());
      report.row = *row;
      return finish(report);
    }
    std::optional<StatusEvent> event;
    auto row = connections_.RecordProbe(*shared->probed, report.result, &event);
    if (!row.ok()) return finish(row.status());
    report.row = *row;
    report.checked_at = row->record.checked_at.empty() ? report.checked_at : row->record.checked_at;
    Emit(event);
    finish(report);
  });
}

Result<ProbeReport> ProbeService::ProbeStoredAndWait(const std::string& project, const std::string& id) {
  auto promise = std::make_shared<std::promise<Result<ProbeReport>>>();
  auto future = promise->get_future();
  ProbeStored(project, id, [promise](Result<ProbeReport> report) { promise->set_value(std::move(report)); });
  return future.get();
}

void ProbeService::Reconnect(const std::string& project, const std::string& id, const json& config,
                             ReconnectDone done) {
  auto row = store_.GetConnection(project, id);
  if (!row.ok()) return done(row.status());
  auto candidate = connections_.ReconnectCandidate(project, id, config);
  if (!candidate.ok()) return done(candidate.status());
  auto provider = connections_.providers().Find(row->record.provider);
  if (!provider) {
    return done(Status::Error(Code::kUnknownProvider, "provider '" + row->record.provider + "' is not loaded"));
  }

  const std::string key = SlotKey(project, id);
  auto subject = std::make_shared<ProbeRunner::Subject>(ProbeRunner::Subject{provider, std::move(candidate).value()});
  auto finished = std::make_shared<ReconnectDone>(std::move(done));
  WhenIdle(key, [=, this] {
    runner_.Run(provider->id(), [subject]() -> Result<ProbeRunner::Subject> { return *subject; },
                [=, this](ProbeResult result) {
                  subject->config = json();  // drop the secrets as soon as they are not needed
                  ReconnectReport report{std::move(result), NowRfc3339(), std::nullopt};
                  if (report.result.outcome != Outcome::kValid) {
                    (*finished)(report);
                    return Release(key);
                  }
                  std::optional<StatusEvent> event;
                  auto stored = connections_.Reconnect(project, id, config, &report.result, &event);
                  if (stored.ok()) {
                    report.row = *stored;
                    Emit(event);
                    (*finished)(report);
                  } else {
                    (*finished)(stored.status());
                  }
                  Release(key);
                });
  });
}

Result<ReconnectReport> ProbeService::ReconnectAndWait(const std::string& project, const std::string& id,
                                                       const json& config) {
  auto promise = std::make_shared<std::promise<Result<ReconnectReport>>>();
  auto future = promise->get_future();
  Reconnect(project, id, config, [promise](Result<ReconnectReport> report) { promise->set_value(std::move(report)); });
  return future.get();
}

void ProbeService::Create(const std::string& project, const ConnectionInput& input, bool probe, CreateDone done) {
  auto prepared = connections_.PrepareNew(project, input);
  if (!prepared.ok()) return done(prepared.status());
  if (!probe) {
    auto stored = connections_.StoreNew(std::move(prepared).value(), nullptr);
    if (!stored.ok()) return done(stored.status());
    return done(CreateReport{std::nullopt, "", *stored});
  }
  auto provider = connections_.providers().Find(input.provider);
  if (!provider) return done(Status::Error(Code::kUnknownProvider, "provider '" + input.provider + "' is not loaded"));
  // No single-flight slot: nobody else can probe a connection that is not stored yet.
  auto candidate = std::make_shared<NewConnection>(std::move(prepared).value());
  auto subject = std::make_shared<ProbeRunner::Subject>(ProbeRunner::Subject{provider, candidate->config});
  runner_.Run(provider->id(), [subject]() -> Result<ProbeRunner::Subject> { return std::move(*subject); },
              [this, candidate, done = std::move(done)](ProbeResult result) {
                CreateReport report{std::move(result), NowRfc3339(), std::nullopt};
                const auto status = StatusAfter(report.result->outcome);
                if (status && *status == kStatusInactive) {
                  return done(report);  // refused: nothing is stored
                }
                auto stored = connections_.StoreNew(std::move(*candidate), &*report.result);
                if (!stored.ok()) return done(stored.status());
                report.row = *stored;
                done(report);
              });
}

Result<CreateReport> ProbeService::CreateAndWait(const std::string& project, const ConnectionInput& input,
                                                 bool probe) {
  auto promise = std::make_shared<std::promise<Result<CreateReport>>>();
  auto future = promise->get_future();
  Create(project, input, probe, [promise](Result<CreateReport> report) { promise->set_value(std::move(report)); });
  return future.get();
}

void ProbeService::Test(const std::string& provider_id, const json& config, TestDone done) {
  auto checked = connections_.PrepareConfig(provider_id, config);
  if (!checked.ok()) return done(checked.status());
  auto provider = connections_.providers().Find(provider_id);
  if (!provider) return done(Status::Error(Code::kUnknownProvider, "provider '" + provider_id + "' is not loaded"));
  auto subject = std::make_shared<ProbeRunner::Subject>(ProbeRunner::Subject{provider, std::move(checked).value()});
  runner_.Run(provider->id(), [subject]() -> Result<ProbeRunner::Subject> { return std::move(*subject); },
              [done = std::move(done)](ProbeResult result) { done(std::move(result)); });
}

Result<ProbeResult> ProbeService::TestAndWait(const std::string& provider_id, const json& config) {
  auto promise = std::make_shared<std::promise<Result<ProbeResult>>>();
  auto future = promise->get_future();
  Test(provider_id, config, [promise](Result<ProbeResult> result) { promise->set_value(std::move(result)); });
  return future.get();
}

void ProbeService::WhenIdle(const std::string& key, std::function<void()> work) {
  std::unique_lock<std::mutex> lock(mutex_);
  Slot& slot = slots_[key];
  if (slot.busy) {
    slot.next.push_back(std::move(work));
    return;
  }
  slot.busy = true;
  lock.unlock();
  work();
}

void ProbeService::Release(const std::string& key) {
  std::function<void()> next;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto slot = slots_.find(key);
    if (slot == slots_.end()) return;
    if (slot->second.next.empty()) {
      slots_.erase(slot);
      return;
    }
    next = std::move(slot->second.next.front());
    slot->second.next.pop_front();
  }
  next();
}

void ProbeService::WithCredentials(const std::string& project, const std::string& id,
                                   std::function<void(std::function<void()>)> work) {
  const std::string key = SlotKey(project, id);
  WhenIdle(key, [this, key, work = std::move(work)] { work([this, key] { Release(key); }); });
}

Result<ConnectionRow> ProbeService::ApplyVerdict(const ConnectionRecord& judged, const ProbeResult& result) {
  std::optional<StatusEvent> event;
  auto row = connections_.RecordProbe(judged, result, &event);
  if (row.ok()) Emit(event);
  return row;
}

void ProbeService::Emit(const std::optional<StatusEvent>& event) {
  if (event && sink_) sink_(*event);
}

size_t ProbeService::in_flight() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return slots_.size();
}

}  // namespace switchboard::probe
