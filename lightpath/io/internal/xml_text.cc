// XML loading with line-numbered errors.
#include "lightpath/io/internal/xml_text.h"

#include <fmt/format.h>

#include "lightpath/io/internal/text.h"

namespace lightpath::io {

Status loadXml(std::string_view text, std::string_view source, pugi::xml_document& doc) {
  pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
  if (parsed) return Status::ok();
  return invalidArgument(fmt::format("{}:{}: not well-formed XML: {}", source,
                                     lineOf(text, static_cast<std::size_t>(parsed.offset)),
                                     parsed.description()));
}

}  // namespace lightpath::io
