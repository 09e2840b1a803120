// Closed-form GN model (Poggiolini et al., "The GN-Model of Fiber Non-Linear Propagation and its
// Applications", JLT 32(4), 2014, eq. 13 for Nyquist-WDM, incoherent accumulation) plus EDFA
// ASE. SI units inside.
#include "lightpath/optical/qot.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace lightpath {
namespace {

constexpr double kPlanck = 6.62607015e-34;
constexpr double kLightSpeed = 299792458.0;
constexpr double kCentreHz = 193.5e12;

double fromDb(double db) { return std::pow(10.0, db / 10.0); }
double toDb(double linear) { return 10.0 * std::log10(linear); }

}  // namespace

SpanNoise spanNoise(double span_km, double loss_db, double baud_gbd, const LineSystem& line) {
  const double pi = std::numbers::pi;
  const double symbol_rate = baud_gbd * 1e9;
  const double alpha = line.attenuation_db_per_km * std::log(10.0) / 10.0 / 1000.0;  // 1/m (power)
  const double length = span_km * 1000.0;
  const double l_eff = (1.0 - std::exp(-alpha * length)) / alpha;
  const double l_eff_asym = 1.0 / alpha;
  const double lambda = kLightSpeed / kCentreHz;
  const double beta2 =
      std::abs(line.dispersion_ps_nm_km * 1e-6 * lambda * lambda / (2 * pi * kLightSpeed));
  const double gamma = line.gamma_per_w_km / 1000.0;
  const double bandwidth = line.occupied_thz * 1e12;
  SpanNoise noise;
  // The amplifier after the span restores its loss: ASE = NF h nu G B.
  noise.ase_w = fromDb(line.noise_figure_db) * kPlanck * kCentreHz * fromDb(loss_db) * symbol_rate;
  // NLI PSD for a flat WDM comb of PSD G: (8/27) g^2 G^3 Leff^2 asinh(pi^2/2 |b2| Leff,a B^2) /
  // (pi |b2| Leff,a); over the channel with G = P / Rs this is eta P^3 with:
  noise.eta = (8.0 / 27.0) * gamma * gamma * l_eff * l_eff *
              std::asinh(pi * pi / 2.0 * beta2 * l_eff_asym * bandwidth * bandwidth) /
              (pi * beta2 * l_eff_asym * symbol_rate * symbol_rate);
  return noise;
}

FiberNoise fiberNoise(const Fiber& fiber, double baud_gbd, const LineSystem& line) {
  const double km = fiber.length.value();
  const int spans = std::max(1, static_cast<int>(std::ceil(km / line.span_km - 1e-9)));
  const double span_km = km / spans;
  const double span_loss_db =
      fiber.loss ? fiber.loss->value() / spans : span_km * line.attenuation_db_per_km;
  const SpanNoise noise = spanNoise(span_km, span_loss_db, baud_gbd, line);
  // Each span at its own optimum power (ASE = 2 x NLI there), or at the fixed launch power.
  const double power = line.optimal_launch ? std::cbrt(noise.ase_w / (2.0 * noise.eta))
                                           : fromDb(line.launch_dbm) / 1000.0;
  return {spans * noise.ase_w / power, spans * noise.eta * power * power, spans};
}

QotEstimate combineNoise(const FiberNoise& total, std::size_t fiber_count, double baud_gbd,
                         const LineSystem& line) {
  // Transceiver, add and drop ROADMs, and every ROADM passed on the way.
  double inverse_snr = 1.0 / fromDb(line.tx_osnr_db) + 2.0 / fromDb(line.roadm_osnr_db);
  if (fiber_count > 1)
    inverse_snr += static_cast<double>(fiber_count - 1) / fromDb(line.roadm_osnr_db);
  inverse_snr += total.ase + total.nli;
  // Reported against the 0.1 nm (12.5 GHz) reference bandwidth, as transceiver data sheets
  // and GNPy quote thresholds: SNR x Rs / 12.5 GHz.
  const double to_reference = toDb(baud_gbd / 12.5);
  QotEstimate q;
  q.gsnr = Db(toDb(1.0 / inverse_snr) + to_reference);
  q.osnr_ase = Db(total.ase > 0 ? toDb(1.0 / total.ase) + to_reference : 99.0);
  q.snr_nli = Db(total.nli > 0 ? toDb(1.0 / total.nli) + to_reference : 99.0);
  q.spans = total.spans;
  return q;
}

QotEstimate estimateGsnr(const Topology& topology, std::span<const FiberIndex> fibers,
                         double baud_gbd, const LineSystem& line) {
  FiberNoise total;
  for (FiberIndex f : fibers) total += fiberNoise(topology.fiber(f), baud_gbd, line);
  return combineNoise(total, fibers.size(), baud_gbd, line);
}

}  // namespace lightpath
