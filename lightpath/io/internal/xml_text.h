// XML parsing for the readers (SNDlib XML, Net2Plan): pugixml behind a Status whose message
// names the line.
#pragma once

#include <pugixml.hpp>
#include <string_view>

#include "lightpath/base/status.h"

namespace lightpath::io {

Status loadXml(std::string_view text, std::string_view source, pugi::xml_document& doc);

}  // namespace lightpath::io
