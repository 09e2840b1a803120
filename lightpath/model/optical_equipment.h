// The optical equipment library: amplifier models, fiber types, span design rules, ROADM and
// transceiver parameters and the channel load a line is designed for. Read from GNPy's
// equipment file format (`eqpt_config.json`, Telecom Infra Project), so an operator who already
// keeps one for GNPy uses the same file here; Lightpath's default is its own file in that format
// (data/optical/equipment.json, every figure cited in docs/optical.md). Readers: lightpath/io
// (`readGnpyEquipment`, `defaultEquipment`); users: lightpath/optical.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lightpath/model/elements.h"

namespace lightpath {

struct AmplifierModel {
  enum class Kind {
    VariableGain,
    FixedGain,
    DualStage,
    OpenRoadm,
    OpenRoadmPreamp,
    OpenRoadmBooster
  };
  std::string type_variety;
  Kind kind = Kind::VariableGain;
  double gain_flatmax_db = 0, gain_min_db = 0, p_max_dbm = 0;
  // Variable gain: the two-coil model GNPy fits to nf_min / nf_max (its estimate_nf_model).
  double nf_min_db = 0, nf_max_db = 0, nf1_db = 0, nf2_db = 0, delta_p_db = 0;
  double nf0_db = 0;                    // fixed gain
  std::vector<double> nf_coef;          // OpenROADM in-line amplifier: OSNR polynomial
  std::size_t preamp = 0, booster = 0;  // dual stage: indices of its two stages
  bool raman = false;
  bool allowed_for_design = false;
  double f_min_hz = 191.275e12, f_max_hz = 196.125e12;
};

struct FiberType {
  std::string type_variety;
  double dispersion_s_per_m2 = 16.7e-6;  // 16.7 ps/(nm km)
  double effective_area_m2 = 83e-12;
};

// How a line is designed where the topology gives only a fiber's length (GNPy's "Span").
struct SpanRules {
  double delta_power_min_db = -2, delta_power_max_db = 3, delta_power_step_db = 0.5;
  double target_extended_gain_db = 2.5;
  double max_length_km = 150;
  double padding_db = 10;
  double eol_db = 0, con_in_db = 0, con_out_db = 0;
  double span_loss_ref_db = 20, power_slope = 0.3;
  double max_fiber_lineic_loss_for_raman_db_per_km = 0.25;
};

struct RoadmModel {
  double target_pch_out_dbm = -20;
  double add_drop_osnr_db = 38;  // add and drop together, 0.1 nm
  std::vector<std::string> booster_restrictions, preamp_restrictions;
};

// The channel comb lines are designed for and propagated with (GNPy's "SI").
struct ChannelLoad {
  double f_min_hz = 191.3e12, f_max_hz = 195.1e12;
  double baud_hz = 32e9, spacing_hz = 50e9;
  double power_dbm = 0;
  double tx_osnr_db = 40;
  double sys_margins_db = 2;
};

struct OpticalEquipment {
  std::vector<AmplifierModel> amplifiers;
  std::vector<FiberType> fiber_types;
  SpanRules span;
  RoadmModel roadm;
  ChannelLoad load;
  std::vector<TransceiverSpec> transceivers;  // one per transceiver mode
  double attenuation_db_per_km = 0.2;         // where the topology gives no loss
  std::string source;                         // the file it came from

  const AmplifierModel* amplifier(std::string_view type_variety) const;
  // The fiber type of this name, or SSMF's parameters for a name the library does not know.
  const FiberType& fiberType(std::string_view type_variety) const;
};

}  // namespace lightpath
