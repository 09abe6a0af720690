// Routes on the HTTP edge (core/http): path templates with {params}, access rules checked
// before a handler runs, problem+json for every failure, per-route metrics, and 405 with
// Allow for a known path under the wrong method.
//
// A route's handler runs on the worker pool, or on the plugin pool when it calls into a
// provider plugin (Lane::kPlugin), so a slow plugin holds up only other plugin calls. The
// use of a connection (Lane::kNetwork) runs on the server's I/O thread that read the
// request: its hot path reads memory (store_memo.hpp) and hands the rest to asynchronous
// I/O, and a hop to a pool and back would cost a caller more than the work itself. A
// handler that waits for something asynchronous (a probe) calls Defer() and answers
// through the handle when it is done, leaving its thread free meanwhile.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/auth.hpp"
#include "api/metrics.hpp"
#include "api/problem.hpp"
#include "http/http_message.hpp"
#include "http/worker_pool.hpp"

namespace switchboard::api {

enum class Access {
  kPublic,         // no token needed
  kAuthenticated,  // any valid token
  kProjectRead,    // first path parameter is a project the caller can see
  kProjectWrite,   // ... and may change (project admin or server admin)
  kServerAdmin,    // the server admin token only
  // Using the connection of the second path parameter in the project of the first: a
  // runtime token whose component references it at this moment, or a project admin.
  kConnectionUse,
  // The same, for runtime tokens only (the credentials endpoint hands out secrets).
  kConnectionCredentials
};

// Which pool runs a route's handler.
enum class Lane {
  kWorker,  // everything that only reads and writes the store
  kPlugin,  // handlers that call into a provider plugin (validate, and what validates)
  // Handlers that never wait: memory, at most a point read of the store when its memo is
  // stale, then asynchronous I/O (the proxy, the credentials endpoint).
  kNetwork
};

class Call;

// A call answered later: the first Reply/Fail through it sends the answer. Copies share
// the call; if the last copy goes without an answer, the client gets a 500 problem.
class Deferred {
 public:
  Call* operator->() const;
  Call& operator*() const;

 private:
  friend class Call;
  struct Keeper;
  std::shared_ptr<Keeper> keeper_;
};

// One request being handled.
class Call {
 public:
  using Completion = std::function<void(Call&)>;
  Call(http::HttpRequest request, Principal principal, std::vector<std::string> params, Completion completion)
      : req(std::move(request)),
        principal(std::move(principal)),
        params_(std::move(params)),
        completion_(std::move(completion)) {}

  const http::HttpRequest req;
  http::HttpResponse res;
  const Principal principal;

  const std::string& param(size_t i) const { return params_.at(i); }
  std::string query(const std::string& name) const { return req.get_param_value(name); }

  // The body as a JSON object; on failure a problem has been sent and nullopt returned.
  std::optional<nlohmann::json> JsonBody();

  void Reply(int status, const nlohmann::json& body) {
    SendJson(res, status, body);
    Answered();
  }
  // Sends `res` as the handler filled it (status, headers, body): a proxied answer.
  void Send() { Answered(); }
  void Fail(const Problem& problem) {
    SendProblem(res, problem);
    Answered();
  }
  void Fail(const Status& status) { Fail(ProblemFrom(status)); }
  void Fail(int http_status, std::string code, std::string detail, std::vector<FieldError> errors = {}) {
    Problem p;
    p.status = http_status;
    p.code = std::move(code);
    p.detail = std::move(detail);
    p.errors = std::move(errors);
    Fail(p);
  }

  // The handler returns without answering; the answer goes out at the first Reply/Fail
  // through the handle (from any thread). Call it before handing the handle on.
  Deferred Defer();

 private:
  friend class Router;
  friend struct Deferred::Keeper;
  void Answered() {
    if (deferred_) Complete();
  }
  void Complete();  // sends `res`, once

  std::vector<std::string> params_;
  Completion completion_;
  std::weak_ptr<Call> self_;
  bool deferred_ = false;
  std::atomic<bool> completed_{false};
};

class Router {
 public:
  using Handler = std::function<void(Call&)>;
  // `project_exists` answers whether a project id exists (for the project access rules).
  Router(Metrics& metrics, const Authenticator& auth, std::function<bool(const std::string&)> project_exists,
         http::WorkerPool& workers, http::WorkerPool& plugin_workers);

  // Decides whether a runtime token's component may use a connection now (ok, or the
  // refusal to send); the rule of kConnectionUse and kConnectionCredentials. Set before
  // the first Dispatch.
  using UseCheck = std::function<Status(const std::string& project, const ComponentBinding& component,
                                        const std::string& connection)>;
  void set_use_check(UseCheck check) { use_check_ = std::move(check); }

  void Handle(const std::string& method, const std::string& route, Access access, Handler handler) {
    Handle(method, route, access, Lane::kWorker, std::move(handler));
  }
  void Handle(const std::string& method, const std::string& route, Access access, Lane lane, Handler handler);

  // The HTTP server's request handler: finds the route on the I/O thread (no regex, no
  // store) and runs it on its pool.
  void Dispatch(http::HttpRequest request, http::Responder respond);

  // A problem the edge answers itself (400 framing, 413, 431, 503), counted as unmatched.
  http::HttpResponse EdgeProblem(int status, const std::string& code, const std::string& detail);

 private:
  struct Route {
    std::string method;
    std::string route;
    std::vector<std::string> segments;  // "{p}" matches any one non-empty segment;
                                        // a last "{path...}" any rest (handlers read it
                                        // from the raw target), even none
    Access access;
    Lane lane;
    Handler handler;
  };
  void Run(const Route& route, http::HttpRequest request, std::vector<std::string> params,
           http::Responder respond);

  Metrics& metrics_;
  const Authenticator& auth_;
  std::function<bool(const std::string&)> project_exists_;
  UseCheck use_check_;
  http::WorkerPool& workers_;
  http::WorkerPool& plugin_workers_;
  std::deque<Route> routes_;  // deque: queued tasks keep pointers to their Route
};

}  // namespace switchboard::api
