#include "plugins/subprocess_channel.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <future>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>
#include <switchboard/provider_abi.h>

#include "common/bounded_json.hpp"
#include "common/log.hpp"
#include "common/utf8.hpp"
#include "plugins/plugin_log_line.hpp"
#include "plugins/runner/channel_frames.hpp"
#include "plugins/runner_process.hpp"

namespace switchboard {
namespace {

using Clock = std::chrono::steady_clock;
using runner::Frame;
using runner::FrameType;

// Loading runs the plugin's registration, which has no deadline of its own.
constexpr auto kLoadTimeout = std::chrono::seconds(10);
// A runner told to stop (its channel closed) gets this long before it is killed.
constexpr auto kStopGrace = std::chrono::milliseconds(1000);
constexpr int kUnavailableAfterFailures = 5;
constexpr auto kFirstBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(30000);
// Runner -> host: a plugin's output is at most 1 MiB (the runner says kTooLarge past it).
constexpr size_t kMaxReplyPayload = (1u << 20) + 4096;
// How late a deadline may be noticed: a call is sent without waking the runner's thread,
// which polls at least this often.
constexpr auto kDeadlineCheck = std::chrono::milliseconds(50);
// How often the loop counts a runner's threads (a read of /proc/<pid>/stat).
constexpr auto kThreadCheck = std::chrono::milliseconds(50);
// A line of the runner's stdout/stderr, or one it logs, longer than this is cut.
constexpr size_t kMaxOutputLine = 4096;
// Lines a runner may put in the host log per second (its output, its log calls, its
// sandbox's denials); past that they are counted, not written, so a plugin stuck calling a
// denied system call or printing in a loop cannot fill the disk.
constexpr int kMaxLogLinesPerSecond = 100;
// How long, and for how many calls, an ended call's secrets are still looked for in the
// runner's output: enough for the stderr pipe to drain, bounded so a busy plugin that
// prints costs a bounded redaction per line.
constexpr auto kEndedCallRedaction = std::chrono::seconds(5);
constexpr size_t kMaxEndedCallRedactors = 1024;

FrameType FrameFor(PluginMethod method) {
  switch (method) {
    case PluginMethod::kDescribe: return FrameType::kDescribe;
    case PluginMethod::kValidate: return FrameType::kValidate;
    case PluginMethod::kProbeStep: return FrameType::kProbeStep;
    case PluginMethod::kAuthorizeStep: return FrameType::kAuthorizeStep;
    case PluginMethod::kClassifyResponse: return FrameType::kClassifyResponse;
  }
  return FrameType::kDescribe;
}

log::Level LevelOf(char byte) {
  switch (static_cast<sb_log_level>(static_cast<unsigned char>(byte))) {
    case SB_LOG_DEBUG: return log::Level::kDebug;
    case SB_LOG_INFO: return log::Level::kInfo;
    case SB_LOG_WARN: return log::Level::kWarn;
    default: return log::Level::kError;
  }
}

// The functions the hello says the plugin's table has; an unknown name is ignored, and a
// hello that lists none (or lists them oddly) leaves only the required ones.
PluginMethods MethodsOf(const nlohmann::json& hello) {
  PluginMethods methods = PluginMethods::Required();
  auto it = hello.find("functions");
  if (it == hello.end() || !it->is_array()) return methods;
  for (const auto& name : *it) {
    if (!name.is_string()) continue;
    auto method = PluginMethodNamed(name.get<std::string>());
    if (method == PluginMethod::kAuthorizeStep || method == PluginMethod::kClassifyResponse) methods.Add(*method);
  }
  return methods;
}

}  // namespace

class SubprocessChannel::Runner : public std::enable_shared_from_this<Runner> {
 public:
  Runner(SpawnedRunner spawned, std::string label, std::weak_ptr<SubprocessChannel> owner,
         std::shared_ptr<std::atomic<uint64_t>> denials, int max_threads)
      : spawned_(spawned), label_(std::move(label)), owner_(std::move(owner)), denials_(std::move(denials)),
        max_threads_(max_threads), reader_(kMaxReplyPayload) {
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  }

