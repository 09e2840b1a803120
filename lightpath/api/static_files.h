// The portal's built files (web/dist), read once at start and served from memory: GET / is
// index.html; every reply carries a strict Content-Security-Policy (nothing loads from
// elsewhere: the portal works offline).
//
//   auto files = StaticFiles::load("web/dist");
//   if (auto reply = files->get("/app.js")) ...
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "lightpath/api/http.h"
#include "lightpath/base/status.h"

namespace lightpath {

class StaticFiles {
 public:
  // Every regular file under `dir` (at most 64 MiB in all). NotFound when `dir` has no index.html.
  static Result<StaticFiles> load(const std::string& dir);
  // The reply for `path`, or none when there is no such file.
  std::optional<HttpResponse> get(std::string_view path) const;
  std::size_t count() const { return files_.size(); }

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File, std::less<>> files_;  // by URL path: "/index.html", "/maps/us.json"
};

}  // namespace lightpath
