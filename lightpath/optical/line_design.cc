// GNPy's auto-design, one OMS at a time (gnpy.core.network: split_fiber, add_fiber_padding,
// target_power, compute_gain_power_and_tilt_target, filter_edfa_list_based_on_targets,
// select_edfa, and Edfa._nf for the noise figures).
#include "lightpath/optical/line_design.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace lightpath {
namespace {

double fromDb(double db) { return std::pow(10.0, db / 10.0); }
double toDb(double linear) { return 10.0 * std::log10(linear); }

// GNPy's round2float: to the nearest step, ties to even, at 0.01 resolution at most.
double roundToStep(double value, double step) {
  step = std::max(step, 0.01);
  return std::nearbyint(value / step) * step;
}

double polyval(const std::vector<double>& coef, double x) {
  double y = 0;
  for (double c : coef) y = y * x + c;
  return y;
}

// Noise figure of a single-stage model at `gain` (already padded up to gain_min).
double singleStageNf(const AmplifierModel& m, double gain, double pin_ch_dbm, double slot_hz) {
  using Kind = AmplifierModel::Kind;
  const double dg = std::max(m.gain_flatmax_db - gain, 0.0);
  const double pin_50 = pin_ch_dbm + toDb(50e9 / slot_hz);
  switch (m.kind) {
    case Kind::VariableGain: {
      const double g1a = gain - m.delta_p_db - dg;
      return toDb(fromDb(m.nf1_db) + fromDb(m.nf2_db) / fromDb(g1a));
    }
    case Kind::FixedGain:
      return m.nf0_db;
    case Kind::OpenRoadm:
      return pin_50 - polyval(m.nf_coef, pin_50) + 58;
    case Kind::OpenRoadmPreamp:
      return pin_50 - std::min((4 * pin_50 + 275) / 7, 33.0) + 58;
    case Kind::OpenRoadmBooster:
      return -std::numeric_limits<double>::infinity();
    case Kind::DualStage:
      break;
  }
  return 0;
}

struct Candidate {
  const AmplifierModel* model;
  double power_headroom;  // dB above the output power target it can deliver
  double gain_headroom;   // dB of gain above its minimum (with GNPy's 3 dB allowance for EDFAs)
  double nf;
};

// GNPy's select_edfa: among the models allowed here, those that reach the gain; of those, the
// ones that reach the power (or come within 0.3 dB of the best); the lowest NF wins, first in
// library order on ties. Returns the model and the power reduction (<= 0) it imposes.
Result<std::pair<const AmplifierModel*, double>> selectAmplifier(
    const OpticalEquipment& eq, const std::vector<std::string>& restrictions, bool raman_allowed,
    double gain_target, double power_target) {
  const double pin = power_target - gain_target;
  std::vector<Candidate> edfas, ramans;
  for (const AmplifierModel& m : eq.amplifiers) {
    const bool allowed = restrictions.empty() ? m.allowed_for_design
                                              : std::find(restrictions.begin(), restrictions.end(),
                                                          m.type_variety) != restrictions.end();
    if (!allowed || m.f_min_hz > eq.load.f_min_hz || m.f_max_hz < eq.load.f_max_hz) continue;
    if (m.raman && !raman_allowed) continue;
    Candidate c{&m,
                std::min(pin + m.gain_flatmax_db + eq.span.target_extended_gain_db, m.p_max_dbm) -
                    power_target,
                gain_target + (m.raman ? 0.0 : 3.0) - m.gain_min_db,
                noiseFigureDb(eq, m, gain_target)};
    (m.raman ? ramans : edfas).push_back(c);
  }
  std::vector<Candidate> all = edfas;
  all.insert(all.end(), ramans.begin(), ramans.end());
  std::vector<Candidate> by_gain;
  for (const Candidate& c : all) {
    if (c.gain_headroom > 0) by_gain.push_back(c);
  }
  if (by_gain.empty()) {
    if (edfas.empty()) {
      return fail(failedPrecondition(fmt::format(
          "the equipment library {} has no amplifier a line design may use (allowed_for_design)",
          eq.source)));
    }
    by_gain = edfas;  // below every minimum gain: the amplifier pads its input
  }
  std::vector<Candidate> by_power;
  for (const Candidate& c : by_gain) {
    if (c.power_headroom > 0) by_power.push_back(c);
  }
  if (by_power.empty()) {
    double best = -std::numeric_limits<double>::infinity();
    for (const Candidate& c : by_gain) best = std::max(best, c.power_headroom);
    for (const Candidate& c : by_gain) {
      if (c.power_headroom - best > -0.3) by_power.push_back(c);
    }
  }
  const Candidate* chosen = &by_power.front();
  for (const Candidate& c : by_power) {
    if (c.nf < chosen->nf) chosen = &c;
  }
  return std::pair{chosen->model, std::min(chosen->power_headroom, 0.0)};
}

// dP of a span from its loss (GNPy's target_power).
double launchOffset(double span_loss_db, const SpanRules& rules) {
  const double dp = roundToStep((span_loss_db - rules.span_loss_ref_db) * rules.power_slope,
                                rules.delta_power_step_db);
  return std::clamp(dp, rules.delta_power_min_db, rules.delta_power_max_db);
}

}  // namespace

