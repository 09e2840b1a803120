// Files by URL path; the content type from the extension.
#include "lightpath/api/static_files.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <iterator>

namespace lightpath {
namespace {

std::string_view contentTypeOf(const std::filesystem::path& file) {
  const std::string ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  return "application/octet-stream";
}

}  // namespace

Result<StaticFiles> StaticFiles::load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code error;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", error)) {
    return fail(
        notFound(fmt::format("{}: no index.html (build the portal: scripts/build-web.sh)", dir)));
  }
  StaticFiles out;
  std::size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, error);
       !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
    if (!it->is_regular_file(error)) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof())
      return fail(unavailable(fmt::format("{}: cannot read", it->path().string())));
    total += body.size();
    if (total > (64u << 20))
      return fail(invalidArgument(fmt::format("{}: more than 64 MiB of files", dir)));
    const std::string url = "/" + fs::relative(it->path(), dir).generic_string();
    out.files_[url] = File{std::string(contentTypeOf(it->path())), std::move(body)};
  }
  if (error) return fail(unavailable(fmt::format("{}: cannot list: {}", dir, error.message())));
  return out;
}

std::optional<HttpResponse> StaticFiles::get(std::string_view path) const {
  if (path == "/" || path.empty()) path = "/index.html";
  if (path == "/docs" || path == "/docs/") path = "/docs/index.html";
  auto it = files_.find(path);
  if (it == files_.end()) return std::nullopt;
  HttpResponse r;
  r.headers.emplace_back("Content-Type", it->second.content_type);
  // The API reference (Redoc) styles itself with inline styles and searches in a worker.
  const bool reference = path.starts_with("/docs/");
  r.headers.emplace_back(
      "Content-Security-Policy",
      fmt::format("default-src 'self'; img-src 'self' data:; style-src 'self'{}; "
                  "connect-src 'self'; {}frame-ancestors 'none'; base-uri 'none'; "
                  "form-action 'self'",
                  reference ? " 'unsafe-inline'" : "", reference ? "worker-src blob:; " : ""));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  r.headers.emplace_back("Cache-Control",
                         path.ends_with("/index.html") ? "no-cache" : "max-age=300");
  r.body = it->second.body;
  return r;
}

}  // namespace lightpath
