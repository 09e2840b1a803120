// Logging: spdlog behind a small surface. Libraries log through lightpath::log(); the
// executable chooses the level and sink once at start (setLogLevel).
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

#include "lightpath/base/status.h"

namespace lightpath {

// The process-wide logger ("lightpath"), created on first use, writing to stderr.
spdlog::logger& log();

// "trace", "debug", "info", "warn", "error", "off".
Status setLogLevel(std::string_view level);
// "text" (the default: time, level, message) or "json" (one object per line: time, level, msg),
// for log shippers.
Status setLogFormat(std::string_view format);

}  // namespace lightpath