  ~Runner() {
    ::close(spawned_.channel_fd);
    ::close(spawned_.output_fd);
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  void StartThread() {
    finished_future_ = finished_.get_future().share();
    std::thread([self = shared_from_this()] { self->Loop(); }).detach();
  }

  // The hello frame's JSON, or why the runner ended before it.
  Result<nlohmann::json> AwaitHello(std::chrono::seconds timeout) {
    auto future = hello_.get_future();
    if (future.wait_for(timeout) == std::future_status::ready) return future.get();
    const std::string late = "the plugin did not finish loading within " + std::to_string(timeout.count()) + " s";
    Kill(late);
    return Status::Error(Code::kPluginTimeout, late);
  }

  void Send(PluginMethod method, std::string input, CallOptions options, Done done) {
    std::unique_lock<std::mutex> lock(mutex_);
    if (lost_) {
      std::string reason = lost_reason_;
      lock.unlock();
      return done(Status::Error(Code::kPluginCrashed, reason));
    }
    const uint32_t id = next_id_++;
    if (next_id_ == 0) next_id_ = 1;
    pending_[id] = Pending{std::move(done), options.deadline, std::move(options.redact_log)};
    lock.unlock();
    // No wake-up for the loop: it looks at deadlines at least every kDeadlineCheck.
    Write(runner::EncodeFrame(id, FrameFor(method), input));
  }

  // Closes the channel: the runner ends on its own (or is killed after a grace period).
  // Waits for its thread to finish, up to `wait`.
  void Stop(std::chrono::milliseconds wait) {
    stopping_ = true;
    ::shutdown(spawned_.channel_fd, SHUT_RDWR);
    Wake();
    // The last reference to a provider can go in a call's `done`, on this runner's own
    // thread: that thread finishes by itself once this returns.
    if (std::this_thread::get_id() == loop_thread_.load()) return;
    if (finished_future_.valid()) finished_future_.wait_for(wait);
  }

  pid_t pid() const { return spawned_.pid; }
  const std::string& sandbox() const { return sandbox_; }
  void set_sandbox(std::string report) { sandbox_ = std::move(report); }

 private:
  using Redact = std::function<std::string(std::string_view)>;
  struct Pending {
    Done done;
    Clock::time_point deadline;
    Redact redact_log;
  };
  struct EndedCall {
    Clock::time_point ended;
    Redact redact_log;
  };

  // Keeps an ended call's redactor for a while. Call mutex_ held.
  void RememberRedactor(Redact redact) {
    if (!redact) return;
    ended_calls_.push_back({Clock::now(), std::move(redact)});
    if (ended_calls_.size() > kMaxEndedCallRedactors) ended_calls_.pop_front();
  }

  // Output that names no call (the runner's stderr, a log frame from a thread of the
  // plugin's own) may carry the secrets of any call: it loses those of every call in
  // flight and of every call that ended in the last kEndedCallRedaction, because stderr
  // is another pipe and its bytes can arrive after the call's answer.
  std::string RedactUnattributed(std::string text) {
    std::vector<Redact> redactors;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      const auto oldest = Clock::now() - kEndedCallRedaction;
      while (!ended_calls_.empty() && ended_calls_.front().ended < oldest) ended_calls_.pop_front();
      for (const auto& [id, call] : pending_) {
        if (call.redact_log) redactors.push_back(call.redact_log);
      }
      for (const auto& call : ended_calls_) redactors.push_back(call.redact_log);
    }
    for (const auto& redact : redactors) text = redact(text);
    return text;
  }

  void Write(const std::string& frame) {
    std::lock_guard<std::mutex> lock(write_mutex_);
    // A failure means the runner is gone: the loop sees it and fails the call.
    runner::SendAll(spawned_.channel_fd, frame);
  }

  void Wake() {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t ignored = ::write(wake_fd_, &one, sizeof one);
  }

