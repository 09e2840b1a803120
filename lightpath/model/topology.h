// Topology: an immutable snapshot of a carrier network with the indexes every reader needs
// (by id, by name, adjacency). Build one with TopologyBuilder; share it between threads as
// std::shared_ptr<const Topology> (it is never modified after build, so reads need no lock).
//
//   TopologyBuilder b;
//   b.addSite({.id = "chi", .name = "Chicago", .location = GeoPoint{41.88, -87.63}});
//   b.addNode({.id = "chi-roadm", .name = "Chicago", .site = "chi"});
//   ...
//   Result<Topology> topology = std::move(b).build();   // fails on errors, keeps warnings
//   for (FiberIndex f : topology->fibersAt(*topology->findNode("chi-roadm"))) ...
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lightpath/model/elements.h"
#include "lightpath/model/findings.h"

namespace lightpath {

class Topology {
 public:
  Topology() = default;

  const std::string& name() const { return name_; }
  // Where the data comes from and under which terms; kept through conversions.
  const std::string& provenance() const { return provenance_; }

  std::span<const Site> sites() const { return sites_; }
  std::span<const Node> nodes() const { return nodes_; }
  std::span<const Fiber> fibers() const { return fibers_; }
  std::span<const Srlg> srlgs() const { return srlgs_; }
  std::span<const Port> ports() const { return ports_; }
  std::span<const TransceiverSpec> transceivers() const { return transceivers_; }

  const Node& node(NodeIndex n) const { return nodes_[n]; }
  const Fiber& fiber(FiberIndex f) const { return fibers_[f]; }
  NodeIndex fiberA(FiberIndex f) const { return fiber_ends_[f].first; }
  NodeIndex fiberB(FiberIndex f) const { return fiber_ends_[f].second; }
  NodeIndex otherEnd(FiberIndex f, NodeIndex from) const {
    return fiber_ends_[f].first == from ? fiber_ends_[f].second : fiber_ends_[f].first;
  }
  // Fibers incident to a node, in the order they were added.
  std::span<const FiberIndex> fibersAt(NodeIndex n) const {
    return {adjacency_.data() + adjacency_start_[n], adjacency_.data() + adjacency_start_[n + 1]};
  }
  std::size_t degree(NodeIndex n) const { return adjacency_start_[n + 1] - adjacency_start_[n]; }

  // Lookups by id; findNode also accepts a node name, the id an imported file gave the node
  // (GML's numeric ids), or the id or name of its site when that identifies exactly one node.
  std::optional<NodeIndex> findNode(std::string_view id_or_name) const;
  std::optional<FiberIndex> findFiber(std::string_view id) const;
  // The index of a port in ports() (a scan: ports are few).
  std::optional<std::uint32_t> findPort(std::string_view id) const;
  const Site* findSite(std::string_view id) const;
  const Srlg* findSrlg(std::string_view id) const;

  // The site a node stands in, and its coordinates (absent when the site has none).
  const Site& siteOf(NodeIndex n) const { return sites_[node_site_[n]]; }
  std::optional<GeoPoint> location(NodeIndex n) const { return siteOf(n).location; }

  // Connected components: component id per node, numbered 0.. in node order.
  std::span<const std::uint32_t> componentOf() const { return component_of_; }
  std::size_t componentCount() const { return component_count_; }

  // Warnings found when the snapshot was built (errors make build() fail instead).
  const std::vector<Finding>& findings() const { return findings_; }

  // Element-wise equality, ignoring where elements were read from.
  bool sameNetwork(const Topology& other, std::string* difference = nullptr) const;

 private:
  friend class TopologyBuilder;

  std::string name_;
  std::string provenance_;
  std::vector<Site> sites_;
  std::vector<Node> nodes_;
  std::vector<Fiber> fibers_;
  std::vector<Srlg> srlgs_;
  std::vector<Port> ports_;
  std::vector<TransceiverSpec> transceivers_;

  std::vector<std::uint32_t> node_site_;
  std::vector<std::pair<NodeIndex, NodeIndex>> fiber_ends_;
  std::vector<std::uint32_t> adjacency_start_;  // CSR: fibers of node n are
  std::vector<FiberIndex> adjacency_;           // adjacency_[start[n] .. start[n+1])
  std::vector<std::uint32_t> component_of_;
  std::size_t component_count_ = 0;

  std::unordered_map<std::string, std::uint32_t> site_by_id_;
  std::unordered_map<std::string, NodeIndex> node_by_id_;
  std::unordered_map<std::string, NodeIndex> node_by_name_;       // only names that are unique
  std::unordered_map<std::string, NodeIndex> node_by_source_id_;  // the file's own ids, unique ones
  std::unordered_map<std::string, FiberIndex> fiber_by_id_;
  std::unordered_map<std::string, std::uint32_t> srlg_by_id_;

  std::vector<Finding> findings_;
};

// Collects elements, then validates and indexes them into a Topology. Not thread-safe; one
// builder per import.
class TopologyBuilder {
 public:
  void setName(std::string name) { topology_.name_ = std::move(name); }
  void setProvenance(std::string text) { topology_.provenance_ = std::move(text); }

  void addSite(Site site) { topology_.sites_.push_back(std::move(site)); }
  void addNode(Node node) { topology_.nodes_.push_back(std::move(node)); }
  void addFiber(Fiber fiber) { topology_.fibers_.push_back(std::move(fiber)); }
  void addSrlg(Srlg srlg) { topology_.srlgs_.push_back(std::move(srlg)); }
  void addPort(Port port) { topology_.ports_.push_back(std::move(port)); }
  void addTransceiver(TransceiverSpec spec) { topology_.transceivers_.push_back(std::move(spec)); }
  // A note from an importer (an estimated coordinate, a dropped duplicate edge).
  void addFinding(Finding finding) { topology_.findings_.push_back(std::move(finding)); }

  std::size_t siteCount() const { return topology_.sites_.size(); }
  std::size_t nodeCount() const { return topology_.nodes_.size(); }
  std::size_t fiberCount() const { return topology_.fibers_.size(); }

  // Validates and indexes. Fails with every error found (dangling references, duplicate ids,
  // self-loops, non-positive or non-finite lengths, bad coordinates); warnings (parallel
  // fibers, several components, nodes without coordinates) are kept in findings().
  Result<Topology> build() &&;

 private:
  Topology topology_;
};

}  // namespace lightpath
