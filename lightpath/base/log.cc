// The process-wide logger.
#include "lightpath/base/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <string>

namespace lightpath {

spdlog::logger& log() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto created = spdlog::stderr_color_mt("lightpath");
    created->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    created->set_level(spdlog::level::info);
    return created;
  }();
  return *logger;
}

Status setLogLevel(std::string_view level) {
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    return invalidArgument("unknown log level '" + std::string(level) +
                           "': expected trace, debug, info, warn, error or off");
  }
  log().set_level(parsed);
  return Status::ok();
}

}  // namespace lightpath
