// What the Trello provider declares about itself: id, display data and field schema.
#ifndef SWITCHBOARD_PLUGINS_TRELLO_MANIFEST_HPP
#define SWITCHBOARD_PLUGINS_TRELLO_MANIFEST_HPP

#include <switchboard/provider.hpp>

namespace trello {

// Used when a config leaves base_url out.
inline constexpr const char* kDefaultBaseUrl = "https://api.trello.com/1";

switchboard::Manifest TrelloManifest();

}  // namespace trello

#endif  // SWITCHBOARD_PLUGINS_TRELLO_MANIFEST_HPP