double noiseFigureDb(const OpticalEquipment& eq, const AmplifierModel& m, double gain_db,
                     double pin_per_channel_dbm, double slot_hz) {
  if (m.kind == AmplifierModel::Kind::DualStage) {
    const AmplifierModel& pre = eq.amplifiers[m.preamp];
    const AmplifierModel& boost = eq.amplifiers[m.booster];
    const double g1 = pre.gain_flatmax_db;
    const double nf1 = noiseFigureDb(eq, pre, g1, pin_per_channel_dbm, slot_hz);
    const double nf2 = noiseFigureDb(eq, boost, gain_db - g1, pin_per_channel_dbm, slot_hz);
    return toDb(fromDb(nf1) + fromDb(nf2 - g1));
  }
  const double pad = std::max(m.gain_min_db - gain_db, 0.0);
  return singleStageNf(m, gain_db + pad, pin_per_channel_dbm, slot_hz) + pad;
}

std::pair<int, double> spanSplit(double length_km, const SpanRules& rules) {
  // GNPy works in whole metres: bounds = range(min_length, max_length).
  const double max_m = std::floor(rules.max_length_km * 1000);
  const double min_m = std::max(std::floor(rules.padding_db / 0.2 * 1e3), 50000.0);
  const double target_m = std::max(min_m, std::min(max_m, 90000.0));
  const double length_m = length_km * 1000;
  if (length_m < max_m) return {1, length_km};
  const int n2 = static_cast<int>(std::floor(length_m / target_m));
  const int n1 = n2 + 1;
  const double l1 = length_m / n1;
  const double l2 = n2 > 0 ? length_m / n2 : std::numeric_limits<double>::infinity();
  auto inside = [&](double l) { return min_m <= l && l <= max_m; };
  if (inside(l1) && !inside(l2)) return {n1, l1 / 1000};
  if (inside(l2) && !inside(l1)) return {n2, l2 / 1000};
  if (l2 - target_m <= target_m - l1 && l2 <= max_m) return {n2, l2 / 1000};
  return {n1, l1 / 1000};
}

