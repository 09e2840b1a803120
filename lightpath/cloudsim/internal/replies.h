// What the three simulated providers share: JSON replies and ids.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "lightpath/api/http.h"
#include "lightpath/base/crypto.h"

namespace lightpath::cloudsim {

inline HttpResponse reply(int status, const nlohmann::json& body,
                          const char* type = "application/json") {
  return {status, {{"Content-Type", type}}, body.dump()};
}

// Azure's and Google's error shape: {"error": {"code", "message"}}.
inline HttpResponse errorReply(int status, const std::string& code, const std::string& message) {
  return reply(status, {{"error", {{"code", code}, {"message", message}}}});
}

// A request's field when it is a string (or, for `number`, an unsigned number); otherwise the
// fallback: a field of the wrong type reads as missing, and is refused as such.
inline std::string text(const nlohmann::json& o, const char* key, const char* fallback = "") {
  return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>()
                                                                : fallback;
}
inline unsigned number(const nlohmann::json& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_number_unsigned() ? o[key].get<unsigned>()
                                                                         : 0;
}

// A random UUID (version 4 layout) from the OS's generator.
inline std::string uuid() {
  std::string h = randomHex(16);
  h[12] = '4';
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

}  // namespace lightpath::cloudsim
