#include <catch2/catch.hpp>

#include "service/store_memo.hpp"

using switchboard::ChangeToken;
using switchboard::StoreMemo;

namespace {
// The n-th state of one open of a store.
ChangeToken Token(uint64_t n) { return {"open-1", n}; }
std::shared_ptr<const std::string> Value(const char* text) { return std::make_shared<const std::string>(text); }
}  // namespace

TEST_CASE("a kept record is served only while the store stands where it was read") {
  StoreMemo<std::string> memo;
  memo.Put("token", Token(5), Value("read at 5"));
  REQUIRE(memo.Find("token", Token(5)));
  CHECK(*memo.Find("token", Token(5)) == "read at 5");
  CHECK_FALSE(memo.Find("token", Token(6)));  // any commit since: read it again
  CHECK_FALSE(memo.Find("other", Token(5)));
}

TEST_CASE("a record read after a newer change is not kept over it") {
  StoreMemo<std::string> memo;
  memo.Put("token", Token(7), Value("read at 7"));
  memo.Put("token", Token(6), Value("read at 6"));  // a slow reader that started earlier
  REQUIRE(memo.Find("token", Token(7)));
  CHECK(*memo.Find("token", Token(7)) == "read at 7");
  CHECK_FALSE(memo.Find("token", Token(6)));
}

TEST_CASE("a newer read drops everything kept from an older state") {
  StoreMemo<std::string> memo;
  memo.Put("a", Token(1), Value("A"));
  memo.Put("b", Token(2), Value("B"));
  CHECK_FALSE(memo.Find("a", Token(2)));
  CHECK(memo.Find("b", Token(2)));
}

TEST_CASE("tokens of another open of the store never match") {
  StoreMemo<std::string> memo;
  memo.Put("a", Token(3), Value("A"));
  CHECK_FALSE(memo.Find("a", ChangeToken{"open-2", 3}));
  memo.Put("a", ChangeToken{"open-2", 1}, Value("A again"));
  CHECK_FALSE(memo.Find("a", Token(3)));
  CHECK(*memo.Find("a", ChangeToken{"open-2", 1}) == "A again");
}

TEST_CASE("a full memo starts over instead of growing") {
  StoreMemo<std::string> memo(2);
  memo.Put("a", Token(1), Value("A"));
  memo.Put("b", Token(1), Value("B"));
  memo.Put("c", Token(1), Value("C"));
  CHECK_FALSE(memo.Find("a", Token(1)));
  CHECK_FALSE(memo.Find("b", Token(1)));
  CHECK(memo.Find("c", Token(1)));
}

TEST_CASE("a read through the memo happens once per state of the store, and a failed one is not kept") {
  StoreMemo<std::string> memo;
  int reads = 0;
  auto read = [&]() -> switchboard::Result<std::string> {
    ++reads;
    return std::string("record");
  };
  REQUIRE(memo.Get("a", Token(1), read).ok());
  CHECK(**memo.Get("a", Token(1), read) == "record");
  CHECK(reads == 1);
  CHECK(memo.Get("a", Token(2), read).ok());
  CHECK(reads == 2);
  auto missing = [&]() -> switchboard::Result<std::string> {
    ++reads;
    return switchboard::Status::Error(switchboard::Code::kNotFound, "no such record");
  };
  CHECK(memo.Get("b", Token(2), missing).status().Is(switchboard::Code::kNotFound));
  CHECK(memo.Get("b", Token(2), missing).status().Is(switchboard::Code::kNotFound));
  CHECK(reads == 4);
}
