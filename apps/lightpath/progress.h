// A progress bar for long commands (simulate, bench), on stderr and only on a terminal: a
// script reading the output sees none of it.
#pragma once

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace lightpath::cli {

class ProgressBar {
 public:
  // Shown only when stderr is a terminal and `wanted` (say, not --json).
  ProgressBar(std::string_view what, bool wanted)
      : what_(what), shown_(wanted && isatty(STDERR_FILENO)) {}
  ~ProgressBar() { clear(); }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void show(std::size_t done, std::size_t total) const {
    if (!shown_ || total == 0) return;
    constexpr std::size_t kWidth = 30;
    const std::size_t filled = kWidth * std::min(done, total) / total;
    fmt::print(stderr, "\r[{}{}] {}/{} {}", std::string(filled, '#'),
               std::string(kWidth - filled, ' '), done, total, what_);
    std::fflush(stderr);
  }
  void clear() const {
    if (shown_) fmt::print(stderr, "\r{}\r", std::string(kClearWidth, ' '));
  }

 private:
  static constexpr std::size_t kClearWidth = 72;
  std::string what_;
  bool shown_;
};

}  // namespace lightpath::cli
