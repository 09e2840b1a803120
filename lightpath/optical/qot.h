// Quality of transmission: the generalised SNR (GSNR) a lightpath delivers, computed the way
// GNPy computes it (same line design, amplifier noise figures, GN-model NLI over the real
// channel comb, transceiver and add/drop penalties), so that the two agree within tenths of a
// dB; docs/optical.md has the model, each assumption beside GNPy's, and routes side by side.
//
//   const OpticalEquipment& eq = defaultEquipment();            // or loadEquipment(file)
//   QotEstimate q = estimateGsnr(topology, path.fibers, trx, eq);
//   bool ok = q.gsnr.value() >= trx.min_gsnr.value() + eq.load.sys_margins_db;
#pragma once

#include <span>

#include "lightpath/model/optical_equipment.h"
#include "lightpath/model/topology.h"
#include "lightpath/optical/line_design.h"

namespace lightpath {

struct QotEstimate {
  Db gsnr{0};         // everything, in the 0.1 nm (12.5 GHz) reference bandwidth
  Db gsnr_signal{0};  // the same in the signal's own bandwidth (its baud rate)
  Db osnr_ase{0};     // amplifier noise with the transceiver and add/drop OSNRs, 0.1 nm
  Db snr_nli{0};      // non-linear interference alone, 0.1 nm
  int spans = 0;
};

// What one fiber (an OMS: booster, spans and amplifiers, preamplifier) adds to a channel's noise,
// as the growth of ln(power / signal) averaged over the channel comb. Sums along a route, so
// planners precompute it per fiber and mode and evaluate any segment from prefix sums.
struct FiberNoise {
  double ase = 0;
  double nli = 0;
  int spans = 0;
  FiberNoise& operator+=(const FiberNoise& o) {
    ase += o.ase;
    nli += o.nli;
    spans += o.spans;
    return *this;
  }
  FiberNoise operator-(const FiberNoise& o) const {
    return {ase - o.ase, nli - o.nli, spans - o.spans};
  }
};

// The noise of a designed fiber for a signal of `baud_gbd` on a `slot_ghz` grid (0: the design
// load's). The design does not depend on the signal: design once, then ask per mode.
FiberNoise fiberNoise(const OmsDesign& design, double baud_gbd, double slot_ghz,
                      const OpticalEquipment& equipment);
// The same for `fiber`, designed here; a fiber no amplifier of the library can serve gets
// infinite noise (checkLineDesign says why, at start).
FiberNoise fiberNoise(const Fiber& fiber, double baud_gbd, double slot_ghz,
                      const OpticalEquipment& equipment);

// GSNR of a segment whose fibers' noise sums to `total`, with the transceiver's OSNR and the
// add/drop ROADMs' (express ROADMs add none, as in GNPy).
QotEstimate combineNoise(const FiberNoise& total, double baud_gbd,
                         const OpticalEquipment& equipment);

// GSNR at the receiver of a channel crossing `fibers` in order.
QotEstimate estimateGsnr(const Topology& topology, std::span<const FiberIndex> fibers,
                         const TransceiverSpec& transceiver, const OpticalEquipment& equipment);
QotEstimate estimateGsnr(const Topology& topology, std::span<const FiberIndex> fibers,
                         double baud_gbd, const OpticalEquipment& equipment);

}  // namespace lightpath
