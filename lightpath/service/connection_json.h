// Connections as JSON documents: what the store keeps, and the one codec of a connection's spec
// (the "requested" part; an order's body has the same shape). Readers are strict and name the
// field that is wrong.
//
//   auto spec = specFromJson(body);          // InvalidArgument "bandwidth_mbps: required"
//   std::string doc = connectionToJson(c);  // the stored document
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "lightpath/service/connection.h"

namespace lightpath {

nlohmann::json specToJson(const ConnectionSpec& spec);
// [{"at": RFC 3339, "bandwidth_mbps": N}, ...]
nlohmann::json stepsToJson(const std::vector<BandwidthStep>& steps);
// Shape and types only (unknown fields, wrong types, bad enums and times); validateSpec() checks
// the values against each other.
Result<ConnectionSpec> specFromJson(const nlohmann::json& j);

std::string connectionToJson(const Connection& connection);

// InvalidArgument naming the first field of `object` not in `allowed` (with `where` before it:
// "steps[0]."), and the fields it knows. For every strict reader of a JSON object.
Status onlyFields(const nlohmann::json& object, std::initializer_list<std::string_view> allowed,
                  std::string_view where = "");
Result<Connection> connectionFromJson(std::string_view json);

// UTC RFC 3339 with microseconds: "2026-11-26T01:50:38.123456Z".
std::string formatTime(TimePoint t);
Result<TimePoint> parseTime(std::string_view text);

}  // namespace lightpath
