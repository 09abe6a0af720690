#include "request_record.hpp"

#include <cctype>
#include <string>

namespace fakes {
namespace {

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Headers cpp-httplib's server adds to a request itself; the client did not send them.
bool AddedByServer(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

}  // namespace

nlohmann::json DescribeRequest(const httplib::Request& req, size_t body_limit) {
  const size_t question = req.target.find('?');
  nlohmann::json lists = nlohmann::json::object();
  for (const auto& [name, value] : req.headers) {
    if (AddedByServer(name)) continue;
    lists[Lower(name)].push_back(value);
  }
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [name, values] : lists.items()) {
    std::string joined;
    for (const auto& value : values) {
      joined += (joined.empty() ? "" : ", ") + value.get<std::string>();
    }
    headers[name] = joined;
  }
  nlohmann::json record = {
      {"method", req.method},
      {"path", req.target.substr(0, question)},
      {"query", question == std::string::npos ? "" : req.target.substr(question + 1)},
      {"headers", headers},
      {"header_lists", lists},
      {"body", req.body.substr(0, body_limit)}};
  if (req.body.size() > body_limit) record["body_truncated"] = true;
  return record;
}

void CaptureLog::Record(const httplib::Request& req) {
  nlohmann::json record = DescribeRequest(req, kBodyLimit);
  std::lock_guard lock(mutex_);
  requests_.push_back(std::move(record));
  if (requests_.size() > kCapacity) {
    requests_.pop_front();
    ++dropped_;
  }
}

nlohmann::json CaptureLog::ToJson() const {
  std::lock_guard lock(mutex_);
  nlohmann::json requests = nlohmann::json::array();
  for (const auto& record : requests_) requests.push_back(record);
  return requests;
}

long CaptureLog::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void CaptureLog::Clear() {
  std::lock_guard lock(mutex_);
  requests_.clear();
  dropped_ = 0;
}

}  // namespace fakes
