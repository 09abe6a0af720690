#include "probe/proxy_rules.hpp"

#include <algorithm>
#include <set>

#include <switchboard/http_util.hpp>
#include <switchboard/text_util.hpp>

namespace switchboard::probe {
namespace {

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

Status Refuse(const std::string& why) { return Status::Error(Code::kPathRefused, why); }

// Headers that describe one connection, not the request (RFC 9110 7.6.1), and those the
// host's client writes itself.
const std::set<std::string>& HopByHop() {
  static const std::set<std::string> names = {"connection", "keep-alive", "proxy-connection", "te", "trailer",
                                              "transfer-encoding", "upgrade", "host", "content-length"};
  return names;
}

std::string TrimSpaces(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Names a Connection header lists are hop-by-hop too.
std::set<std::string> ListedIn(const std::string& connection) {
  std::set<std::string> names;
  size_t start = 0;
  while (start < connection.size()) {
    size_t comma = connection.find(',', start);
    if (comma == std::string::npos) comma = connection.size();
    std::string name = Lower(TrimSpaces(connection.substr(start, comma - start)));
    if (!name.empty()) names.insert(name);
    start = comma + 1;
  }
  return names;
}

std::string DecodedName(const std::string& pair) {
  std::string name = pair.substr(0, pair.find('='));
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '%' && i + 2 < name.size() && IsHex(name[i + 1]) && IsHex(name[i + 2])) {
      out += static_cast<char>(std::stoi(name.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += name[i] == '+' ? ' ' : name[i];
    }
  }
  return out;
}

}  // namespace

Status CheckProxyPath(const std::string& path) {
  if (path.empty()) return Status::Ok();
  if (path.size() > kMaxProxyPathBytes) return Refuse("the path is longer than " + std::to_string(kMaxProxyPathBytes) + " bytes");
  if (path.front() != '/') return Refuse("the path must start with '/'");
  for (size_t i = 0; i < path.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(path[i]);
    if (c <= 0x20 || c >= 0x7f) return Refuse("the path holds a byte that must be percent-encoded");
    if (c == '\\' || c == '@' || c == '#' || c == '?') return Refuse(std::string("the path may not hold '") + path[i] + "'");
    if (c == '%') {
      if (i + 2 >= path.size() || !IsHex(path[i + 1]) || !IsHex(path[i + 2])) {
        return Refuse("the path holds a '%' that is not a percent-encoding");
      }
      const std::string code = Lower(path.substr(i + 1, 2));
      // Encoded dots, slashes, backslashes and NULs change the path once decoded.
      if (code == "2e" || code == "2f" || code == "5c" || code == "00") {
        return Refuse("the path may not hold an encoded '.', '/', '\\' or NUL (%" + code + ")");
      }
      // A doubly encoded one (%252e) for servers that decode twice, and the overlong
      // UTF-8 lead bytes (%c0%ae) some decoders still read as a dot or a slash.
      const std::string next = i + 4 < path.size() ? Lower(path.substr(i + 3, 2)) : "";
      if ((code == "25" && (next == "2e" || next == "2f" || next == "5c")) || code == "c0" || code == "c1") {
        return Refuse("the path may not hold a doubly encoded or overlong '.', '/' or '\\'");
      }
    }
  }
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    const std::string segment = path.substr(start, slash - start);
    const bool last = slash == path.size();
    if (segment.empty() && !last) return Refuse("the path may not hold an empty segment ('//')");
    // "..;x" is ".." to servers that strip path parameters.
    const std::string lowered = Lower(segment);
    const std::string bare = segment.substr(0, std::min(segment.find(';'), lowered.find("%3b")));
    if (bare == "." || bare == "..") return Refuse("the path may not hold a '.' or '..' segment");
    start = slash + 1;
  }
  return Status::Ok();
}

Status CheckProxyQuery(const std::string& query) {
  if (query.size() > kMaxProxyQueryBytes) return Refuse("the query is longer than " + std::to_string(kMaxProxyQueryBytes) + " bytes");
  for (char ch : query) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '#') return Refuse("the query holds a byte that must be percent-encoded");
  }
  return Status::Ok();
}

std::string ProxyUrl(const AuthorizedOrigin& origin, const ProxyCall& call,
                     const std::map<std::string, std::string>& grant_query) {
  std::string url = origin.origin + origin.base_path + call.path;
  std::string query;
  size_t start = 0;
  while (start < call.query.size()) {
    // ';' separates parameters for some servers too: a caller's "a=1;key=x" must not keep
    // a parameter the grant sets.
    size_t amp = call.query.find_first_of("&;", start);
    if (amp == std::string::npos) amp = call.query.size();
    const std::string pair = call.query.substr(start, amp - start);
    if (!pair.empty() && !grant_query.count(DecodedName(pair))) {
      query += (query.empty() ? "" : std::string(1, start > 0 ? call.query[start - 1] : '&')) + pair;
    }
    start = amp + 1;
  }
  for (const auto& [name, value] : grant_query) {
    query += (query.empty() ? "" : "&") + UrlEncode(name) + "=" + UrlEncode(value);
  }
  return query.empty() ? url : url + "?" + query;
}

Headers ForwardedHeaders(const HeaderPairs& caller, const Headers& grant) {
  // Range and If-Range too: a provider's answer cut into slices could carry a secret it
  // quotes in pieces too short to recognise.
  std::set<std::string> dropped = {"authorization", "proxy-authorization", "cookie", "accept-encoding", "expect",
                                   "range", "if-range"};
  for (const auto& [name, value] : caller) {
    if (Lower(name) == "connection") {
      for (const auto& listed : ListedIn(value)) dropped.insert(listed);
    }
  }
  Headers out;
  for (const auto& [raw_name, value] : caller) {
    const std::string name = Lower(raw_name);
    if (HopByHop().count(name) || dropped.count(name) || StartsWith(name, "proxy-")) continue;
    auto [it, inserted] = out.emplace(name, value);
    if (!inserted) it->second += ", " + value;
  }
  for (const auto& [name, value] : grant) out[Lower(name)] = value;
  return out;
}

HeaderPairs ReturnedHeaders(const Headers& provider) {
  std::set<std::string> dropped = {"set-cookie", "set-cookie2"};
  auto connection = provider.find("connection");
  if (connection != provider.end()) {
    for (const auto& listed : ListedIn(connection->second)) dropped.insert(listed);
  }
  HeaderPairs out;
  for (const auto& [name, value] : provider) {
    if (HopByHop().count(name) || dropped.count(name) || StartsWith(name, "proxy-")) continue;
    out.emplace_back(name, value);
  }
  return out;
}

void RedactAnswer(const SecretRedactor& secrets, HttpResponse& answer) {
  secrets.RedactInPlace(answer.body);
  for (auto it = answer.headers.begin(); it != answer.headers.end();) {
    if (secrets.Holds(it->first)) {
      it = answer.headers.erase(it);
      continue;
    }
    secrets.RedactInPlace(it->second);
    ++it;
  }
}

std::string WithoutQuery(const std::string& url) { return url.substr(0, url.find('?')); }

}  // namespace switchboard::probe
