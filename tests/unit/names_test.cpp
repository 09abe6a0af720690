// Names (core/common/names): look-alikes share a uniqueness key, distinct names do not,
// invisible and control characters are refused, every name is bounded.
#include <catch2/catch.hpp>

#include <string>

#include "common/names.hpp"

using switchboard::names::Normalize;
using switchboard::names::UniquenessKey;

namespace {

std::string Key(const std::string& name) {
  auto normalized = Normalize(name);
  REQUIRE(normalized.ok());
  return UniquenessKey(*normalized);
}

std::string Refused(const std::string& name) {
  auto normalized = Normalize(name);
  return normalized.ok() ? "accepted" : normalized.status().code_name();
}

}  // namespace

TEST_CASE("look-alikes of an existing name collide", "[names]") {
  struct Pair {
    const char* what;
    std::string a, b;
  };
  const Pair pairs[] = {
      {"Cyrillic A", "Acme", "\xD0\x90" "cme"},
      {"Cyrillic a in the middle", "paypal", "p\xD0\xB0yp\xD0\xB0l"},
      {"fullwidth letter", "Acme", "\xEF\xBC\xA1" "cme"},
      {"fullwidth word", "acme", "\xEF\xBD\x81\xEF\xBD\x83\xEF\xBD\x8D\xEF\xBD\x85"},
      {"NFD vs NFC", "Caf\xC3\xA9", "Cafe\xCC\x81"},
      {"non-ASCII case", "CAF\xC3\x89", "Caf\xC3\xA9"},
      {"ASCII case", "Main OpenAI", "main openai"},
      {"sharp s", "Stra\xC3\x9F" "e", "STRASSE"},
      {"Turkish dotless i", "info", "\xC4\xB1nfo"},
      {"Turkish dotted I", "Info", "\xC4\xB0nfo"},
      {"Greek omicron", "Google", "G\xCE\xBF\xCE\xBFgle"},
      {"ligature", "office", "o\xEF\xAC\x83" "ce"},
      {"doubled space", "My Acme", "My  Acme"},
      {"digit one and letter l", "prod-1", "prod-l"},
  };
  for (const auto& pair : pairs) {
    INFO(pair.what);
    CHECK(Key(pair.a) == Key(pair.b));
  }
}

TEST_CASE("names are stored in NFC", "[names]") {
  CHECK(*Normalize("Cafe\xCC\x81") == "Caf\xC3\xA9");
  CHECK(*Normalize("Plain name") == "Plain name");
}

TEST_CASE("distinct names stay distinct", "[names]") {
  const char* names[] = {"Main", "Backup", "Team A", "Team B", "OpenAI 1", "OpenAI 2", "Cafe", "Caf\xC3\xA9",
                         "\xE6\x9D\xB1\xE4\xBA\xAC", "\xE4\xBA\xAC\xE9\x83\xBD", "Zürich", "Zurich", "prod", "staging"};
  for (size_t i = 0; i < std::size(names); ++i) {
    for (size_t j = i + 1; j < std::size(names); ++j) {
      INFO(names[i] << " vs " << names[j]);
      CHECK(Key(names[i]) != Key(names[j]));
    }
  }
}

TEST_CASE("invisible, control and bidi characters are refused", "[names]") {
  CHECK(Refused("Ac\xE2\x80\x8Bme") == "name_invalid");        // zero-width space
  CHECK(Refused("Ac\xE2\x80\x8Dme") == "name_invalid");        // zero-width joiner
  CHECK(Refused("Ac\xE2\x80\x8Cme") == "name_invalid");        // zero-width non-joiner
  CHECK(Refused("\xE2\x80\xAE" "emca") == "name_invalid");     // right-to-left override
  CHECK(Refused("a\xE2\x80\xAA" "b") == "name_invalid");       // left-to-right embedding
  CHECK(Refused("a\xE2\x81\xA6" "b\xE2\x81\xA9") == "name_invalid");  // isolate
  CHECK(Refused("\xEF\xBB\xBF" "Acme") == "name_invalid");     // BOM
  CHECK(Refused("Ac\xC2\xAD" "me") == "name_invalid");         // soft hyphen
  CHECK(Refused("My\xC2\xA0" "Acme") == "name_invalid");       // NBSP
  CHECK(Refused("My\xE3\x80\x80" "Acme") == "name_invalid");   // ideographic space
  CHECK(Refused("a\xC2\x85" "b") == "name_invalid");           // C1 NEL
  CHECK(Refused("a\xC2\x9B" "b") == "name_invalid");           // C1 CSI
  CHECK(Refused("a\x1b[31mb") == "name_invalid");              // C0 escape
  CHECK(Refused("a\x7f" "b") == "name_invalid");
  CHECK(Refused("a\tb") == "name_invalid");
  CHECK(Refused("a\xE2\x80\xA8" "b") == "name_invalid");       // line separator
  CHECK(Refused("\xE3\x85\xA4") == "name_invalid");            // Hangul filler (invisible)
  CHECK(Refused("a\xEF\xB8\x8F") == "name_invalid");           // variation selector
  CHECK(Refused("a\xEE\x80\x80") == "name_invalid");           // private use
  CHECK(Refused("a\xFF" "b") == "name_invalid");               // not UTF-8
  CHECK(Refused("a\xC0\xAF") == "name_invalid");               // overlong encoding
  CHECK(Refused(" Acme") == "name_invalid");
  CHECK(Refused("Acme ") == "name_invalid");
  CHECK(Refused("") == "missing_required");
  CHECK(Refused("   ") == "missing_required");
  CHECK(Refused("Ünïcödé names ✓") == "accepted");
}

TEST_CASE("every name is bounded", "[names]") {
  CHECK(Refused(std::string(200, 'a')) == "accepted");
  CHECK(Refused(std::string(201, 'a')) == "name_too_long");
  CHECK(Refused(std::string(1 << 20, 'a')) == "name_too_long");
  std::string wide;
  for (int i = 0; i < 200; ++i) wide += "\xF0\x9F\x98\x80";  // 200 four-byte characters
  CHECK(Refused(wide) == "accepted");
  CHECK(Refused(wide + "\xF0\x9F\x98\x80") == "name_too_long");
}
