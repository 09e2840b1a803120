// Propagating a fully loaded channel comb through one designed OMS, channel by channel: EDFA
// ASE from each amplifier's noise figure at its gain, and non-linear interference from the
// closed-form GN model summed over every channel pair (Poggiolini et al., arXiv:1209.0394,
// eqs. 120 and 123: GNPy's "gn_model_analytic", its default). Powers follow the design: a ROADM
// sets every channel to its target, amplifiers apply their designed gain (capped by p_max).
//
// Noise is kept as the growth of ln(total power / signal power) per channel. A ROADM resets the
// total power, so that growth over one OMS does not depend on what came before it: a route's
// noise is the sum of its OMSes', exactly, and GSNR = 1 / (e^x - 1) in the signal bandwidth.
// (Adding inverse SNRs instead would be optimistic by up to 0.4 dB on a 6,000 km route, where
// noise is a fifth of the power each amplifier sees.)
#pragma once

#include <vector>

#include "lightpath/optical/line_design.h"

namespace lightpath {

struct ChannelComb {
  std::vector<double> frequency_hz;
  double baud_hz = 32e9;
  double spacing_hz = 50e9;
};

// The channels a line carries for a signal of `baud_gbd`: the design load's band filled at its
// spacing, or at `slot_ghz` where the signal needs more (GNPy: f_min + k x spacing, k >= 1).
ChannelComb channelComb(const ChannelLoad& load, double baud_gbd, double slot_ghz);

struct OmsNoise {
  std::vector<double> ase;  // per channel, ln-growth from amplifier noise
  std::vector<double> nli;  // per channel, ln-growth from non-linear interference
};

OmsNoise propagateOms(const OmsDesign& design, const ChannelComb& comb,
                      const OpticalEquipment& equipment);

}  // namespace lightpath
