// The connection lifecycle and spec checks.
#include "lightpath/service/connection.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "lightpath/base/enum_names.h"

namespace lightpath {
namespace {

constexpr std::array<std::pair<ConnectionKind, std::string_view>, 3> kKinds{
    {{ConnectionKind::Wavelength, "wavelength"},
     {ConnectionKind::Ethernet, "ethernet"},
     {ConnectionKind::Cloud, "cloud"}}};
constexpr std::array<std::pair<ConnectionState, std::string_view>, 10> kStates{{
    {ConnectionState::Draft, "draft"},
    {ConnectionState::Provisioning, "provisioning"},
    {ConnectionState::AwaitingCounterparty, "awaiting_counterparty"},
    {ConnectionState::Active, "active"},
    {ConnectionState::Modifying, "modifying"},
    {ConnectionState::Deprovisioning, "deprovisioning"},
    {ConnectionState::Terminated, "terminated"},
    {ConnectionState::Failed, "failed"},
    {ConnectionState::Rejected, "rejected"},
    {ConnectionState::Cancelled, "cancelled"},
}};
constexpr std::array<std::pair<Protection, std::string_view>, 2> kProtections{
    {{Protection::None, "none"}, {Protection::OnePlusOne, "1+1"}}};
constexpr std::array<std::pair<Encryption, std::string_view>, 3> kEncryptions{
    {{Encryption::None, "none"}, {Encryption::Macsec, "macsec"}, {Encryption::Layer1, "layer1"}}};
constexpr std::array<std::pair<AdminState, std::string_view>, 2> kAdmin{
    {{AdminState::Enabled, "enabled"}, {AdminState::Disabled, "disabled"}}};
constexpr std::array<std::pair<OperState, std::string_view>, 4> kOper{
    {{OperState::Unknown, "unknown"},
     {OperState::Up, "up"},
     {OperState::Down, "down"},
     {OperState::Degraded, "degraded"}}};

using S = ConnectionState;

// The lifecycle, as the only transitions there are. A failed connection has already given
// back its capacity and device configuration (the workflow compensates before failing).
constexpr std::array<std::pair<S, S>, 17> kTransitions{{
    {S::Draft, S::Provisioning},
    {S::Draft, S::Rejected},
    {S::Draft, S::Cancelled},
    {S::Provisioning, S::AwaitingCounterparty},
    {S::Provisioning, S::Active},
    {S::Provisioning, S::Failed},
    {S::Provisioning, S::Deprovisioning},  // cancelled while being set up: undo
    {S::AwaitingCounterparty, S::Active},
    {S::AwaitingCounterparty, S::Deprovisioning},
    {S::AwaitingCounterparty, S::Failed},
    {S::Active, S::Modifying},
    {S::Active, S::Deprovisioning},
    {S::Modifying, S::Active},  // done, or rolled back to what it was
    {S::Modifying, S::Failed},
    {S::Modifying, S::Deprovisioning},
    {S::Deprovisioning, S::Terminated},
    {S::Deprovisioning, S::Failed},
}};

}  // namespace

std::string_view toString(ConnectionKind v) { return nameOf(v, kKinds); }
std::string_view toString(ConnectionState v) { return nameOf(v, kStates); }
std::string_view toString(Protection v) { return nameOf(v, kProtections); }
std::string_view toString(Encryption v) { return nameOf(v, kEncryptions); }
std::string_view toString(AdminState v) { return nameOf(v, kAdmin); }
std::string_view toString(OperState v) { return nameOf(v, kOper); }
Result<ConnectionKind> parseConnectionKind(std::string_view t) {
  return parseName(t, kKinds, "connection kind");
}
Result<ConnectionState> parseConnectionState(std::string_view t) {
  return parseName(t, kStates, "connection state");
}
Result<Protection> parseProtection(std::string_view t) {
  return parseName(t, kProtections, "protection");
}
Result<Encryption> parseEncryption(std::string_view t) {
  return parseName(t, kEncryptions, "encryption");
}

StateInfo stateInfo(ConnectionState state) {
  switch (state) {
    case S::Active:
    case S::Modifying:
      return {true, false};
    case S::Terminated:
    case S::Failed:
    case S::Rejected:
    case S::Cancelled:
      return {false, true};
    default:
      return {false, false};
  }
}

bool canTransition(ConnectionState from, ConnectionState to) {
  for (auto [f, t] : kTransitions) {
    if (f == from && t == to) return true;
  }
  return false;
}

std::vector<ConnectionState> nextStates(ConnectionState from) {
  std::vector<ConnectionState> out;
  for (auto [f, t] : kTransitions) {
    if (f == from) out.push_back(t);
  }
  return out;
}

std::uint64_t bandwidthAt(const ConnectionSpec& spec, TimePoint t) {
  std::uint64_t mbps = spec.bandwidth_mbps;
  for (const BandwidthStep& step : spec.steps) {
    if (step.at <= t) mbps = step.mbps;
  }
  return mbps;
}

std::uint64_t peakBandwidth(const ConnectionSpec& spec) {
  std::uint64_t mbps = spec.bandwidth_mbps;
  for (const BandwidthStep& step : spec.steps) mbps = std::max(mbps, step.mbps);
  return mbps;
}

std::string cloudKeyField(std::string_view provider) {
  return provider == "aws"      ? "owner_account"
         : provider == "azure"  ? "service_key"
         : provider == "google" ? "pairing_key"
                                : "key";
}

bool isGuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) return false;
    if (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

const std::vector<std::uint64_t>& hostedBandwidths(std::string_view provider) {
  // The providers' published hosted tiers up to 10 Gb/s (AWS hosted connections, ExpressRoute
  // circuits, Partner Interconnect attachments).
  static const std::vector<std::uint64_t> aws{50, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000};
  static const std::vector<std::uint64_t> azure{50, 100, 200, 500, 1000, 2000, 5000, 10000};
  static const std::vector<std::uint64_t> none;
  return provider == "aws" || provider == "google" ? aws : provider == "azure" ? azure : none;
}

std::optional<PairingKey> parsePairingKey(std::string_view key) {
  const std::size_t first = key.find('/'), last = key.rfind('/');
  if (first == std::string_view::npos || first == last || !isGuid(key.substr(0, first)))
    return std::nullopt;
  const std::string_view region = key.substr(first + 1, last - first - 1);
  const std::string_view domain = key.substr(last + 1);
  if (region.empty() ||
      region.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string_view::npos ||
      (domain != "1" && domain != "2"))
    return std::nullopt;
  return PairingKey{std::string(region), domain[0] - '0'};
}

namespace {

bool allOf(std::string_view text, std::string_view alphabet) {
  return !text.empty() && text.find_first_not_of(alphabet) == std::string_view::npos;
}

// What each provider's hand-shake needs, checked for form (the provider checks the rest): the
// key, a bandwidth it sells as a hosted connection, a bandwidth that stays put.
Status validateCloud(const ConnectionSpec& s) {
  const std::string& p = s.cloud_provider;
  const std::string field = "cloud." + cloudKeyField(p);
  if (p == "aws") {
    if (s.cloud_key.size() != 12 || !allOf(s.cloud_key, "0123456789"))
      return invalidArgument(field +
                             ": the AWS account id that will own the hosted connection, 12 digits");
  } else if (p == "azure") {
    if (!isGuid(s.cloud_key))
      return invalidArgument(field +
                             ": the ExpressRoute circuit's service key, a GUID "
                             "(xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  } else if (p == "google") {
    if (!parsePairingKey(s.cloud_key))
      return invalidArgument(field +
                             ": the attachment's pairing key, UUID/REGION/1 or UUID/REGION/2");
  } else {
    return invalidArgument(
        fmt::format("cloud.provider: aws, azure or google, got '{}'", p.substr(0, 40)));
  }
  const auto& tiers = hostedBandwidths(p);
  if (std::find(tiers.begin(), tiers.end(), s.bandwidth_mbps) == tiers.end()) {
    std::string list;
    for (auto t : tiers) list += (list.empty() ? "" : ", ") + std::to_string(t);
    return invalidArgument(
        fmt::format("bandwidth_mbps: {} sells hosted connections of {} Mb/s, not {}", p, list,
                    s.bandwidth_mbps));
  }
  if (!s.steps.empty())
    return invalidArgument("steps: a hosted connection's bandwidth is fixed at the provider");
  return Status::ok();
}

}  // namespace

Status validateSpec(const ConnectionSpec& s) {
  if (s.a_end.empty()) return invalidArgument("a_end: required");
  if (s.z_end.empty()) return invalidArgument("z_end: required");
  if (s.a_end == s.z_end)
    return invalidArgument(fmt::format("z_end: the same as a_end ('{}')", s.a_end));
  switch (s.kind) {
    case ConnectionKind::Wavelength:
      if (s.bandwidth_mbps != 100'000 && s.bandwidth_mbps != 200'000 &&
          s.bandwidth_mbps != 300'000 && s.bandwidth_mbps != 400'000 &&
          s.bandwidth_mbps != 800'000) {
        return invalidArgument(fmt::format(
            "bandwidth_mbps: a wavelength is 100, 200, 300, 400 or 800 Gb/s, got {} Mb/s",
            s.bandwidth_mbps));
      }
      if (s.vlan) return invalidArgument("vlan: a wavelength carries no VLAN");
      break;
    case ConnectionKind::Ethernet:
    case ConnectionKind::Cloud:
      if (s.bandwidth_mbps < 50 || s.bandwidth_mbps > 100'000) {
        return invalidArgument(
            fmt::format("bandwidth_mbps: an Ethernet circuit is 50 Mb/s to 100 Gb/s, got {} Mb/s",
                        s.bandwidth_mbps));
      }
      if (s.vlan && (*s.vlan < 1 || *s.vlan > 4094)) {
        return invalidArgument(fmt::format("vlan: 1 to 4094, got {}", *s.vlan));
      }
      break;
  }
  if (s.kind == ConnectionKind::Cloud) {
    LP_RETURN_IF_ERROR(validateCloud(s));
  } else if (!s.cloud_provider.empty() || !s.cloud_key.empty()) {
    return invalidArgument("cloud: only cloud connections have a provider and key");
  }
  if (!s.route.empty()) {
    if (s.kind != ConnectionKind::Ethernet)
      return invalidArgument("route: only an Ethernet connection's route is pinned");
    if (s.protection == Protection::OnePlusOne)
      return invalidArgument("route: a 1+1 connection's two legs are chosen by Lightpath");
    if (!s.diverse_from.empty())
      return invalidArgument("route: a pinned route and diverse_from do not go together");
  }
  if (!s.diverse_from.empty() && s.kind == ConnectionKind::Wavelength) {
    return invalidArgument(
        "diverse_from: a wavelength's diverse second leg is ordered as protection 1+1");
  }
  if (s.encryption == Encryption::Macsec && s.kind != ConnectionKind::Ethernet) {
    return invalidArgument(
        s.kind == ConnectionKind::Wavelength
            ? "encryption: macsec is for Ethernet connections; a wavelength takes layer1"
            : "encryption: cloud on-ramps' hosted connections do not take MACsec");
  }
  if (s.encryption == Encryption::Layer1 && s.kind != ConnectionKind::Wavelength) {
    return invalidArgument(
        "encryption: layer1 is for wavelengths; an Ethernet connection takes "
        "macsec");
  }
  if (s.wait_to_restore) {
    if (s.protection != Protection::OnePlusOne)
      return invalidArgument("revertive: only 1+1 connections switch, and so revert");
    if (s.wait_to_restore->count() < 0 || s.wait_to_restore->count() > 86'400)
      return invalidArgument("wait_to_restore_s: 0 to 86400");
  }
  if (s.max_latency && !(s.max_latency->value() > 0))
    return invalidArgument("max_latency_ms: must be positive");
  if (s.term != "hourly" && s.term != "1" && s.term != "12" && s.term != "24" && s.term != "36") {
    return invalidArgument(
        fmt::format("term: hourly, 1, 12, 24 or 36 (months), got '{}'", s.term.substr(0, 40)));
  }
  if (s.start && s.end && !(*s.start < *s.end))
    return invalidArgument("end: must come after start");
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    const BandwidthStep& step = s.steps[i];
    if (i > 0 && !(s.steps[i - 1].at < step.at)) {
      return invalidArgument(fmt::format("steps[{}]: steps must be in time order", i));
    }
    if ((s.start && step.at < *s.start) || (s.end && !(step.at < *s.end))) {
      return invalidArgument(fmt::format("steps[{}]: outside the connection's schedule", i));
    }
    if (s.kind != ConnectionKind::Wavelength && (step.mbps < 50 || step.mbps > 100'000)) {
      return invalidArgument(
          fmt::format("steps[{}].bandwidth_mbps: 50 Mb/s to 100 Gb/s, got {}", i, step.mbps));
    }
    if (s.kind == ConnectionKind::Wavelength) {
      return invalidArgument(fmt::format("steps[{}]: a wavelength's rate does not step", i));
    }
  }
  // Each change of a connection is kept (event, order, audit entry): its size is bounded.
  if (s.tags.size() > kMaxTags) {
    return invalidArgument(fmt::format("tags: at most {}, got {}", kMaxTags, s.tags.size()));
  }
  for (const auto& [key, value] : s.tags) {
    if (key.empty() || key.size() > 128 || value.size() > 256) {
      return invalidArgument(fmt::format("tags: keys 1-128 and values up to 256 characters ('{}')",
                                         key.substr(0, 40)));
    }
  }
  return Status::ok();
}

Status checkWindowAt(const ConnectionSpec& spec, TimePoint now) {
  if (spec.end && *spec.end <= now) return invalidArgument("end: already in the past");
  if (spec.start && *spec.start < now - kStartGrace) {
    return invalidArgument("start: already in the past; leave it out to start now");
  }
  return Status::ok();
}

Connection Connection::draft(std::string id, std::string tenant, ConnectionSpec spec, TimePoint at,
                             std::string actor) {
  Connection c;
  c.id_ = std::move(id);
  c.tenant_ = std::move(tenant);
  c.requested_ = std::move(spec);
  c.history_.push_back({at, S::Draft, S::Draft, std::move(actor), "ordered"});
  return c;
}

Connection Connection::restore(std::string id, std::string tenant, ConnectionSpec spec,
                               ConnectionState state, AdminState admin, OperState oper,
                               std::vector<StateChange> history, Realization current,
                               std::uint64_t version, std::vector<Outage> outages) {
  Connection c;
  c.id_ = std::move(id);
  c.tenant_ = std::move(tenant);
  c.requested_ = std::move(spec);
  c.state_ = state;
  c.admin_ = admin;
  c.oper_ = oper;
  c.history_ = std::move(history);
  c.current_ = std::move(current);
  c.version_ = version;
  c.outages_ = std::move(outages);
  return c;
}

Status Connection::transition(ConnectionState to, TimePoint at, std::string actor,
                              std::string reason) {
  if (!canTransition(state_, to)) {
    std::string allowed;
    for (ConnectionState s : nextStates(state_))
      allowed += (allowed.empty() ? "" : ", ") + std::string(toString(s));
    return failedPrecondition(
        fmt::format("connection {} is {}; it cannot become {} (it can become: {})", id_,
                    toString(state_), toString(to), allowed.empty() ? "nothing" : allowed));
  }
  history_.push_back({at, state_, to, std::move(actor), std::move(reason)});
  state_ = to;
  ++version_;
  return Status::ok();
}

}  // namespace lightpath
