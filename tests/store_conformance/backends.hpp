// The backends the conformance suite runs against. A test case takes one with
//   const Backend& backend = GENERATE(from_range(Backends()));
// and opens fresh, empty stores from it. A new backend is one line in backends.cpp.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace switchboard::conformance {

// A fresh, empty store; what it leaves behind goes with it.
class StoreUnderTest {
 public:
  StoreUnderTest(std::unique_ptr<Store> store, std::function<void()> cleanup)
      : store_(std::move(store)), cleanup_(std::move(cleanup)) {}
  ~StoreUnderTest() {
    store_.reset();
    if (cleanup_) cleanup_();
  }
  StoreUnderTest(StoreUnderTest&& other) noexcept
      : store_(std::move(other.store_)), cleanup_(std::exchange(other.cleanup_, nullptr)) {}
  StoreUnderTest(const StoreUnderTest&) = delete;
  StoreUnderTest& operator=(const StoreUnderTest&) = delete;
  StoreUnderTest& operator=(StoreUnderTest&&) = delete;
  Store* operator->() const { return store_.get(); }
  Store& operator*() const { return *store_; }

 private:
  std::unique_ptr<Store> store_;
  std::function<void()> cleanup_;
};

struct Backend {
  std::string name;
  std::function<StoreUnderTest()> open;
};

const std::vector<Backend>& Backends();

}  // namespace switchboard::conformance