  void Kill(const std::string& why) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (kill_reason_.empty()) kill_reason_ = why;
    }
    ::kill(spawned_.pid, SIGKILL);
  }

  int PollTimeoutMs() {
    std::lock_guard<std::mutex> lock(mutex_);
    auto nearest = Clock::time_point::max();
    for (const auto& [id, call] : pending_) nearest = std::min(nearest, call.deadline);
    if (nearest == Clock::time_point::max()) return static_cast<int>(kDeadlineCheck.count());
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(nearest - Clock::now()).count() + 1;
    return static_cast<int>(std::clamp<long long>(ms, 0, kDeadlineCheck.count()));
  }

  // Whether the runner keeps within its thread limit; looked at every kThreadCheck.
  Status CheckThreads() {
    const auto now = Clock::now();
    if (now < next_thread_check_) return Status::Ok();
    next_thread_check_ = now + kThreadCheck;
    const int threads = ThreadCountOf(spawned_.pid);
    if (threads <= max_threads_) return Status::Ok();
    return Status::Error(Code::kPluginCrashed, "it started " + std::to_string(threads) + " threads, more than the " +
                                                   std::to_string(max_threads_) + " a runner may have");
  }

  // Calls whose deadline passed, taken out of pending_.
  std::vector<Pending> TakeExpired() {
    std::vector<Pending> expired;
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = Clock::now();
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (it->second.deadline <= now) {
        RememberRedactor(it->second.redact_log);
        expired.push_back(std::move(it->second));
        it = pending_.erase(it);
      } else {
        ++it;
      }
    }
    return expired;
  }

  void LogOutputLine(std::string line) {
    if (line.size() > kMaxOutputLine) line = line.substr(0, kMaxOutputLine) + "...";
    if (line.rfind("sandbox: denied", 0) == 0) denials_->fetch_add(1);
    if (!MayLogLine()) return;
    log::Warn("plugin " + label_ + ": " + PluginLogLine(RedactUnattributed(ToValidUtf8(line))));
  }

  // The loop's own rate limit on the lines this runner puts in the host log.
  bool MayLogLine() {
    const auto now = Clock::now();
    if (now - log_window_start_ >= std::chrono::seconds(1)) {
      if (log_lines_dropped_ > 0) {
        log::Warn("plugin " + label_ + ": " + std::to_string(log_lines_dropped_) +
                  " more line(s) not logged (over " + std::to_string(kMaxLogLinesPerSecond) + " a second)");
      }
      log_window_start_ = now;
      log_lines_in_window_ = 0;
      log_lines_dropped_ = 0;
    }
    if (log_lines_in_window_ >= kMaxLogLinesPerSecond) {
      ++log_lines_dropped_;
      return false;
    }
    ++log_lines_in_window_;
    return true;
  }

  // Reads what the runner printed; false at its end.
  bool ReadOutput() {
    char chunk[4096];
    ssize_t n = ::read(spawned_.output_fd, chunk, sizeof chunk);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) {
      if (!output_line_.empty()) LogOutputLine(std::move(output_line_));
      output_line_.clear();
      return false;
    }
    std::string_view bytes(chunk, static_cast<size_t>(n));
    if (skipping_long_line_) {
      // The rest of a line already logged cut: a line of its own would show the part of
      // a secret that the cut kept out of the first.
      const size_t newline = bytes.find('\n');
      if (newline == std::string_view::npos) return true;
      bytes.remove_prefix(newline + 1);
      skipping_long_line_ = false;
    }
    output_line_.append(bytes);
    size_t newline;
    while ((newline = output_line_.find('\n')) != std::string::npos) {
      LogOutputLine(output_line_.substr(0, newline));
      output_line_.erase(0, newline + 1);
    }
    if (output_line_.size() > kMaxOutputLine) {
      LogOutputLine(std::move(output_line_));
      output_line_.clear();
      skipping_long_line_ = true;
    }
    return true;
  }

  void Dispatch(Frame frame) {
    if (frame.type == FrameType::kHello) {
      if (!hello_seen_) {
        hello_seen_ = true;
        auto parsed = ParseBoundedJson(frame.payload, JsonLimits{64 * 1024, 8});
        if (parsed.ok() && parsed->is_object()) {
          hello_.set_value(std::move(parsed).value());
        } else {
          hello_.set_value(Status::Error(Code::kPluginCrashed, "the plugin runner sent a malformed hello"));
        }
      }
      return;
    }
    if (frame.type == FrameType::kLog) {
      if (frame.payload.empty() || !MayLogLine()) return;
      // A cut line ends in "...", which tells the redactor to look for a secret's start at
      // its end.
      const std::string_view line = std::string_view(frame.payload).substr(1);
      std::string text = ToValidUtf8(line.substr(0, kMaxOutputLine)) + (line.size() > kMaxOutputLine ? "..." : "");
      Redact redact;
      {
        std::lock_guard<std::mutex> lock(mutex_);
        auto it = pending_.find(frame.id);
        if (it != pending_.end()) redact = it->second.redact_log;
      }
      text = redact ? redact(text) : RedactUnattributed(std::move(text));
      log::Write(LevelOf(frame.payload[0]), "plugin " + label_ + ": " + PluginLogLine(text));
      return;
    }
    Done done;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      auto it = pending_.find(frame.id);
      if (it == pending_.end()) return;  // already timed out
      done = std::move(it->second.done);
      RememberRedactor(std::move(it->second.redact_log));
      pending_.erase(it);
    }
    switch (frame.type) {
      case FrameType::kOk:
      case FrameType::kPluginError:
        if (auto owner = owner_.lock()) owner->OnCallSucceeded();
        return done(PluginOutput{frame.type == FrameType::kPluginError, std::move(frame.payload)});
      case FrameType::kTooLarge:
        return done(Status::Error(Code::kTooLarge, ToValidUtf8(frame.payload.substr(0, 20)) + " bytes"));
      default:
        return done(Status::Error(Code::kPluginUnavailable,
                                  "the plugin runner could not make the call: " + ToValidUtf8(frame.payload.substr(0, 300))));
    }
  }

  void Loop() {
    loop_thread_ = std::this_thread::get_id();
    bool output_open = true;
    std::string broken;  // why the host gave up on the stream
    std::vector<Pending> expired;
    for (;;) {
      pollfd fds[3] = {{spawned_.channel_fd, POLLIN, 0}, {wake_fd_, POLLIN, 0}, {spawned_.output_fd, POLLIN, 0}};
      const int count = ::poll(fds, output_open ? 3 : 2, PollTimeoutMs());
      if (count < 0 && errno != EINTR) break;
      if (fds[1].revents & POLLIN) {
        uint64_t ignored;
        [[maybe_unused]] ssize_t n = ::read(wake_fd_, &ignored, sizeof ignored);
      }
      if (output_open && (fds[2].revents & (POLLIN | POLLHUP | POLLERR))) output_open = ReadOutput();
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
        char chunk[65536];
        ssize_t n = ::recv(spawned_.channel_fd, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;  // the runner ended (or was stopped)
        reader_.Append(chunk, static_cast<size_t>(n));
        for (;;) {
          auto next = reader_.Next();
          if (!next.ok()) {
            broken = "it sent a malformed frame (" + next.status().message() + ")";
            break;
          }
          if (!next->has_value()) break;
          Dispatch(std::move(**next));
        }
        if (!broken.empty()) {
          Kill(broken);
          break;
        }
      }
      expired = TakeExpired();
      if (!expired.empty()) {
        Kill("a call overran its deadline");
        break;
      }
      if (Status threads = CheckThreads(); !threads.ok()) {
        Kill(threads.message());
        break;
      }
      if (stopping_) break;
    }
    Finish(std::move(expired), output_open);
  }

  void Finish(std::vector<Pending> expired, bool output_open) {
    const int status = ReapRunner(spawned_.pid, kStopGrace);
    // The last words of a crash (an abort's message) are worth keeping.
    while (output_open) {
      pollfd fd{spawned_.output_fd, POLLIN, 0};
      if (::poll(&fd, 1, 100) <= 0) break;
      output_open = ReadOutput();
    }
    std::string reason;
    std::vector<Pending> in_flight;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      reason = stopping_ ? "the host stopped the plugin's runner"
               : !kill_reason_.empty() ? "the plugin's runner was restarted: " + kill_reason_
                                      : "the plugin's runner " + DescribeExit(status);
      lost_ = true;
      lost_reason_ = reason;
      for (auto& [id, call] : pending_) in_flight.push_back(std::move(call));
      pending_.clear();
    }
    if (!stopping_) log::Warn("plugin " + label_ + ": " + reason);
    if (!hello_seen_) {
      hello_seen_ = true;
      hello_.set_value(Status::Error(Code::kPluginCrashed, "the plugin's runner " + DescribeExit(status) +
                                                           " while loading the plugin"));
    }
    if (!stopping_) {
      if (auto owner = owner_.lock()) owner->OnRunnerLost(this, reason);
    }
    for (auto& call : expired) {
      call.done(Status::Error(Code::kPluginTimeout, "the plugin did not answer before its deadline"));
    }
    for (auto& call : in_flight) call.done(Status::Error(Code::kPluginCrashed, reason));
    finished_.set_value();
  }

  SpawnedRunner spawned_;
  std::string label_;
  std::weak_ptr<SubprocessChannel> owner_;
  std::shared_ptr<std::atomic<uint64_t>> denials_;
  const int max_threads_;
  Clock::time_point next_thread_check_{};  // the loop's own
  runner::FrameReader reader_;
  int wake_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::atomic<std::thread::id> loop_thread_{};

  std::mutex write_mutex_;
  std::mutex mutex_;  // guards what follows
  std::map<uint32_t, Pending> pending_;
  std::deque<EndedCall> ended_calls_;  // oldest first
  uint32_t next_id_ = 1;
  bool lost_ = false;
  std::string lost_reason_;
  std::string kill_reason_;

  // The loop's own.
  std::string output_line_;
  Clock::time_point log_window_start_{};
  int log_lines_in_window_ = 0;
  int log_lines_dropped_ = 0;
  bool skipping_long_line_ = false;
  bool hello_seen_ = false;
  std::promise<Result<nlohmann::json>> hello_;
  std::promise<void> finished_;
  std::shared_future<void> finished_future_;
  std::string sandbox_;
};

