#include "schema/pattern.hpp"

#include <re2/re2.h>

namespace switchboard {

Result<Pattern> Pattern::Compile(const std::string& expression) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_shared<const RE2>(expression, options);
  if (!re->ok()) return Status::Error(Code::kBadPattern, re->error());
  Pattern pattern;
  pattern.expression_ = expression;
  pattern.re_ = std::move(re);
  return pattern;
}

bool Pattern::Finds(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *re_);
}

}  // namespace switchboard
