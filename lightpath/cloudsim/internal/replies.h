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

// A random UUID (version 4 layout) from the OS's generator.
inline std::string uuid() {
  std::string h = randomHex(16);
  h[12] = '4';
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

}  // namespace lightpath::cloudsim
