// The default price book (data/pricing/price-book.yaml), compiled in.
#pragma once

#include <string_view>

namespace lightpath {

std::string_view defaultPriceBookYaml();

}  // namespace lightpath
