// The Microsoft clouds: the global service and the national clouds, each with its own
// sign-in (authority) hosts and Microsoft Graph hosts. Tokens from one cloud are not
// accepted by another.
#ifndef OUTLOOK_CLOUDS_HPP
#define OUTLOOK_CLOUDS_HPP

#include <string>

namespace outlook {

// The cloud ("global", "us_government", "china") whose sign-in host is `host`, or
// nullptr when it is none of them.
const char* CloudOfAuthorityHost(const std::string& host);

// The cloud whose Graph host is `host`, or nullptr.
const char* CloudOfGraphHost(const std::string& host);

}  // namespace outlook

#endif  // OUTLOOK_CLOUDS_HPP
