#include "openapi/openapi_contract.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "schema/json_schema.hpp"

namespace switchboard::openapi {
namespace {

using nlohmann::json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = path.empty() || path[0] != '/' ? 0 : 1;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

bool IsTemplate(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

// "application/problem+json; charset=utf-8" -> "application/problem+json"
std::string MediaType(const std::string& content_type) {
  std::string base = Lower(content_type.substr(0, content_type.find(';')));
  base.erase(0, base.find_first_not_of(' '));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  return base;
}

bool IsJsonMediaType(const std::string& media_type) {
  return media_type == "application/json" ||
         (media_type.size() > 5 && media_type.compare(media_type.size() - 5, 5, "+json") == 0);
}

std::string Where(const std::vector<std::string>& path) {
  std::string out = "body";
  for (const auto& p : path) out += "/" + p;
  return out;
}

void CollectRefs(const json& node, const std::string& at, std::vector<std::pair<std::string, std::string>>* refs) {
  if (node.is_object()) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it.key() == "$ref" && it.value().is_string()) refs->push_back({at, it.value()});
      CollectRefs(it.value(), at + "/" + it.key(), refs);
    }
  } else if (node.is_array()) {
    for (size_t i = 0; i < node.size(); ++i) CollectRefs(node[i], at + "/" + std::to_string(i), refs);
  }
}

}  // namespace

OpenApiContract OpenApiContract::FromFile(const std::string& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::stringstream text;
  text << in.rdbuf();
  json document = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    throw std::runtime_error(file + " is not a JSON object");
  }
  return OpenApiContract(std::move(document));
}

OpenApiContract::OpenApiContract(json document) : document_(std::move(document)) {}

std::optional<std::string> OpenApiContract::MatchPath(const std::string& concrete) const {
  const std::string path = concrete.substr(0, concrete.find_first_of("?#"));
  const std::vector<std::string> wanted = Segments(path);
  std::optional<std::string> best;
  int best_literals = -1;
  if (!document_.contains("paths") || !document_["paths"].is_object()) return best;
  for (auto it = document_["paths"].begin(); it != document_["paths"].end(); ++it) {
    std::vector<std::string> pattern = Segments(it.key());
    // A last "{path}" takes the rest of the path, slashes and all, or nothing (the proxy).
    const bool tail = !pattern.empty() && pattern.back() == "{path}";
    const size_t fixed = tail ? pattern.size() - 1 : pattern.size();
    if (tail ? wanted.size() < fixed : pattern.size() != wanted.size()) continue;
    int literals = 0;
    bool matches = true;
    for (size_t i = 0; i < fixed && matches; ++i) {
      if (IsTemplate(pattern[i])) {
        matches = !wanted[i].empty();
      } else {
        matches = pattern[i] == wanted[i];
        ++literals;
      }
    }
    if (matches && literals > best_literals) {
      best = it.key();
      best_literals = literals;
    }
  }
  return best;
}

bool OpenApiContract::HasOperation(const std::string& method, const std::string& templated_path) const {
  const json& paths = document_.value("paths", json::object());
  auto item = paths.find(templated_path);
  return item != paths.end() && item->is_object() && item->contains(Lower(method));
}

const json* OpenApiContract::Resolve(const std::string& ref) const {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  try {
    const json& target = document_.at(json::json_pointer(ref.substr(1)));
    return &target;
  } catch (const std::exception&) {
    return nullptr;
  }
}

const json* OpenApiContract::Dereference(const json& node) const {
  const json* current = &node;
  for (int hops = 0; hops < 16; ++hops) {
    if (!current->is_object() || !current->contains("$ref")) return current;
    const json& ref = (*current)["$ref"];
    if (!ref.is_string()) return nullptr;
    current = Resolve(ref);
    if (current == nullptr) return nullptr;
  }
  return nullptr;  // a reference cycle
}

std::vector<std::string> OpenApiContract::UnresolvedRefs() const {
  std::vector<std::pair<std::string, std::string>> refs;
  CollectRefs(document_, "", &refs);
  std::vector<std::string> unresolved;
  for (const auto& [at, ref] : refs) {
    if (Resolve(ref) == nullptr) unresolved.push_back(at + ": " + ref);
  }
  return unresolved;
}

