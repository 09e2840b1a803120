// JSON parsing for the readers: nlohmann-json behind a Result, with a nesting limit and
// errors that name the line.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "lightpath/base/status.h"

namespace lightpath::io {

Result<nlohmann::json> parseJson(std::string_view text, std::string_view source);

// "number", "string", ... for messages.
std::string jsonTypeName(const nlohmann::json& value);

}  // namespace lightpath::io
