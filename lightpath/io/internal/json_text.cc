// JSON parsing with limits; the only place the readers catch nlohmann's exceptions.
#include "lightpath/io/internal/json_text.h"

#include <fmt/format.h>

#include "lightpath/io/internal/text.h"
#include "lightpath/io/topology_io.h"

namespace lightpath::io {

Result<nlohmann::json> parseJson(std::string_view text, std::string_view source) {
  if (int depth = bracketDepth(text); depth > kMaxNestingDepth) {
    return fail(invalidArgument(fmt::format("{}: JSON nested {} levels deep; at most {} allowed",
                                            source, depth, kMaxNestingDepth)));
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return fail(invalidArgument(fmt::format("{}:{}: not valid JSON: {}", source,
                                            lineOf(text, e.byte == 0 ? 0 : e.byte - 1), e.what())));
  } catch (const std::exception& e) {
    return fail(invalidArgument(fmt::format("{}: not valid JSON: {}", source, e.what())));
  }
}

std::string jsonTypeName(const nlohmann::json& value) { return value.type_name(); }

}  // namespace lightpath::io
