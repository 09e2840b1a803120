// The process-wide logger.
#include "lightpath/base/log.h"

#include <spdlog/formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <chrono>
#include <ctime>
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

namespace {

// One JSON object per line: {"time":"...Z","level":"info","msg":"..."}, the message escaped.
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const auto since = msg.time.time_since_epoch();
    const std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since).count();
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(since).count() % 1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char time[32];
    std::strftime(time, sizeof(time), "%Y-%m-%dT%H:%M:%S", &tm);
    std::string line = "{\"time\":\"";
    line += time;
    line += fmt::format(".{:03}Z\",\"level\":\"", millis);
    const auto level = spdlog::level::to_string_view(msg.level);
    line.append(level.data(), level.size());
    line += "\",\"msg\":\"";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"':
          line += "\\\"";
          break;
        case '\\':
          line += "\\\\";
          break;
        case '\n':
          line += "\\n";
          break;
        case '\r':
          line += "\\r";
          break;
        case '\t':
          line += "\\t";
          break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            line += fmt::format("\\u{:04x}", static_cast<unsigned char>(c));
          } else {
            line += c;  // bytes >= 0x80 pass as they are (messages quote input as UTF-8)
          }
      }
    }
    line += "\"}\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

}  // namespace

Status setLogFormat(std::string_view format) {
  if (format == "text") {
    log().set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  } else if (format == "json") {
    log().set_formatter(std::make_unique<JsonFormatter>());
  } else {
    return invalidArgument("unknown log format '" + std::string(format).substr(0, 40) +
                           "': expected text or json");
  }
  return Status::ok();
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

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace lightpath
