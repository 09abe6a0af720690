#include "store/open_store.hpp"

#include <algorithm>

#include "store/rocksdb/rocksdb_store.hpp"

namespace switchboard {

namespace {
constexpr std::string_view kRocksDbScheme = "rocksdb:";
}

std::string RocksDbUrl(const std::string& dir) { return std::string(kRocksDbScheme) + dir; }

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  const std::string& url = options.url;
  if (url.starts_with(kRocksDbScheme)) {
    const std::string dir = url.substr(kRocksDbScheme.size());
    if (dir.empty()) return Status::Error(Code::kBadUrl, "the store URL 'rocksdb:' names no folder");
    auto opened = RocksDbStore::Open(dir, options.rocksdb);
    if (!opened.ok()) return opened.status();
    return std::unique_ptr<Store>(std::move(opened).value());
  }
  const auto colon = url.find(':');
  // Only the scheme, and a short one: the rest may carry a password (postgresql://user:secret@...).
  const std::string scheme = colon == std::string::npos ? "" : url.substr(0, std::min<size_t>(colon, 32));
  return Status::Error(Code::kBadUrl,
                       scheme.empty() ? std::string("the store URL names no backend (expected rocksdb:<folder>)")
                                      : "no store backend '" + scheme + "' (expected rocksdb:<folder>)");
}

}  // namespace switchboard
