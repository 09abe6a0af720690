// Status and Result<T>: how core functions report expected failures. Exceptions are kept
// for the unexpected; every boundary between modules returns one of these.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace switchboard {

// A failure with a stable machine-readable code (e.g. "not_found", "abi_incompatible")
// and a sentence for a person. A default-constructed Status is success.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string code, std::string message) {
    Status s;
    s.error_ = Failure{std::move(code), std::move(message)};
    return s;
  }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const std::string& code() const { return ok() ? kEmpty() : error_->code; }
  const std::string& message() const { return ok() ? kEmpty() : error_->message; }
  std::string ToString() const { return ok() ? "ok" : error_->code + ": " + error_->message; }

 private:
  struct Failure {
    std::string code;
    std::string message;
  };
  static const std::string& kEmpty() {
    static const std::string empty;
    return empty;
  }
  std::optional<Failure> error_;
};

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(value_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace switchboard
