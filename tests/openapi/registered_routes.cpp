#include "openapi/registered_routes.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

namespace switchboard::openapi {
namespace {

std::string ReplaceTail(std::string path) {
  const std::string tail = "{path...}";
  if (path.size() >= tail.size() && path.compare(path.size() - tail.size(), tail.size(), tail) == 0) {
    path.replace(path.size() - tail.size(), tail.size(), "{path}");
  }
  return path;
}

// Comments blanked out (so route sketches in comments are not mistaken for routes);
// string and character literals kept as they are.
std::string WithoutComments(const std::string& source) {
  std::string out = source;
  size_t i = 0;
  while (i < out.size()) {
    char c = out[i];
    if (c == '"' || c == '\'') {
      for (++i; i < out.size() && out[i] != c; ++i) {
        if (out[i] == '\\') ++i;
      }
      ++i;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      while (i < out.size() && out[i] != '\n') out[i++] = ' ';
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      while (i < out.size() && !(out[i] == '*' && i + 1 < out.size() && out[i + 1] == '/')) {
        if (out[i] != '\n') out[i] = ' ';
        ++i;
      }
      if (i < out.size()) out[i++] = ' ';
      if (i < out.size()) out[i++] = ' ';
    } else {
      ++i;
    }
  }
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// Splits at `separator` outside brackets and string literals; `angles` counts <> as
// brackets too (for declarations, where they are template brackets, not comparisons).
std::vector<std::string> SplitTopLevel(const std::string& text, char separator, bool angles = false) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      size_t end = i + 1;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      current += text.substr(i, end - i + 1);
      i = end;
      continue;
    }
    if (c == '(' || c == '[' || c == '{' || (angles && c == '<')) ++depth;
    if (c == ')' || c == ']' || c == '}' || (angles && c == '>')) --depth;
    if (c == separator && depth == 0) {
      parts.push_back(Trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(Trim(current));
  return parts;
}

// The text between the '(' at `open` and its matching ')'.
std::optional<std::string> Arguments(const std::string& text, size_t open) {
  int depth = 0;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\') ++i;
      }
      continue;
    }
    if (c == '(') ++depth;
    if (c == ')' && --depth == 0) return text.substr(open + 1, i - open - 1);
  }
  return std::nullopt;
}

struct Function {
  std::string name;
  std::vector<std::string> parameters;
  size_t start = 0;       // where the definition begins
  size_t name_at = 0;     // where its name is written in the definition
};

struct Variable {
  std::string name;
  std::string expression;
  size_t at = 0;
};

class SourceReader {
 public:
  SourceReader(std::string text, std::string file) : text_(std::move(text)), file_(std::move(file)) {
    // A definition starts a line: return type, name, parameters, '{'.
    static const std::regex kFunction(R"(\n[A-Za-z_][\w:<>,&* \t]*[ \t&*](\w+)\(([^()]*)\)\s*(?:const\s*)?\{)");
    for (std::sregex_iterator it(text_.begin(), text_.end(), kFunction), end; it != end; ++it) {
      Function f;
      f.name = (*it)[1];
      f.start = it->position(0);
      f.name_at = it->position(1);
      for (const auto& parameter : SplitTopLevel((*it)[2], ',', /*angles=*/true)) {
        std::string declaration = Trim(parameter.substr(0, parameter.find('=')));
        std::smatch name;
        static const std::regex kTrailingName(R"((\w+)$)");
        f.parameters.push_back(std::regex_search(declaration, name, kTrailingName) ? name[1].str() : "");
      }
      functions_.push_back(f);
    }
    static const std::regex kVariable(R"((?:const\s+)?(?:std::string|auto)\s+(\w+)\s*=\s*([^;]+);)");
    for (std::sregex_iterator it(text_.begin(), text_.end(), kVariable), end; it != end; ++it) {
      variables_.push_back({(*it)[1], (*it)[2], static_cast<size_t>(it->position(0))});
    }
  }

