// The YANG modules of the lab dialects (yang/*.yang), compiled in: the driver gives a device's
// module to its session, and `scripts/lab.sh` loads the same files into the lab's devices.
#pragma once

#include <string_view>

namespace lightpath {

// The text of a module by name; empty when there is none.
std::string_view yangModule(std::string_view name);

}  // namespace lightpath
