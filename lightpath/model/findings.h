// Findings: what validation of a topology noticed, each with where it came from.
#pragma once

#include <string>
#include <vector>

namespace lightpath {

enum class Severity { Warning, Error };

struct Finding {
  Severity severity = Severity::Warning;
  std::string code;     // stable, machine-readable: "parallel-fibers", "dangling-reference"
  std::string message;  // for an operator: "fiber 'f7' (net.yaml:40): ends at unknown node 'x'"
  bool operator==(const Finding&) const = default;
};

// "warning [parallel-fibers] fiber 'f7' ..." — one line.
std::string toString(const Finding& finding);

}  // namespace lightpath
