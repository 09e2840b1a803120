// Connections as JSON documents: what the store keeps and (later) what the API returns. The
// reader is strict and names the field that is wrong.
#pragma once

#include <string>

#include "lightpath/service/connection.h"

namespace lightpath {

std::string connectionToJson(const Connection& connection);
Result<Connection> connectionFromJson(std::string_view json);

// UTC RFC 3339 with microseconds: "2026-11-26T01:50:38.123456Z".
std::string formatTime(TimePoint t);
Result<TimePoint> parseTime(std::string_view text);

}  // namespace lightpath
