#include "http/http_message.hpp"

#include <algorithm>

namespace switchboard::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX sequences decoded (a malformed one is kept as it is); '+' is a space in a query.
std::string Decode(const std::string& text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%' && i + 2 < text.size()) {
      int hi = HexValue(text[i + 1]), lo = HexValue(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
  return out;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

const std::string* FindHeader(const HeaderList& headers, const std::string& name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

}  // namespace

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return Lower(x) == Lower(y); });
}

bool HttpRequest::has_header(const std::string& name) const { return FindHeader(headers, name) != nullptr; }

std::string HttpRequest::get_header_value(const std::string& name) const {
  const std::string* value = FindHeader(headers, name);
  return value ? *value : std::string();
}

bool HttpRequest::has_param(const std::string& name) const {
  return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == name; });
}

std::string HttpRequest::get_param_value(const std::string& name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  return {};
}

void HttpResponse::set_header(const std::string& name, const std::string& value) {
  for (auto& [key, existing] : headers) {
    if (EqualsIgnoreCase(key, name)) {
      existing = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

void HttpResponse::set_content(std::string content, const std::string& content_type) {
  body = std::move(content);
  set_header("Content-Type", content_type);
}

bool ParseTarget(const std::string& target, HttpRequest& request) {
  if (target.empty() || target.front() != '/') return false;
  request.target = target;
  const size_t question = target.find('?');
  request.path = Decode(target.substr(0, question), /*plus_is_space=*/false);
  if (request.path.find('\0') != std::string::npos) return false;
  request.params.clear();
  if (question == std::string::npos) return true;
  const std::string query = target.substr(question + 1);
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    std::string pair = query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      request.params.emplace_back(Decode(pair.substr(0, eq), true),
                                  eq == std::string::npos ? std::string() : Decode(pair.substr(eq + 1), true));
    }
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return true;
}

}  // namespace switchboard::http
