// Checks a JSON document against a schema of the OpenAPI description: the subset of JSON Schema
// the description uses ($ref, type, required, properties, additionalProperties, items, enum,
// minimum, maximum, exclusiveMinimum, pattern). Returns what does not match, with the path.
#pragma once

#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <vector>

namespace lightpath::testing {

inline bool hasType(const nlohmann::json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  return false;
}

inline void checkSchema(const nlohmann::json& value, const nlohmann::json& schema,
                        const nlohmann::json& root, const std::string& at,
                        std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    const std::string ref = schema["$ref"];  // "#/components/schemas/X"
    checkSchema(value, root.at(nlohmann::json::json_pointer(ref.substr(1))), root, at, errors);
    return;
  }
  // A union told apart by one property (OpenAPI's discriminator): the schema its value names.
  if (schema.contains("oneOf") && schema.contains("discriminator")) {
    const std::string property = schema["discriminator"]["propertyName"];
    const auto& mapping = schema["discriminator"]["mapping"];
    const std::string tag = value.is_object() ? value.value(property, "") : "";
    if (!mapping.contains(tag)) {
      errors.push_back(at + "." + property + ": '" + tag + "' names no schema of the union");
      return;
    }
    checkSchema(value, {{"$ref", mapping[tag]}}, root, at, errors);
    return;
  }
  if (schema.contains("const") && value != schema["const"])
    errors.push_back(at + ": " + value.dump() + " is not " + schema["const"].dump());
  if (schema.contains("type")) {
    bool ok = false;
    if (schema["type"].is_array()) {
      for (const auto& t : schema["type"]) ok = ok || hasType(value, t);
    } else {
      ok = hasType(value, schema["type"]);
    }
    if (!ok) {
      errors.push_back(at + ": expected " + schema["type"].dump() + ", got " +
                       value.dump().substr(0, 80));
      return;
    }
  }
  if (schema.contains("enum") &&
      std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end()) {
    errors.push_back(at + ": " + value.dump() + " is not one of " + schema["enum"].dump());
  }
  if (value.is_number()) {
    const double v = value.get<double>();
    if (schema.contains("minimum") && v < schema["minimum"].get<double>())
      errors.push_back(at + ": below minimum");
    if (schema.contains("maximum") && v > schema["maximum"].get<double>())
      errors.push_back(at + ": above maximum");
    if (schema.contains("exclusiveMinimum") && v <= schema["exclusiveMinimum"].get<double>())
      errors.push_back(at + ": not above exclusiveMinimum");
  }
  if (value.is_string() && schema.contains("pattern") &&
      !std::regex_search(value.get<std::string>(),
                         std::regex(schema["pattern"].get<std::string>()))) {
    errors.push_back(at + ": '" + value.get<std::string>() + "' does not match " +
                     schema["pattern"].get<std::string>());
  }
  if (value.is_object()) {
    for (const auto& name : schema.value("required", nlohmann::json::array())) {
      if (!value.contains(name))
        errors.push_back(at + ": required '" + name.get<std::string>() + "' is missing");
    }
    const nlohmann::json properties = schema.value("properties", nlohmann::json::object());
    for (const auto& [key, v] : value.items()) {
      if (properties.contains(key)) {
        checkSchema(v, properties[key], root, at + "." + key, errors);
      } else if (schema.contains("additionalProperties")) {
        const auto& extra = schema["additionalProperties"];
        if (extra.is_boolean() && !extra.get<bool>()) {
          errors.push_back(at + ": '" + key + "' is not in the schema");
        } else if (extra.is_object()) {
          checkSchema(v, extra, root, at + "." + key, errors);
        }
      } else if (!properties.empty()) {
        // Closed by convention: every field the API gives is described.
        errors.push_back(at + ": '" + key + "' is not described");
      }
    }
  }
  if (value.is_array() && schema.contains("items")) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      checkSchema(value[i], schema["items"], root, at + "[" + std::to_string(i) + "]", errors);
    }
  }
}

}  // namespace lightpath::testing
