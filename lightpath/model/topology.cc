// Validation and indexing of a topology snapshot.
#include "lightpath/model/topology.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "lightpath/base/utf8.h"

namespace lightpath {
namespace {

std::string describe(std::string_view what, const std::string& id, const std::string& origin) {
  if (origin.empty()) return fmt::format("{} '{}'", what, id);
  return fmt::format("{} '{}' ({})", what, id, origin);
}

constexpr std::size_t kMaxErrorsInMessage = 20;

}  // namespace

std::string toString(const Finding& finding) {
  return fmt::format("{} [{}] {}", finding.severity == Severity::Error ? "error" : "warning",
                     finding.code, finding.message);
}

std::optional<NodeIndex> Topology::findNode(std::string_view id_or_name) const {
  std::string key(id_or_name);
  if (auto it = node_by_id_.find(key); it != node_by_id_.end()) return it->second;
  if (auto it = node_by_name_.find(key); it != node_by_name_.end()) return it->second;
  if (auto it = node_by_source_id_.find(key); it != node_by_source_id_.end()) return it->second;
  // A site id or name identifies a node when exactly one node stands there.
  std::optional<NodeIndex> found;
  for (NodeIndex n = 0; n < nodes_.size(); ++n) {
    const Site& site = siteOf(n);
    if (site.id == key || site.name == key) {
      if (found) return std::nullopt;
      found = n;
    }
  }
  return found;
}

std::optional<FiberIndex> Topology::findFiber(std::string_view id) const {
  if (auto it = fiber_by_id_.find(std::string(id)); it != fiber_by_id_.end()) return it->second;
  return std::nullopt;
}

std::optional<std::uint32_t> Topology::findPort(std::string_view id) const {
  for (std::uint32_t p = 0; p < ports_.size(); ++p) {
    if (ports_[p].id == id) return p;
  }
  return std::nullopt;
}

const Site* Topology::findSite(std::string_view id) const {
  if (auto it = site_by_id_.find(std::string(id)); it != site_by_id_.end()) {
    return &sites_[it->second];
  }
  return nullptr;
}

const Srlg* Topology::findSrlg(std::string_view id) const {
  if (auto it = srlg_by_id_.find(std::string(id)); it != srlg_by_id_.end()) {
    return &srlgs_[it->second];
  }
  return nullptr;
}

namespace {

template <typename T>
bool sameElements(std::span<const T> a, std::span<const T> b, std::string_view what,
                  std::string* difference) {
  if (a.size() != b.size()) {
    if (difference) *difference = fmt::format("{} count {} != {}", what, a.size(), b.size());
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    T left = a[i], right = b[i];
    left.origin.clear();
    right.origin.clear();
    if (!(left == right)) {
      if (difference) *difference = fmt::format("{} #{} ('{}') differs", what, i, a[i].id);
      return false;
    }
  }
  return true;
}

}  // namespace

bool Topology::sameNetwork(const Topology& other, std::string* difference) const {
  return sameElements(sites(), other.sites(), "site", difference) &&
         sameElements(nodes(), other.nodes(), "node", difference) &&
         sameElements(fibers(), other.fibers(), "fiber", difference) &&
         sameElements(srlgs(), other.srlgs(), "srlg", difference) &&
         sameElements(ports(), other.ports(), "port", difference) &&
         sameElements(transceivers(), other.transceivers(), "transceiver", difference);
}

Result<Topology> TopologyBuilder::build() && {
  Topology& t = topology_;
  std::vector<Finding> errors;
  auto error = [&](std::string code, std::string message) {
    errors.push_back({Severity::Error, std::move(code), std::move(message)});
  };
  auto warning = [&](std::string code, std::string message) {
    t.findings_.push_back({Severity::Warning, std::move(code), std::move(message)});
  };

  // Text: everything stored is printed and served as JSON, so it must be UTF-8.
  auto checkText = [&](std::string_view what, std::size_t i, const std::string& origin,
                       std::initializer_list<const std::string*> fields) {
    for (const std::string* field : fields) {
      if (!isValidUtf8(*field)) {
        error("bad-text", fmt::format("{} #{}{}: text is not valid UTF-8", what, i,
                                      origin.empty() ? "" : " (" + origin + ")"));
        return;
      }
    }
  };
  checkText("topology", 0, "", {&t.name_, &t.provenance_});
  for (std::size_t i = 0; i < t.sites_.size(); ++i) {
    const Site& e = t.sites_[i];
    checkText("site", i, e.origin, {&e.id, &e.name, &e.metro, &e.provider, &e.region});
  }
  for (std::size_t i = 0; i < t.nodes_.size(); ++i) {
    const Node& e = t.nodes_[i];
    checkText("node", i, e.origin, {&e.id, &e.name, &e.site});
  }
  for (std::size_t i = 0; i < t.fibers_.size(); ++i) {
    const Fiber& e = t.fibers_[i];
    checkText("fiber", i, e.origin, {&e.id, &e.a, &e.b, &e.fiber_type});
    for (const std::string& srlg : e.srlgs) checkText("fiber", i, e.origin, {&srlg});
  }
  for (std::size_t i = 0; i < t.srlgs_.size(); ++i) {
    const Srlg& e = t.srlgs_[i];
    checkText("srlg", i, e.origin, {&e.id, &e.name});
  }
  for (std::size_t i = 0; i < t.ports_.size(); ++i) {
    const Port& e = t.ports_[i];
    const std::string tenant = e.tenant.value_or("");
    checkText("port", i, e.origin, {&e.id, &e.name, &e.site, &e.node, &tenant});
  }
  for (std::size_t i = 0; i < t.transceivers_.size(); ++i) {
    const TransceiverSpec& e = t.transceivers_[i];
    checkText("transceiver", i, e.origin, {&e.id, &e.name});
  }
  if (!errors.empty()) {
    // Later messages quote these texts; stop before printing them.
    std::string message =
        fmt::format("topology has {} element{} with text that is not UTF-8:", errors.size(),
                    errors.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < errors.size() && i < kMaxErrorsInMessage; ++i) {
      message += "\n  " + errors[i].message;
    }
    return fail(invalidArgument(std::move(message)));
  }

  // Ids: present and unique per kind.
  auto indexIds = [&](const auto& elements, std::string_view what, auto& index) {
    for (std::uint32_t i = 0; i < elements.size(); ++i) {
      const auto& e = elements[i];
      if (e.id.empty()) {
        error("missing-id", fmt::format("{} #{}{}: has no id", what, i,
                                        e.origin.empty() ? "" : " (" + e.origin + ")"));
        continue;
      }
      auto [it, inserted] = index.emplace(e.id, i);
      if (!inserted) {
        error("duplicate-id", fmt::format("{}: id already used by {} #{}",
                                          describe(what, e.id, e.origin), what, it->second));
      }
    }
  };
  indexIds(t.sites_, "site", t.site_by_id_);
  indexIds(t.nodes_, "node", t.node_by_id_);
  indexIds(t.fibers_, "fiber", t.fiber_by_id_);
  indexIds(t.srlgs_, "srlg", t.srlg_by_id_);
  std::unordered_map<std::string, std::uint32_t> port_ids, transceiver_ids;
  indexIds(t.ports_, "port", port_ids);
  indexIds(t.transceivers_, "transceiver", transceiver_ids);

  for (const Site& s : t.sites_) {
    if (s.location && !isValidGeoPoint(*s.location)) {
      error("bad-coordinates",
            fmt::format("{}: coordinates ({}, {}) are not a latitude in "
                        "[-90, 90] and a longitude in [-180, 180]",
                        describe("site", s.id, s.origin), s.location->lat, s.location->lon));
    }
  }

  // Nodes stand at known sites.
  t.node_site_.assign(t.nodes_.size(), 0);
  std::map<std::string, int> name_count;
  for (NodeIndex n = 0; n < t.nodes_.size(); ++n) {
    const Node& node = t.nodes_[n];
    auto site = t.site_by_id_.find(node.site);
    if (site == t.site_by_id_.end()) {
      error("dangling-reference", fmt::format("{}: stands at unknown site '{}'",
                                              describe("node", node.id, node.origin), node.site));
    } else {
      t.node_site_[n] = site->second;
    }
    if (!node.name.empty()) ++name_count[node.name];
  }
  for (NodeIndex n = 0; n < t.nodes_.size(); ++n) {
    const std::string& name = t.nodes_[n].name;
    if (!name.empty() && name_count[name] == 1) t.node_by_name_.emplace(name, n);
    // A file's own id names its node too, unless it is already another node's id.
    const std::string& source_id = t.nodes_[n].source_id;
    if (!source_id.empty() && !t.node_by_id_.contains(source_id))
      t.node_by_source_id_.emplace(source_id, n);
  }

  // Fibers: known ends, no self-loops, finite positive lengths, known SRLGs.
  t.fiber_ends_.assign(t.fibers_.size(), {kNoIndex, kNoIndex});
  for (FiberIndex f = 0; f < t.fibers_.size(); ++f) {
    const Fiber& fiber = t.fibers_[f];
    const std::string where = describe("fiber", fiber.id, fiber.origin);
    auto a = t.node_by_id_.find(fiber.a);
    auto b = t.node_by_id_.find(fiber.b);
    if (a == t.node_by_id_.end()) {
      error("dangling-reference", fmt::format("{}: ends at unknown node '{}'", where, fiber.a));
    }
    if (b == t.node_by_id_.end()) {
      error("dangling-reference", fmt::format("{}: ends at unknown node '{}'", where, fiber.b));
    }
    if (a != t.node_by_id_.end() && b != t.node_by_id_.end()) {
      if (a->second == b->second) {
        error("self-loop", fmt::format("{}: both ends at node '{}'", where, fiber.a));
      } else {
        t.fiber_ends_[f] = {a->second, b->second};
      }
    }
    if (!std::isfinite(fiber.length.value()) || fiber.length.value() <= 0.0) {
      error("bad-length", fmt::format("{}: length must be a positive number of km, got {}", where,
                                      fiber.length.value()));
    }
    if (fiber.loss && (!std::isfinite(fiber.loss->value()) || fiber.loss->value() < 0.0)) {
      error("bad-loss", fmt::format("{}: loss must be a non-negative number of dB, got {}", where,
                                    fiber.loss->value()));
    }
    double span_km = 0;
    for (std::size_t i = 0; i < fiber.spans.size(); ++i) {
      const FiberSpan& span = fiber.spans[i];
      if (!(span.length.value() > 0) || !std::isfinite(span.length.value()) ||
          !(span.loss.value() >= 0) || !std::isfinite(span.loss.value())) {
        error("bad-span", fmt::format("{}: span {} needs a positive length and a non-negative "
                                      "loss, got {} km and {} dB",
                                      where, i, span.length.value(), span.loss.value()));
      }
      span_km += span.length.value();
    }
    if (!fiber.spans.empty() && std::abs(span_km - fiber.length.value()) > 0.001 * span_km + 0.01) {
      error("bad-span", fmt::format("{}: its spans add up to {:g} km, not its length {:g} km",
                                    where, span_km, fiber.length.value()));
    }
    if (fiber.cost && (!std::isfinite(*fiber.cost) || *fiber.cost < 0.0)) {
      error("bad-cost",
            fmt::format("{}: cost must be a non-negative number, got {}", where, *fiber.cost));
    }
    if (!(fiber.band.start_thz > 0 && fiber.band.end_thz > fiber.band.start_thz)) {
      error("bad-band", fmt::format("{}: spectrum band {}-{} THz is empty", where,
                                    fiber.band.start_thz, fiber.band.end_thz));
    }
    for (const std::string& srlg : fiber.srlgs) {
      if (!t.srlg_by_id_.contains(srlg)) {
        error("dangling-reference", fmt::format("{}: belongs to unknown srlg '{}'", where, srlg));
      }
    }
  }

  for (const Port& port : t.ports_) {
    const std::string where = describe("port", port.id, port.origin);
    if (!t.site_by_id_.contains(port.site)) {
      error("dangling-reference", fmt::format("{}: at unknown site '{}'", where, port.site));
    }
    if (!port.node.empty() && !t.node_by_id_.contains(port.node)) {
      error("dangling-reference", fmt::format("{}: wired to unknown node '{}'", where, port.node));
    }
    if (!std::isfinite(port.speed.value()) || port.speed.value() <= 0) {
      error("bad-speed", fmt::format("{}: speed must be a positive number of Gbps, got {}", where,
                                     port.speed.value()));
    }
  }
  for (const TransceiverSpec& trx : t.transceivers_) {
    const std::string where = describe("transceiver", trx.id, trx.origin);
    for (auto [value, field] : {std::pair{trx.line_rate.value(), "line_rate_gbps"},
                                {trx.baud_gbd, "baud_gbd"},
                                {trx.slot_width.value(), "slot_width_ghz"},
                                {trx.reach.value(), "reach_km"}}) {
      if (!std::isfinite(value) || value <= 0) {
        error("bad-transceiver",
              fmt::format("{}: {} must be positive, got {}", where, field, value));
      }
    }
    if (!std::isfinite(trx.min_gsnr.value())) {
      error("bad-transceiver", fmt::format("{}: min_gsnr_db must be a number", where));
    }
  }

  if (!errors.empty()) {
    std::string message = fmt::format("topology '{}' has {} error{}:", t.name_, errors.size(),
                                      errors.size() == 1 ? "" : "s");
    for (std::size_t i = 0; i < errors.size() && i < kMaxErrorsInMessage; ++i) {
      message += "\n  " + errors[i].message;
    }
    if (errors.size() > kMaxErrorsInMessage) {
      message += fmt::format("\n  ... and {} more", errors.size() - kMaxErrorsInMessage);
    }
    return fail(invalidArgument(std::move(message)));
  }

  // Adjacency in CSR form.
  const std::size_t node_count = t.nodes_.size();
  t.adjacency_start_.assign(node_count + 1, 0);
  for (auto [a, b] : t.fiber_ends_) {
    ++t.adjacency_start_[a + 1];
    ++t.adjacency_start_[b + 1];
  }
  for (std::size_t n = 0; n < node_count; ++n) t.adjacency_start_[n + 1] += t.adjacency_start_[n];
  t.adjacency_.resize(t.adjacency_start_[node_count]);
  std::vector<std::uint32_t> fill(t.adjacency_start_.begin(), t.adjacency_start_.end() - 1);
  for (FiberIndex f = 0; f < t.fiber_ends_.size(); ++f) {
    t.adjacency_[fill[t.fiber_ends_[f].first]++] = f;
    t.adjacency_[fill[t.fiber_ends_[f].second]++] = f;
  }

  // Parallel fibers: legitimate (two cables), but worth a look when they were not meant.
  std::map<std::pair<NodeIndex, NodeIndex>, FiberIndex> first_between;
  for (FiberIndex f = 0; f < t.fiber_ends_.size(); ++f) {
    auto [a, b] = t.fiber_ends_[f];
    auto key = std::minmax(a, b);
    auto [it, inserted] = first_between.emplace(key, f);
    if (!inserted) {
      const Fiber& fiber = t.fibers_[f];
      warning("parallel-fibers",
              fmt::format("{}: parallel to fiber '{}' between '{}' and '{}'",
                          describe("fiber", fiber.id, fiber.origin), t.fibers_[it->second].id,
                          t.nodes_[key.first].id, t.nodes_[key.second].id));
    }
  }

  // Connected components by iterative DFS.
  t.component_of_.assign(node_count, kNoIndex);
  std::vector<NodeIndex> stack;
  for (NodeIndex start = 0; start < node_count; ++start) {
    if (t.component_of_[start] != kNoIndex) continue;
    const auto component = static_cast<std::uint32_t>(t.component_count_++);
    t.component_of_[start] = component;
    stack.push_back(start);
    while (!stack.empty()) {
      NodeIndex n = stack.back();
      stack.pop_back();
      for (FiberIndex f : t.fibersAt(n)) {
        NodeIndex m = t.otherEnd(f, n);
        if (t.component_of_[m] == kNoIndex) {
          t.component_of_[m] = component;
          stack.push_back(m);
        }
      }
    }
  }
  if (t.component_count_ > 1) {
    std::vector<std::size_t> sizes(t.component_count_, 0);
    for (auto c : t.component_of_) ++sizes[c];
    std::string example;
    for (NodeIndex n = 0; n < node_count && example.empty(); ++n) {
      if (t.component_of_[n] != 0) example = t.nodes_[n].id;
    }
    warning("disconnected",
            fmt::format("network falls into {} disconnected parts (largest {} nodes); node '{}' "
                        "cannot reach node '{}'",
                        t.component_count_, *std::max_element(sizes.begin(), sizes.end()), example,
                        t.nodes_[0].id));
  }

  for (NodeIndex n = 0; n < node_count; ++n) {
    if (!t.location(n)) {
      const Node& node = t.nodes_[n];
      warning("no-coordinates", fmt::format("{}: its site '{}' has no coordinates",
                                            describe("node", node.id, node.origin), node.site));
    }
  }

  return std::move(topology_);
}

}  // namespace lightpath
