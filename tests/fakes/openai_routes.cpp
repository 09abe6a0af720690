// OpenAI: GET /v1/models (the probe) and POST /v1/chat/completions (the use path) with
// a bearer key, and the error envelope {"error": {"message", "type", "param", "code"}}
// for every failure (providers.md 1.3-1.4).
#include <cctype>
#include <ctime>
#include <optional>
#include <string>

#include "provider_routes.hpp"

namespace fakes {
namespace {

constexpr const char* kProvider = "openai";

Json ErrorBody(const std::string& message, const Json& type, const Json& code) {
  return {{"error", {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code}}}};
}

// OpenAI shows the start and the last four characters of a rejected key.
std::string MaskKey(const std::string& key) {
  if (key.size() <= 10) return "****";
  return key.substr(0, 6) + std::string(key.size() > 40 ? 20 : 5, '*') + key.substr(key.size() - 4);
}

void CommonHeaders(httplib::Response& res) {
  res.set_header("x-request-id", "req_" + RandomHex(32));
  res.set_header("openai-version", "2020-10-01");
  res.set_header("openai-processing-ms", "23");
}

void SetRateLimitHeaders(httplib::Response& res, int remaining) {
  res.set_header("x-ratelimit-limit-requests", "10000");
  res.set_header("x-ratelimit-remaining-requests", std::to_string(remaining));
  res.set_header("x-ratelimit-reset-requests", remaining > 0 ? "6ms" : "20s");
  res.set_header("x-ratelimit-limit-tokens", "30000000");
  res.set_header("x-ratelimit-remaining-tokens", "29999990");
  res.set_header("x-ratelimit-reset-tokens", "0s");
}

Json ModelList() {
  return {{"object", "list"},
          {"data",
           Json::array({{{"id", "gpt-4o-mini"}, {"object", "model"}, {"created", 1721172741},
                         {"owned_by", "system"}},
                        {{"id", "gpt-4o"}, {"object", "model"}, {"created", 1715367049},
                         {"owned_by", "system"}},
                        {{"id", "text-embedding-3-small"}, {"object", "model"},
                         {"created", 1705948997}, {"owned_by", "system"}}})}};
}

// Answers the failure the key, its headers or its ending earn, as OpenAI checks them
// before looking at the request itself; returns false when the request may proceed.
// `missing_scope` names the permission a restricted key would lack for this endpoint.
bool RefuseKey(const httplib::Request& req, const std::string& key, const CredentialMode& mode,
               const std::string& missing_scope, httplib::Response& res) {
  const std::string organization = req.get_header_value("OpenAI-Organization");
  const std::string project = req.get_header_value("OpenAI-Project");
  if (key.empty()) {
    SendJson(res, 401,
             ErrorBody("You didn't provide an API key. You need to provide your API key in an "
                       "Authorization header using Bearer auth (i.e. Authorization: Bearer "
                       "YOUR_KEY), or as the password field (with blank username) if you're "
                       "accessing the API from your browser and are prompted for a username and "
                       "password. You can obtain an API key from "
                       "https://platform.openai.com/account/api-keys.",
                       "invalid_request_error", nullptr));
    return true;
  }
  if (mode.mode == Mode::kRevoked || mode.mode == Mode::kExpired) {
    SendJson(res, 401,
             ErrorBody("Incorrect API key provided: " + MaskKey(key) +
                           ". You can find your API key at "
                           "https://platform.openai.com/account/api-keys.",
                       "invalid_request_error", "invalid_api_key"));
    return true;
  }
  if (EndsWith(organization, "mismatch")) {
    SendJson(res, 401,
             ErrorBody("OpenAI-Organization header should match organization for API key",
                       "invalid_request_error", "mismatched_organization"));
    return true;
  }
  // Not confirmed by providers.md: modelled on the organization mismatch.
  if (EndsWith(project, "mismatch")) {
    SendJson(res, 401,
             ErrorBody("OpenAI-Project header should match project for API key",
                       "invalid_request_error", "mismatched_project"));
    return true;
  }
  if (!organization.empty()) res.set_header("openai-organization", organization);
  if (!project.empty()) res.set_header("openai-project", project);

  switch (mode.mode) {
    case Mode::kEcho:  // a 403 whose message the plugin copies verbatim
      SendJson(res, 403, ErrorBody(EchoText(key), nullptr, nullptr));
      return true;
    case Mode::kNoScope:
      SendJson(res, 403,
               ErrorBody("You have insufficient permissions for this operation. Missing scopes: " +
                             missing_scope +
                             ". Check that you have the correct role in your organization "
                             "(Reader, Writer, Owner) and project (Member, Owner), and if "
                             "you're using a restricted API key, that it has the necessary "
                             "scopes.",
                         nullptr, nullptr));
      return true;
    case Mode::kRegion:
      SendJson(res, 403,
               ErrorBody("Country, region, or territory not supported", "request_forbidden",
                         "unsupported_country_region_territory"));
      return true;
    case Mode::kRateLimited:
      SetRateLimitHeaders(res, 0);
      res.set_header("retry-after", "20");
      SendJson(res, 429,
               ErrorBody("Rate limit reached for gpt-4o-mini in organization "
                         "org-XXXXXXXXXXXXXXXXXXXXXXXX on requests per min (RPM): Limit 3, Used "
                         "3, Requested 1. Please try again in 20s. Visit "
                         "https://platform.openai.com/account/rate-limits to learn more.",
                         "requests", "rate_limit_exceeded"));
      return true;
    case Mode::kBilling:
      SendJson(res, 429,
               ErrorBody("You exceeded your current quota, please check your plan and billing "
                         "details. For more information on this error, read the docs: "
                         "https://platform.openai.com/docs/guides/error-codes/api-errors.",
                         "insufficient_quota", "insufficient_quota"));
      return true;
    case Mode::kServerError:
      SendJson(res, 500,
               ErrorBody("The server had an error while processing your request. Sorry about "
                         "that!",
                         "server_error", nullptr));
      return true;
    case Mode::kDown:
      SendJson(res, 503,
               ErrorBody("The engine is currently overloaded, please try again later",
                         "service_unavailable_error", "server_is_overloaded"));
      return true;
    default:
      return false;
  }
}

std::string ErrorText(const std::string& message, const Json& param, const Json& code) {
  Json body = ErrorBody(message, "invalid_request_error", code);
  body["error"]["param"] = param;
  return body.dump();
}

std::string JsonTypeName(const Json& value) {
  if (value.is_string()) return "a string";
  if (value.is_number()) return "a number";
  if (value.is_boolean()) return "a boolean";
  if (value.is_null()) return "null";
  if (value.is_object()) return "an object";
  return "an array";
}

// The 400 body OpenAI answers a chat request it cannot take, or nullopt when the body
// has what the fake needs: JSON with a string `model` and a non-empty `messages` array of
// objects that each have a `role`. (The texts follow OpenAI's answers as commonly seen;
// chat completions are not covered by providers.md.)
std::optional<std::string> CheckChatRequest(const httplib::Request& req) {
  const std::string not_json =
      "We could not parse the JSON body of your request. (HINT: This likely means you aren't "
      "using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was "
      "sent was not valid JSON. If you have trouble figuring out how to fix this, please "
      "contact us through our help center at help.openai.com.)";
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) return ErrorText(not_json, nullptr, nullptr);
  const Json body = Json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object()) return ErrorText(not_json, nullptr, nullptr);
  if (!body.contains("model") || !body["model"].is_string() ||
      body["model"].get<std::string>().empty()) {
    return ErrorText("you must provide a model parameter", nullptr, nullptr);
  }
  if (!body.contains("messages")) {
    return ErrorText("Missing required parameter: 'messages'.", "messages",
                     "missing_required_parameter");
  }
  const Json& messages = body["messages"];
  if (!messages.is_array()) {
    return ErrorText("Invalid type for 'messages': expected an array, but got " +
                         JsonTypeName(messages) + " instead.",
                     "messages", "invalid_type");
  }
  if (messages.empty()) {
    return ErrorText("Invalid 'messages': empty array. Expected an array with minimum length 1, "
                     "but got an empty array instead.",
                     "messages", "empty_array");
  }
  for (size_t i = 0; i < messages.size(); ++i) {
    const std::string where = "messages[" + std::to_string(i) + "]";
    if (!messages[i].is_object()) {
      return ErrorText("Invalid type for '" + where + "': expected an object, but got " +
                           JsonTypeName(messages[i]) + " instead.",
                       where, "invalid_type");
    }
    if (!messages[i].contains("role")) {
      return ErrorText("Missing required parameter: '" + where + ".role'.", where + ".role",
                       "missing_required_parameter");
    }
  }
  return std::nullopt;
}