SubprocessChannel::SubprocessChannel(std::filesystem::path plugin, PluginHostOptions options)
    : plugin_(std::move(plugin)), options_(std::move(options)),
      sandbox_denials_(std::make_shared<std::atomic<uint64_t>>(0)) {}

SubprocessChannel::~SubprocessChannel() {
  std::shared_ptr<Runner> runner;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    runner = std::move(current_);
  }
  if (runner) runner->Stop(kStopGrace + std::chrono::milliseconds(500));
}

Result<std::shared_ptr<SubprocessChannel::Runner>> SubprocessChannel::Launch() {
  auto spawned = SpawnRunner(plugin_, options_);
  if (!spawned.ok()) return spawned.status();
  auto runner = std::make_shared<Runner>(*spawned, plugin_.filename().string(), weak_from_this(), sandbox_denials_,
                                         options_.max_threads);
  runner->StartThread();
  auto hello = runner->AwaitHello(kLoadTimeout);
  if (!hello.ok()) {
    runner->Stop(kStopGrace);
    return Status::Error(hello.status().code(), plugin_.string() + ": " + hello.status().message());
  }
  if (hello->contains("refused")) {
    runner->Stop(kStopGrace);
    const auto refused = CodeFromName(hello->value("refused", ""));
    return Status::Error(refused.value_or(Code::kRegistrationFailed), hello->value("message", plugin_.string()));
  }
  const auto version = hello->value("abi_version", 0u);
  if (abi_version_ != 0 && version != abi_version_) {
    runner->Stop(kStopGrace);
    return Status::Error(Code::kRegistrationFailed, plugin_.string() + ": the library changed since it was loaded");
  }
  const PluginMethods methods = MethodsOf(*hello);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    methods_ = methods;
  }
  abi_version_ = version;
  runner->set_sandbox(hello->contains("sandbox") ? (*hello)["sandbox"].dump() : "{}");
  return runner;
}

