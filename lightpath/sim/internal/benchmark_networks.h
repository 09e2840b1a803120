// The benchmark networks of data/benchmarks/, compiled in (native YAML text).
#pragma once

#include <string_view>

namespace lightpath {

// "nsfnet_deeprmsa", "cost239_deeprmsa", "conus75"; empty for any other name.
std::string_view benchmarkNetwork(std::string_view name);

}  // namespace lightpath