long CountWords(const std::string& text) {
  long words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    const bool space = std::isspace(c) != 0;
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// A chat.completion for a checked request: one choice, the same answer every time, and
// usage counted roughly in words (a few per message, as the chat format adds tokens).
Json ChatCompletion(const Json& request) {
  const std::string answer = "Hello from the fake OpenAI. This answer is always the same.";
  long prompt_tokens = 0;
  for (const Json& message : request["messages"]) {
    prompt_tokens += 4;
    if (message.contains("content") && message["content"].is_string()) {
      prompt_tokens += CountWords(message["content"].get<std::string>());
    }
  }
  const long completion_tokens = CountWords(answer);
  return {{"id", "chatcmpl-" + RandomHex(29)},
          {"object", "chat.completion"},
          {"created", static_cast<long>(std::time(nullptr))},
          {"model", request["model"]},
          {"choices", Json::array({{{"index", 0},
                                    {"message", {{"role", "assistant"},
                                                 {"content", answer},
                                                 {"refusal", nullptr}}},
                                    {"logprobs", nullptr},
                                    {"finish_reason", "stop"}}})},
          {"usage", {{"prompt_tokens", prompt_tokens},
                     {"completion_tokens", completion_tokens},
                     {"total_tokens", prompt_tokens + completion_tokens}}},
          {"system_fingerprint", "fp_fake0000"}};
}

void ListModels(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const std::string key = BearerToken(req);
  context.stats().Count(kProvider, "models", key);
  const CredentialMode mode = context.grants().Parse(key);
  context.Delay(mode);
  CommonHeaders(res);
  if (RefuseKey(req, key, mode, "api.model.read", res)) return;
  // A `redirect` key lists models as usual: only the use path redirects, so the probe of
  // such a connection stays valid.
  SetRateLimitHeaders(res, 9999);
  SendJson(res, 200, ModelList());
}

void ChatCompletions(FakeContext& context, const httplib::Request& req, httplib::Response& res) {
  const std::string key = BearerToken(req);
  context.stats().Count(kProvider, "chat/completions", key);
  const CredentialMode mode = context.grants().Parse(key);
  context.Delay(mode);
  CommonHeaders(res);
  if (RefuseKey(req, key, mode, "model.request", res)) return;

  const std::optional<std::string> problem = CheckChatRequest(req);
  if (problem) {
    res.status = 400;
    res.set_content(*problem, "application/json; charset=utf-8");
    return;
  }
  if (mode.mode == Mode::kRedirect) return context.RedirectToCapture(req, res);
  SetRateLimitHeaders(res, 9999);
  SendJson(res, 200, ChatCompletion(Json::parse(req.body)));
}

}  // namespace

void AddOpenAiRoutes(httplib::Server& server, FakeContext& context) {
  context.Get(server, "/openai/v1/models",
              [&context](const httplib::Request& req, httplib::Response& res) {
                ListModels(context, req, res);
              });
  context.Post(server, "/openai/v1/chat/completions",
               [&context](const httplib::Request& req, httplib::Response& res) {
                 ChatCompletions(context, req, res);
               });
}

}  // namespace fakes
