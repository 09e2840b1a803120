// Role names and tenant ids.
#include "lightpath/tenancy/roles.h"

#include <fmt/format.h>

namespace lightpath {

std::string_view toString(Role role) {
  switch (role) {
    case Role::Operator:
      return "operator";
    case Role::Admin:
      return "admin";
    case Role::Viewer:
      return "viewer";
  }
  return "viewer";
}

Result<Role> parseRole(std::string_view text) {
  if (text == "operator") return Role::Operator;
  if (text == "admin") return Role::Admin;
  if (text == "viewer") return Role::Viewer;
  return fail(invalidArgument(
      fmt::format("role: operator, admin or viewer, got '{}'", text.substr(0, 40))));
}

bool isTenantId(std::string_view id) {
  if (id.empty() || id.size() > 40 || !(id[0] >= 'a' && id[0] <= 'z')) return false;
  return id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") == std::string_view::npos;
}

}  // namespace lightpath
