#include "clouds.hpp"

#include <switchboard/text_util.hpp>

namespace outlook {
namespace {

struct HostCloud {
  const char* host;
  const char* cloud;
};

// Microsoft's national cloud deployments table. login.windows.net is the old global
// alias; login.chinacloudapi.cn the older China (21Vianet) host.
constexpr HostCloud kAuthorityHosts[] = {
    {"login.microsoftonline.com", "global"},
    {"login.windows.net", "global"},
    {"login.microsoftonline.us", "us_government"},
    {"login.partner.microsoftonline.cn", "china"},
    {"login.chinacloudapi.cn", "china"},
};

constexpr HostCloud kGraphHosts[] = {
    {"graph.microsoft.com", "global"},
    {"graph.microsoft.us", "us_government"},       // GCC High
    {"dod-graph.microsoft.us", "us_government"},   // DoD
    {"microsoftgraph.chinacloudapi.cn", "china"},
};

template <size_t N>
const char* Find(const HostCloud (&table)[N], const std::string& name) {
  const std::string host = switchboard::Lower(name);  // host names are case-insensitive
  for (const auto& entry : table) {
    if (host == entry.host) return entry.cloud;
  }
  return nullptr;
}

}  // namespace

const char* CloudOfAuthorityHost(const std::string& host) { return Find(kAuthorityHosts, host); }

const char* CloudOfGraphHost(const std::string& host) { return Find(kGraphHosts, host); }

}  // namespace outlook
