// libFuzzer target for one topology reader, chosen at compile time by LIGHTPATH_FUZZ_FORMAT.
// Any input must give a topology or an error: never a crash, a hang or unbounded memory.
// When the input parses, writing it natively and reading it back must give the same network.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "lightpath/io/topology_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace lightpath;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto format = parseTopologyFormat(LIGHTPATH_FUZZ_FORMAT);
  if (!format) std::abort();
  auto topology = parseTopology(text, "fuzz", {.format = *format});
  if (!topology) return 0;
  auto again = parseTopology(writeNativeJson(*topology), "fuzz.json",
                             {.format = TopologyFormat::NativeJson});
  if (!again || !topology->sameNetwork(*again)) std::abort();
  return 0;
}