std::vector<std::string> OpenApiContract::CheckBody(const json& schema, const std::string& body) const {
  json value = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return {"the body is not valid JSON"};
  // The schema sits beside the document's components so its "#/components/..." refs
  // resolve exactly as they do in the document.
  json wrapper = {{"components", document_.value("components", json::object())}, {"allOf", json::array({schema})}};
  auto compiled = CompiledSchema::Compile(wrapper);
  if (!compiled.ok()) return {"the documented schema is unusable: " + compiled.status().message()};
  std::vector<std::string> violations;
  try {
    for (const auto& v : (*compiled)->Validate(value)) violations.push_back(Where(v.path) + ": " + v.description);
  } catch (const std::exception& e) {
    violations.push_back(std::string("the validator failed on this body: ") + e.what());
  }
  return violations;
}

std::vector<std::string> OpenApiContract::Check(const ObservedResponse& response) const {
  const std::string method = Lower(response.method);
  const std::string status = std::to_string(response.status);
  const std::string request = response.method + " " + response.path;
  auto templated = MatchPath(response.path);
  if (!templated) return {request + ": no path in the document matches"};
  if (!HasOperation(method, *templated)) return {request + ": the document has no " + method + " on " + *templated};
  const json& operation = document_["paths"][*templated][method];
  const json& responses = operation.value("responses", json::object());
  const json* chosen = nullptr;
  for (const std::string& key : {status, status.substr(0, 1) + "XX", std::string("default")}) {
    if (responses.contains(key)) {
      chosen = &responses[key];
      break;
    }
  }
  if (chosen == nullptr) return {request + ": status " + status + " is not documented for " + method + " " + *templated};
  const json* documented = Dereference(*chosen);
  if (documented == nullptr) return {request + ": the response for " + status + " has an unresolvable $ref"};

  const json& content = documented->value("content", json::object());
  if (content.empty()) {
    if (response.body.find_first_not_of(" \r\n\t") == std::string::npos) return {};
    return {request + " " + status + ": documented without a body but got " + std::to_string(response.body.size()) +
            " bytes"};
  }
  std::string media_type = MediaType(response.content_type);
  if (media_type.empty()) {
    for (const char* guess : {"application/json", "application/problem+json"}) {
      if (content.contains(guess)) {
        media_type = guess;
        break;
      }
    }
    if (media_type.empty()) media_type = content.begin().key();
  }
  // A media range ("*/*": whatever the provider answered, through the proxy) takes any type.
  if (!content.contains(media_type) && content.contains("*/*")) return {};
  if (!content.contains(media_type)) {
    std::string listed;
    for (auto it = content.begin(); it != content.end(); ++it) listed += (listed.empty() ? "" : ", ") + it.key();
    return {request + " " + status + ": content type " + media_type + " is not documented (documented: " + listed + ")"};
  }
  const json& media = content[media_type];
  if (!IsJsonMediaType(media_type) || !media.contains("schema")) return {};
  std::vector<std::string> violations;
  for (auto& v : CheckBody(media["schema"], response.body)) violations.push_back(request + " " + status + ": " + v);
  return violations;
}

std::vector<std::string> OpenApiContract::CheckUnrouted(const ObservedResponse& response) const {
  const std::string request = response.method + " " + response.path;
  auto templated = MatchPath(response.path);
  int expected = 404;
  if (templated) {
    if (HasOperation(response.method, *templated)) {
      return {request + ": the document has this operation (" + *templated + "); it is not unrouted"};
    }
    expected = 405;
  }
  std::vector<std::string> violations;
  if (response.status != expected) {
    violations.push_back(request + ": an unrouted request should get " + std::to_string(expected) + ", got " +
                         std::to_string(response.status));
  }
  if (MediaType(response.content_type) != "application/problem+json" && !response.content_type.empty()) {
    violations.push_back(request + ": content type " + response.content_type + " is not application/problem+json");
  }
  for (auto& v : CheckBody({{"$ref", "#/components/schemas/Problem"}}, response.body)) {
    violations.push_back(request + " " + std::to_string(response.status) + ": " + v);
  }
  return violations;
}

}  // namespace switchboard::openapi
