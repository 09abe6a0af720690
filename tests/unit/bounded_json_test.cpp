// The parsing primitives for outside bytes: ParseBoundedJson's limits and codes, the
// UTF-8 check and repair, the date-time format. Each limit is probed on both sides.
#include "common/bounded_json.hpp"

#include <catch2/catch.hpp>
#include <string>

#include "common/utf8.hpp"
#include "schema/pattern.hpp"

namespace switchboard {
namespace {

std::string Nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string CodeOf(std::string_view text, JsonLimits limits = {}) {
  auto parsed = ParseBoundedJson(text, limits);
  return parsed.ok() ? "ok" : parsed.status().code_name();
}

TEST_CASE("bounded JSON: a valid document parses") {
  auto parsed = ParseBoundedJson(R"({"a":[1,2,{"b":"c\u00e9"}],"d":null})", {});
  REQUIRE(parsed.ok());
  CHECK((*parsed)["a"][2]["b"] == "c\xc3\xa9");
}

TEST_CASE("bounded JSON: nesting up to the limit parses, one deeper is too_deep") {
  CHECK(CodeOf(Nested(64)) == "ok");
  CHECK(CodeOf(Nested(65)) == "too_deep");
  CHECK(CodeOf("{\"a\":" + Nested(64) + "}") == "too_deep");
  // 58,000 levels crashed the host before; now it is refused without recursing.
  CHECK(CodeOf(Nested(58000)) == "too_deep");
  CHECK(CodeOf(std::string(1000000, '[')) == "too_deep");
}

TEST_CASE("bounded JSON: brackets inside strings do not count as nesting") {
  CHECK(CodeOf("[\"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"]") == "ok");
}

TEST_CASE("bounded JSON: more bytes than the limit is too_large") {
  JsonLimits limits{16, 64};
  CHECK(CodeOf("\"0123456789abcd\"", limits) == "ok");  // 16 bytes
  CHECK(CodeOf("\"0123456789abcde\"", limits) == "too_large");
}

TEST_CASE("bounded JSON: a NUL byte anywhere is malformed, not the end of the text") {
  using namespace std::string_literals;
  CHECK(CodeOf("{\"a\":1}\0garbage"s) == "malformed_json");
  CHECK(CodeOf("{\"a\":\"x\0y\"}"s) == "malformed_json");
  CHECK(CodeOf("{\"a\":1}\0"s) == "malformed_json");
}

TEST_CASE("bounded JSON: invalid UTF-8 is not_utf8, anything else not JSON is malformed") {
  CHECK(CodeOf("{\"a\":\"caf\xe9\"}") == "not_utf8");
  CHECK(CodeOf("{\"a\":\"\xc0\xaf\"}") == "not_utf8");  // overlong '/'
  CHECK(CodeOf("{\"a\":\"\xed\xa0\x80\"}") == "not_utf8");  // a surrogate
  CHECK(CodeOf("{\"a\":1,}") == "malformed_json");
  CHECK(CodeOf("") == "malformed_json");
  CHECK(CodeOf("{\"a\":1} {\"b\":2}") == "malformed_json");
}

TEST_CASE("UTF-8: well-formed sequences pass, every malformed one is caught") {
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  CHECK_FALSE(IsValidUtf8("caf\xe9"));                // Latin-1
  CHECK_FALSE(IsValidUtf8("\xe2\x82"));               // truncated
  CHECK_FALSE(IsValidUtf8("\xe0\x80\xaf"));           // overlong
  CHECK_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));       // above U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xff"));
  CHECK_FALSE(IsValidUtf8("\x80"));                   // a lone continuation byte
}

TEST_CASE("UTF-8: repair replaces each bad byte with U+FFFD and keeps the rest") {
  CHECK(ToValidUtf8("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(ToValidUtf8("caf\xe9!") == "caf\xef\xbf\xbd!");
  CHECK(ToValidUtf8("\xff\xfe") == "\xef\xbf\xbd\xef\xbf\xbd");
  std::string random;
  for (int i = 0; i < 4096; ++i) random.push_back(static_cast<char>((i * 7919) & 0xff));
  CHECK(IsValidUtf8(ToValidUtf8(random)));
}

TEST_CASE("patterns: RE2 searches unanchored, in linear time, and refuses what it cannot run") {
  auto pattern = Pattern::Compile("^sk-[A-Za-z0-9]+$");
  REQUIRE(pattern.ok());
  CHECK(pattern->Finds("sk-abc"));
  CHECK_FALSE(pattern->Finds("xsk-abc"));
  CHECK(pattern->Finds("sk-" + std::string(1000000, 'A')));  // std::regex overflowed the stack here
  CHECK_FALSE(pattern->Finds("sk-" + std::string(1000000, 'A') + "!"));
  auto unanchored = Pattern::Compile("[0-9]");
  REQUIRE(unanchored.ok());
  CHECK(unanchored->Finds("abc5"));
  CHECK(Pattern::Compile("^(?!ftp)").status().Is(Code::kBadPattern));  // lookahead
  CHECK(Pattern::Compile("(a)\\1").status().Is(Code::kBadPattern));    // backreference
  CHECK(Pattern::Compile("[unclosed").status().Is(Code::kBadPattern));
}

}  // namespace
}  // namespace switchboard
