// Exit codes every subcommand shares.
#pragma once

namespace lightpath::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;     // the input was read and refused, with the reason
inline constexpr int kExitUsage = 2;        // the command line itself is wrong
inline constexpr int kExitUnavailable = 3;  // the server cannot be reached, is busy or failed
inline constexpr int kExitDenied = 4;       // the API key is missing, wrong or lacks the role

}  // namespace lightpath::cli
