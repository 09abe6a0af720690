// Checks of a Trello config that its field schema cannot express.
#ifndef SWITCHBOARD_PLUGINS_TRELLO_VALIDATION_HPP
#define SWITCHBOARD_PLUGINS_TRELLO_VALIDATION_HPP

#include <vector>

#include <switchboard/provider.hpp>

namespace trello {

// Codes:
//   token_in_key_field  api_key holds a token (ATTA..., or 64+ characters)
//   key_in_token_field  token holds a 32-character key
//   insecure_url        base_url is plain http to a host other than this machine, which
//                       would send the key and token in clear text
// The first two are also shape errors of the schema; a host that checks the schema first
// reports them as pattern_mismatch, and these messages serve hosts that call validate
// on its own.
std::vector<switchboard::FieldError> ValidateConfig(const switchboard::Json& config);

}  // namespace trello

#endif  // SWITCHBOARD_PLUGINS_TRELLO_VALIDATION_HPP
