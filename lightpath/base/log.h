// Logging: spdlog behind a small surface. Libraries log through lightpath::log(); the
// executable chooses the level and sink once at start (setLogLevel).
#pragma once

#include <spdlog/spdlog.h>

#include <string_view>

#include "lightpath/base/status.h"

namespace lightpath {

// The process-wide logger ("lightpath"), created on first use, writing to stderr.
spdlog::logger& log();

// `text` with every control character (CR, LF, ESC, ...) written as \xNN: what a client sent
// (a path, a header) goes into a log line only this way, so it cannot forge a line of its own.
std::string printable(std::string_view text);

// "trace", "debug", "info", "warn", "error", "off".
Status setLogLevel(std::string_view level);
// "text" (the default: time, level, message) or "json" (one object per line: time, level, msg),
// for log shippers.
Status setLogFormat(std::string_view format);

}  // namespace lightpath
