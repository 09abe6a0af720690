// A fixed number of threads running queued tasks in order. The HTTP edge has two: route
// handlers on one, handlers that call into plugins on another, so a slow plugin can
// hold up only other plugin calls. The queue is bounded by the server's connection
// limit (a connection has at most one request in a pool at a time).
// THREADS: Post is safe from any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::http {

class WorkerPool {
 public:
  WorkerPool(std::string name, size_t threads);
  ~WorkerPool();  // Stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void Post(std::function<void()> task);
  // Runs what is queued, then joins the threads. Tasks posted afterwards are dropped.
  void Stop();

  size_t queued() const;

 private:
  void Work();

  const std::string name_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;  // guarded by mutex_
  bool stopping_ = false;                    // guarded by mutex_
  std::vector<std::thread> threads_;
};

}  // namespace switchboard::http