Result<OmsDesign> designOms(const Fiber& fiber, const OpticalEquipment& eq) {
  const SpanRules& rules = eq.span;
  OmsDesign design;
  const FiberType& type = eq.fiberType(fiber.fiber_type);
  // The amplifier the topology names after each span, if any.
  std::vector<const AmplifierModel*> named;
  auto addSpans = [&](double km, double coef, const AmplifierModel* after) {
    const auto [count, span_km] = spanSplit(km, rules);
    for (int i = 0; i < count; ++i) {
      SpanDesign span{.length_km = span_km,
                      .loss_coef_db_per_km = coef,
                      .con_in_db = rules.con_in_db,
                      .con_out_db = rules.con_out_db + rules.eol_db,
                      .type = &type};
      if (span.lossDb() < rules.padding_db) span.att_in_db = rules.padding_db - span.lossDb();
      design.spans.push_back(span);
      named.push_back(i + 1 == count ? after : nullptr);
    }
  };
  if (fiber.spans.empty()) {
    // A fiber's own loss, when the topology gives it, is spread evenly over its spans.
    addSpans(fiber.length.value(),
             fiber.loss && fiber.length.value() > 0 ? fiber.loss->value() / fiber.length.value()
                                                    : eq.attenuation_db_per_km,
             nullptr);
  } else {
    // The line as the topology lays it out (GNPy cuts even these when longer than its maximum);
    // connector losses are counted as fiber attenuation.
    for (std::size_t i = 0; i < fiber.spans.size(); ++i) {
      const FiberSpan& span = fiber.spans[i];
      const AmplifierModel* after = nullptr;
      if (!span.amplifier.empty() && !(after = eq.amplifier(span.amplifier))) {
        return fail(failedPrecondition(
            fmt::format("fiber '{}', span {}: amplifier '{}' is not in the equipment library {}",
                        fiber.id, i, span.amplifier, eq.source)));
      }
      addSpans(span.length.value(), span.loss.value() / span.length.value(), after);
    }
  }

  const double pref = eq.load.power_dbm;
  const double channels = std::floor((eq.load.f_max_hz - eq.load.f_min_hz) / eq.load.spacing_hz);
  const double pref_total = pref + toDb(channels);
  auto setAmplifier = [&](double prev_loss, double prev_dp, double dp,
                          const std::vector<std::string>& restrictions, bool raman_allowed,
                          const AmplifierModel* given) -> Result<AmplifierSetting> {
    double gain = prev_loss + dp - prev_dp;
    const double power_target = pref_total + dp;
    if (given) {  // GNPy's set_one_amplifier with a type_variety: only the power is capped
      const double reduction = std::min(0.0, given->p_max_dbm - power_target);
      return AmplifierSetting{given, gain + reduction, dp + reduction};
    }
    LP_ASSIGN_OR_RETURN(auto chosen,
                        selectAmplifier(eq, restrictions, raman_allowed, gain, power_target));
    const auto [model, reduction] = chosen;
    return AmplifierSetting{model, gain + reduction, dp + reduction};
  };

  // Booster: from the ROADM's output target to the first span's launch power.
  double prev_dp = eq.roadm.target_pch_out_dbm - pref;
  const double first_dp = launchOffset(design.spans.front().lossDb(), rules);
  auto booster =
      setAmplifier(0.0, prev_dp, first_dp, eq.roadm.booster_restrictions, false, nullptr);
  if (!booster)
    return fail(failedPrecondition("fiber '" + fiber.id + "': " + booster.error().message()));
  design.booster = *booster;
  prev_dp = design.booster.delta_p_db;
  for (std::size_t i = 0; i < design.spans.size(); ++i) {
    const bool last = i + 1 == design.spans.size();
    // The preamplifier aims at the reference power into the next ROADM (dP = 0).
    const double dp = last ? 0.0 : launchOffset(design.spans[i + 1].lossDb(), rules);
    static const std::vector<std::string> kNone;
    const bool raman_fiber =
        design.spans[i].loss_coef_db_per_km < rules.max_fiber_lineic_loss_for_raman_db_per_km;
    auto amp = setAmplifier(design.spans[i].lossDb(), prev_dp, dp,
                            last ? eq.roadm.preamp_restrictions : kNone, raman_fiber, named[i]);
    if (!amp) return fail(failedPrecondition("fiber '" + fiber.id + "': " + amp.error().message()));
    design.amplifiers.push_back(*amp);
    prev_dp = amp->delta_p_db;
  }
  return design;
}

Status checkLineDesign(const Topology& topology, const OpticalEquipment& equipment) {
  for (const Fiber& fiber : topology.fibers()) {
    if (auto design = designOms(fiber, equipment); !design) return design.error();
  }
  return Status::ok();
}

}  // namespace lightpath
