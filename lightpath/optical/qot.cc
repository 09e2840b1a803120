// A route's GSNR from its OMSes' noise: x = sum of ln-growths, line SNR = 1 / (e^x - 1) in the
// signal bandwidth, then the terminal penalties as GNPy adds them (snr_sum, 0.1 nm figures).
// Averaging the ln-growth over the comb before converting is never optimistic against GNPy's
// mean of per-channel dB figures: -10 log10(e^x - 1) is convex in x (Jensen).
#include "lightpath/optical/qot.h"

#include <cmath>
#include <numeric>

#include "lightpath/optical/propagation.h"

namespace lightpath {
namespace {

double toDb(double linear) { return 10.0 * std::log10(linear); }
double fromDb(double db) { return std::pow(10.0, db / 10.0); }
double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

FiberNoise fiberNoise(const OmsDesign& design, double baud_gbd, double slot_ghz,
                      const OpticalEquipment& equipment) {
  const OmsNoise noise =
      propagateOms(design, channelComb(equipment.load, baud_gbd, slot_ghz), equipment);
  return {mean(noise.ase), mean(noise.nli), static_cast<int>(design.spans.size())};
}

FiberNoise fiberNoise(const Fiber& fiber, double baud_gbd, double slot_ghz,
                      const OpticalEquipment& equipment) {
  auto design = designOms(fiber, equipment);
  if (!design) return {HUGE_VAL, HUGE_VAL, 0};  // nothing reads a fiber that cannot be designed
  return fiberNoise(*design, baud_gbd, slot_ghz, equipment);
}

QotEstimate combineNoise(const FiberNoise& total, double baud_gbd,
                         const OpticalEquipment& equipment) {
  const double to_reference = baud_gbd / 12.5;  // signal bandwidth -> 0.1 nm
  // Transceiver and add/drop OSNRs are quoted in 0.1 nm; in the signal bandwidth they weigh
  // baud / 12.5 GHz times more.
  const double terminals =
      (1.0 / fromDb(equipment.load.tx_osnr_db) + 1.0 / fromDb(equipment.roadm.add_drop_osnr_db)) *
      to_reference;
  const double line = std::expm1(total.ase + total.nli);  // inverse SNR, signal bandwidth
  auto reference = [&](double inverse) {
    return inverse > 0 ? toDb(to_reference / inverse) : 99.0;
  };
  QotEstimate q;
  q.gsnr = Db(reference(line + terminals));
  q.gsnr_signal = Db(q.gsnr.value() - toDb(to_reference));
  // ASE's share of the compounded line noise (NLI dilutes the signal ASE is measured against).
  const double ase_share = total.ase + total.nli > 0 ? total.ase / (total.ase + total.nli) : 0;
  q.osnr_ase = Db(reference(line * ase_share + terminals));
  q.snr_nli = Db(reference(std::expm1(total.nli)));
  q.spans = total.spans;
  return q;
}

QotEstimate estimateGsnr(const Topology& topology, std::span<const FiberIndex> fibers,
                         const TransceiverSpec& trx, const OpticalEquipment& equipment) {
  FiberNoise total;
  for (FiberIndex f : fibers) {
    total += fiberNoise(topology.fiber(f), trx.baud_gbd, trx.slot_width.value(), equipment);
  }
  return combineNoise(total, trx.baud_gbd, equipment);
}

QotEstimate estimateGsnr(const Topology& topology, std::span<const FiberIndex> fibers,
                         double baud_gbd, const OpticalEquipment& equipment) {
  TransceiverSpec trx;
  trx.baud_gbd = baud_gbd;
  return estimateGsnr(topology, fibers, trx, equipment);
}

}  // namespace lightpath
