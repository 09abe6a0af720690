// The Connections page's files (core/web/static), compiled into the host by
// core/web/embed_assets.cmake so the binary serves them with no files at run time.
#pragma once

#include <cstddef>
#include <string_view>

namespace switchboard::web {

struct WebAsset {
  std::string_view name;          // file name under static/, e.g. "app.js"
  std::string_view content_type;  // from the extension, with charset for text
  std::string_view etag;          // quoted SHA-256 prefix of the bytes
  std::string_view bytes;
};

// The asset named `name`, or nullptr. The table is constant: safe from any thread.
const WebAsset* FindWebAsset(std::string_view name);

}  // namespace switchboard::web
