// The API's OpenAPI 3.1 document (schemas/openapi.json) used as a contract: which
// templated path a concrete request path is, which response a status gets, and whether
// a real response body conforms to that response's schema.
//
// Schemas are validated with valijson's draft-07 validator; "#/components/..." references
// resolve against the document itself.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace switchboard::openapi {

// A response as the client saw it.
struct ObservedResponse {
  std::string method;        // GET, POST, ... (any case)
  std::string path;          // concrete, e.g. /v1/projects/alpha/connections/con_1?limit=5
  int status = 0;
  std::string content_type;  // the Content-Type header; empty when unknown
  std::string body;
};

class OpenApiContract {
 public:
  // Throws std::runtime_error when the file cannot be read or is not a JSON object.
  static OpenApiContract FromFile(const std::string& file);
  explicit OpenApiContract(nlohmann::json document);

  // The document's templated path that `concrete` (query string allowed) is an instance
  // of, preferring the one with the most literal segments; nullopt when none is.
  std::optional<std::string> MatchPath(const std::string& concrete) const;

  // Whether the document describes `method` on the templated path.
  bool HasOperation(const std::string& method, const std::string& templated_path) const;

  // Every way `response` departs from the document: an undocumented path, method or
  // status, a content type the response does not list, a body that breaks the schema.
  // Empty when it conforms.
  std::vector<std::string> Check(const ObservedResponse& response) const;

  // For a request the document says no route takes (an unknown path, or a known path
  // under a method it does not list): that the document indeed has no such operation,
  // that the status is 404 or 405 accordingly, and that the body is a Problem.
  std::vector<std::string> CheckUnrouted(const ObservedResponse& response) const;

  // Each "$ref" in the document that does not point at something inside it.
  std::vector<std::string> UnresolvedRefs() const;

  // The node a local reference ("#/components/schemas/Connection") points at.
  const nlohmann::json* Resolve(const std::string& ref) const;

  const nlohmann::json& document() const { return document_; }

 private:
  // Follows $ref chains of reference objects (responses, parameters).
  const nlohmann::json* Dereference(const nlohmann::json& node) const;
  std::vector<std::string> CheckBody(const nlohmann::json& schema, const std::string& body) const;

  nlohmann::json document_;
};

}  // namespace switchboard::openapi
