// Line-system design for one fiber between two ROADMs (an optical multiplex section) when the
// topology gives only its length: how many spans, which amplifier after each, at what gain and
// per-channel output power. The rules are GNPy's auto-design (gnpy.core.network), so that a
// route designed here is the route GNPy would design and the two agree on its GSNR:
//   - spans: a fiber shorter than Span.max_length (150 km) is one span; a longer one is cut into
//     equal spans of about 90 km (the count whose length is nearer 90 km, within 50-150 km);
//   - span loss: the fiber's loss (or attenuation x length) + connectors + end-of-life margin,
//     padded up to Span.padding (10 dB) by an attenuator at the span input;
//   - power: each span is launched at P_ref + dP, dP = 0.3 (loss - 20 dB) rounded to 0.5 dB
//     within [-2, +3] dB (Augé, Curri, Le Rouzic, "Open design for multi-vendor optical
//     networks", OFC 2019, eq. 4); ROADMs equalise to target_pch_out_db (-20 dBm) per channel;
//   - amplifiers: a booster at the ROADM egress, one after every span, the last a preamplifier
//     that brings the channels back to P_ref at the next ROADM; each is the lowest-NF model
//     that reaches its gain and output power, with its NF from the model at that gain.
#pragma once

#include <vector>

#include "lightpath/model/optical_equipment.h"
#include "lightpath/model/topology.h"

namespace lightpath {

struct AmplifierSetting {
  const AmplifierModel* model = nullptr;
  double gain_db = 0;     // effective gain as designed
  double delta_p_db = 0;  // output power per channel relative to the reference power
};

struct SpanDesign {
  double length_km = 0;
  double loss_coef_db_per_km = 0;
  double con_in_db = 0, con_out_db = 0, att_in_db = 0;
  const FiberType* type = nullptr;
  double lossDb() const {
    return loss_coef_db_per_km * length_km + con_in_db + con_out_db + att_in_db;
  }
};

struct OmsDesign {
  AmplifierSetting booster;
  std::vector<SpanDesign> spans;
  std::vector<AmplifierSetting> amplifiers;  // after each span; the last is the preamplifier
};

// The design of `fiber` under `equipment`. FailedPrecondition, naming the fiber, when a span
// names an amplifier the library does not have, or no amplifier of the library may serve.
Result<OmsDesign> designOms(const Fiber& fiber, const OpticalEquipment& equipment);

// Every fiber of `topology` designed under `equipment`: the first refusal, or ok. Run where a
// topology meets an equipment library (serve's start, path --qot), so that a mismatch is said
// there and then rather than seen later as a fiber no mode reads.
Status checkLineDesign(const Topology& topology, const OpticalEquipment& equipment);

// Spans GNPy's auto-design cuts a fiber of `length_km` into: {count, length of each}.
std::pair<int, double> spanSplit(double length_km, const SpanRules& rules);

// Noise figure of `model` at `gain_db` (GNPy's Edfa._nf, including the input padding below
// the model's minimum gain). `pin_per_channel_dbm` and `slot_hz` matter for OpenROADM models.
double noiseFigureDb(const OpticalEquipment& equipment, const AmplifierModel& model, double gain_db,
                     double pin_per_channel_dbm = -19.44, double slot_hz = 50e9);

}  // namespace lightpath
