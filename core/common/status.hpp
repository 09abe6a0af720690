// Status and Result<T>: how core functions report expected failures. Exceptions are kept
// for the unexpected; every boundary between modules returns one of these.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <switchboard/provider.hpp>

#include "common/status_code.hpp"

namespace switchboard {

// A failure with a stable Code, a sentence for a person and, for a refused input, the
// per-field errors a form shows. A default-constructed Status is success. Code names
// (CodeName) are written only at the edges: problem+json, logs, the CLI's output.
class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(Code code, std::string message) {
    Status s;
    s.error_ = Failure{code, std::move(message), {}};
    return s;
  }
  // A refused input: `fields` say what is wrong with each part of it.
  static Status Invalid(Code code, std::string message, std::vector<FieldError> fields) {
    Status s = Error(code, std::move(message));
    s.error_->fields = std::move(fields);
    return s;
  }

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  // kOk for success.
  Code code() const { return ok() ? Code::kOk : error_->code; }
  // The code's stable name, for problem+json, logs and the CLI's output.
  std::string code_name() const { return std::string(CodeName(code())); }
  bool Is(Code code) const { return this->code() == code; }
  // True for success too: "not this failure".
  bool IsNot(Code code) const { return !Is(code); }
  bool IsNotFound() const { return Is(Code::kNotFound); }
  bool IsNameTaken() const { return Is(Code::kNameTaken); }
  bool IsInUse() const { return Is(Code::kInUse); }
  bool IsCorruption() const { return Is(Code::kCorruption); }
  const std::string& message() const { return ok() ? kEmpty() : error_->message; }
  const std::vector<FieldError>& field_errors() const {
    static const std::vector<FieldError> kNone;
    return ok() ? kNone : error_->fields;
  }
  std::string ToString() const {
    return ok() ? "ok" : std::string(CodeName(error_->code)) + ": " + error_->message;
  }

 private:
  struct Failure {
    Code code;
    std::string message;
    std::vector<FieldError> fields;
  };
  static const std::string& kEmpty() {
    static const std::string empty;
    return empty;
  }
  std::optional<Failure> error_;
};

// A Code in JSON is its stable name, never the enumerator's number.
inline void to_json(nlohmann::json& j, Code code) { j = CodeName(code); }

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
