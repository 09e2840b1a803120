// Exit codes every subcommand shares.
#pragma once

namespace lightpath::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;  // the input was read and refused, with the reason
inline constexpr int kExitUsage = 2;     // the command line itself is wrong

}  // namespace lightpath::cli
