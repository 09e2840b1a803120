// Small text helpers shared by the readers: strict number parsing, line numbers from
// offsets, ids from labels, nesting depth of bracketed text.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lightpath::io {

// The whole of `text` as a finite double ("1e3", "-2.5"); nothing else accepted.
std::optional<double> parseNumber(std::string_view text);

// 1-based line of byte `offset` in `text`. O(offset): for one message, not for every element.
std::size_t lineOf(std::string_view text, std::size_t offset);

// Walks text line by line, without '#' comments: `while (lines.next(line)) ... lines.number()`.
class CommentedLines {
 public:
  explicit CommentedLines(std::string_view text) : text_(text) {}
  bool next(std::string_view& line);
  std::size_t number() const { return number_; }  // 1-based, of the line last returned

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t number_ = 0;
};

// Line numbers for many offsets of one text: O(log lines) each.
class LineIndex {
 public:
  explicit LineIndex(std::string_view text);
  std::size_t lineOf(std::size_t offset) const;

 private:
  std::vector<std::size_t> line_starts_;
};

// "New York City" -> "new-york-city"; characters outside [a-z0-9-_.] become '-'.
std::string slug(std::string_view label);

// Deepest nesting of [] and {} outside double-quoted strings.
int bracketDepth(std::string_view text);

// Printable excerpt for messages: at most 40 characters, control and non-ASCII bytes shown as '?'.
std::string excerpt(std::string_view text);

// Name of a file without directory and extension: "a/b/Geant2012.gml" -> "Geant2012".
std::string baseName(std::string_view path);

}  // namespace lightpath::io