Result<std::shared_ptr<SubprocessChannel>> SubprocessChannel::Open(const std::filesystem::path& plugin,
                                                                    const PluginHostOptions& options) {
  auto channel = std::make_shared<SubprocessChannel>(plugin, options);
  std::lock_guard<std::mutex> starting(channel->start_mutex_);
  auto runner = channel->Launch();
  if (!runner.ok()) return runner.status();
  std::lock_guard<std::mutex> lock(channel->mutex_);
  channel->current_ = std::move(runner).value();
  return channel;
}

std::chrono::milliseconds SubprocessChannel::BackoffAfter(int failures) {
  // The first failure restarts at once; failures in a row back off.
  if (failures <= 1) return std::chrono::milliseconds(0);
  return std::min<std::chrono::milliseconds>(kFirstBackoff * (1 << std::min(failures - 2, 10)), kMaxBackoff);
}

void SubprocessChannel::RecordFailure(const std::string& reason) {
  ++consecutive_failures_;
  last_failure_ = reason;
  next_start_ = Clock::now() + BackoffAfter(consecutive_failures_);
}

Result<std::shared_ptr<SubprocessChannel::Runner>> SubprocessChannel::CurrentRunner() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (current_) return current_;
  }
  // One caller starts the runner; the others wait for it here, not in mutex_, so that
  // availability() and the runner threads never wait for a plugin that loads slowly.
  std::lock_guard<std::mutex> starting(start_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shut_down_) return Status::Error(Code::kPluginUnavailable, "the host is stopping");
    if (current_) return current_;
    if (Clock::now() < next_start_) {
      return Status::Error(Code::kPluginUnavailable, "the plugin is restarting after a failure: " + last_failure_);
    }
  }
  auto runner = Launch();
  std::lock_guard<std::mutex> lock(mutex_);
  if (!runner.ok()) {
    // Why names the host's own files (the runner, the library): the operator's log gets
    // it; the answer and the provider's availability, which clients see, get its code.
    log::Error("plugin " + plugin_.filename().string() + ": its runner could not be started again: " +
               runner.status().ToString());
    RecordFailure("its runner could not be started again [" + runner.status().code_name() + "]");
    return Status::Error(Code::kPluginUnavailable, "the plugin could not be restarted [" + runner.status().code_name() +
                                                       "]; the host's log says why");
  }
  ++restarts_;
  current_ = *runner;
  return current_;
}

