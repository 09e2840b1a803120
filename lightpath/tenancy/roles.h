// Who calls: the carrier's operators, and each tenant's admins and viewers.
//
//   Principal who{.key_id = "key_1", .tenant = "acme", .role = Role::Admin};
//   if (who.isOperator()) ...;
#pragma once

#include <string>
#include <string_view>

#include "lightpath/base/status.h"

namespace lightpath {

enum class Role {
  Operator,  // the carrier: every tenant's things, the network's utilization, tenants and keys
  Admin,     // a tenant's: orders, changes and keys of its own tenant
  Viewer,    // a tenant's: reads its own tenant's things only
};

struct Principal {
  std::string key_id;  // "key_..."
  std::string tenant;  // empty for operators
  Role role = Role::Viewer;
  bool isOperator() const { return role == Role::Operator; }
  // Whether a thing of `owner_tenant` is this caller's to see (operators see everything).
  bool sees(std::string_view owner_tenant) const { return isOperator() || owner_tenant == tenant; }
};

std::string_view toString(Role role);
Result<Role> parseRole(std::string_view text);
// Whether `id` may name a tenant: 1-40 of a-z, 0-9 and '-', starting with a letter.
bool isTenantId(std::string_view id);

}  // namespace lightpath