  RegisteredRoutes Routes() {
    RegisteredRoutes found;
    static const std::regex kHandle(R"([.>]Handle\s*\()");
    for (std::sregex_iterator it(text_.begin(), text_.end(), kHandle), end; it != end; ++it) {
      size_t open = it->position(0) + it->length(0) - 1;
      auto arguments = Arguments(text_, open);
      std::vector<std::string> args = arguments ? SplitTopLevel(*arguments, ',') : std::vector<std::string>{};
      if (args.size() < 2) {
        found.unresolved.push_back(file_ + ": a Handle call whose arguments could not be read");
        continue;
      }
      auto methods = Evaluate(args[0], open, 0);
      auto paths = Evaluate(args[1], open, 0);
      if (!methods || !paths) {
        found.unresolved.push_back(file_ + ": Handle(" + args[0] + ", " + args[1] + ", ...)");
        continue;
      }
      for (const auto& m : *methods) {
        // The router's "{path...}" (the rest of the path) is the document's "{path}".
        for (const auto& p : *paths) found.routes.insert({m, ReplaceTail(p)});
      }
    }
    return found;
  }

 private:
  const Function* Enclosing(size_t at) const {
    const Function* best = nullptr;
    for (const auto& f : functions_) {
      if (f.start < at && (best == nullptr || f.start > best->start)) best = &f;
    }
    return best;
  }

  // Every value `expression` can have at `at`; nullopt when it cannot be worked out.
  std::optional<std::set<std::string>> Evaluate(const std::string& expression, size_t at, int depth) const {
    if (depth > 8) return std::nullopt;
    std::set<std::string> values = {""};
    for (const auto& term : SplitTopLevel(expression, '+')) {
      auto term_values = EvaluateTerm(term, at, depth);
      if (!term_values) return std::nullopt;
      std::set<std::string> joined;
      for (const auto& left : values) {
        for (const auto& right : *term_values) joined.insert(left + right);
      }
      values = std::move(joined);
    }
    return values;
  }

  std::optional<std::set<std::string>> EvaluateTerm(const std::string& term, size_t at, int depth) const {
    static const std::regex kLiteral(R"re(^"([^"\\]*)"$)re");
    static const std::regex kIdentifier(R"(^\w+$)");
    std::smatch m;
    if (std::regex_match(term, m, kLiteral)) return std::set<std::string>{m[1]};
    if (!std::regex_match(term, kIdentifier)) return std::nullopt;
    const Function* scope = Enclosing(at);
    const Variable* latest = nullptr;
    for (const auto& v : variables_) {
      if (v.name == term && v.at < at && (scope == nullptr || v.at > scope->start)) latest = &v;
    }
    if (latest != nullptr) return Evaluate(latest->expression, latest->at, depth + 1);
    if (scope == nullptr) return std::nullopt;
    auto index = std::find(scope->parameters.begin(), scope->parameters.end(), term);
    if (index == scope->parameters.end()) return std::nullopt;
    return FromCallers(*scope, static_cast<size_t>(index - scope->parameters.begin()), depth);
  }

  // The values the callers of `function` pass as its parameter number `index`.
  std::optional<std::set<std::string>> FromCallers(const Function& function, size_t index, int depth) const {
    std::set<std::string> values;
    const std::regex call("\\b" + function.name + "\\s*\\(");
    bool any = false;
    for (std::sregex_iterator it(text_.begin(), text_.end(), call), end; it != end; ++it) {
      size_t position = it->position(0);
      if (position == function.name_at) continue;
      auto arguments = Arguments(text_, position + it->length(0) - 1);
      if (!arguments) return std::nullopt;
      auto args = SplitTopLevel(*arguments, ',');
      if (index >= args.size()) return std::nullopt;
      auto passed = Evaluate(args[index], position, depth + 1);
      if (!passed) return std::nullopt;
      values.insert(passed->begin(), passed->end());
      any = true;
    }
    if (!any) return std::nullopt;
    return values;
  }

  std::string text_;
  std::string file_;
  std::vector<Function> functions_;
  std::vector<Variable> variables_;
};

}  // namespace

RegisteredRoutes RoutesInSource(const std::string& source, const std::string& file_name) {
  return SourceReader("\n" + WithoutComments(source), file_name).Routes();
}

RegisteredRoutes RoutesUnder(const std::string& directory) {
  RegisteredRoutes all;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    RegisteredRoutes found = RoutesInSource(text.str(), entry.path().string());
    all.routes.insert(found.routes.begin(), found.routes.end());
    all.unresolved.insert(all.unresolved.end(), found.unresolved.begin(), found.unresolved.end());
  }
  return all;
}

}  // namespace switchboard::openapi