PluginMethods SubprocessChannel::methods() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return methods_;
}

void SubprocessChannel::Start(PluginMethod method, std::string input, CallOptions options, Done done) {
  auto runner = CurrentRunner();
  if (!runner.ok()) return done(runner.status());
  (*runner)->Send(method, std::move(input), std::move(options), std::move(done));
}

void SubprocessChannel::Shutdown() {
  std::shared_ptr<Runner> runner;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    shut_down_ = true;
    runner = std::move(current_);
  }
  if (runner) runner->Stop(kStopGrace + std::chrono::milliseconds(500));
}

void SubprocessChannel::OnRunnerLost(const Runner* runner, const std::string& reason) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (current_.get() != runner) return;
  current_.reset();
  RecordFailure(reason);
}

void SubprocessChannel::OnCallSucceeded() {
  std::lock_guard<std::mutex> lock(mutex_);
  consecutive_failures_ = 0;
}

PluginAvailability SubprocessChannel::availability() const {
  std::lock_guard<std::mutex> lock(mutex_);
  PluginAvailability availability;
  availability.restarts = restarts_;
  availability.sandbox_denials = sandbox_denials_->load();
  if (consecutive_failures_ >= kUnavailableAfterFailures) {
    availability.state = PluginAvailability::State::kUnavailable;
  } else if (!current_ && consecutive_failures_ > 0) {
    availability.state = PluginAvailability::State::kRestarting;
  }
  if (availability.state != PluginAvailability::State::kAvailable) availability.reason = last_failure_;
  return availability;
}

int SubprocessChannel::runner_pid() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_ ? current_->pid() : -1;
}

std::string SubprocessChannel::sandbox_report() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return current_ ? current_->sandbox() : "{}";
}

}  // namespace switchboard
