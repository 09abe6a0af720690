// A field schema's `pattern`, run by RE2: linear time in the input and no recursion, so
// no value can make matching slow or overflow the stack (std::regex, which valijson
// uses, recurses once per character). JSON Schema patterns are unanchored searches.
// RE2 has no backreferences or lookaround; a plugin whose pattern needs them is refused.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.hpp"

namespace re2 {
class RE2;
}

namespace switchboard {

class Pattern {
 public:
  // Fails with "bad_pattern" (and RE2's reason) when RE2 cannot compile `expression`.
  static Result<Pattern> Compile(const std::string& expression);

  // Whether the pattern matches somewhere in `text`.
  bool Finds(std::string_view text) const;

  const std::string& expression() const { return expression_; }

 private:
  std::string expression_;
  std::shared_ptr<const re2::RE2> re_;
};

}  // namespace switchboard
