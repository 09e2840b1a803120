// Quality of transmission: the generalised SNR (GSNR) a lightpath delivers, from amplifier
// noise (ASE) and fiber non-linearity (the closed-form incoherent GN model), under the
// worst-case "every channel lit" load that planning tools such as GNPy assume.
//
//   LineSystem line;                                   // SSMF, EDFAs, spans of <= 80 km
//   QotEstimate q = estimateGsnr(topology, path.fibers, /*baud_gbd=*/64, line);
//   bool ok = q.gsnr >= trx.min_gsnr + line.margin;
//
// Formulas and constants: docs/optical.md.
#pragma once

#include <span>

#include "lightpath/model/topology.h"

namespace lightpath {

struct LineSystem {
  double attenuation_db_per_km = 0.2;  // used where a fiber gives no loss
  double dispersion_ps_nm_km = 16.7;   // SSMF (GNPy eqpt_config: 1.67e-5 s/m^2)
  double gamma_per_w_km = 1.27;        // SSMF non-linear coefficient (GNPy: 1.27e-3 1/(W m))
  double noise_figure_db = 5.5;        // EDFA
  double span_km = 80.0;               // amplifier spacing when the topology gives none
  double occupied_thz = 4.8;           // lit spectrum (full C-band)
  double tx_osnr_db = 40.0;            // transceiver (GNPy: tx_osnr 40 dB)
  double roadm_osnr_db = 38.0;         // per add/drop ROADM (GNPy: add_drop_osnr 38 dB)
  bool optimal_launch = true;          // per-span optimum power; else launch_dbm per channel
  double launch_dbm = 0.0;
  double margin_db = 2.0;  // system margin (GNPy: sys_margins 2 dB)
};

// All figures against the 0.1 nm (12.5 GHz) reference bandwidth, like transceiver thresholds.
struct QotEstimate {
  Db gsnr{0};      // everything: ASE, NLI, transceiver and ROADM penalties
  Db osnr_ase{0};  // ASE alone
  Db snr_nli{0};   // non-linear interference alone
  int spans = 0;
};

// GSNR at the receiver of a channel of `baud_gbd` crossing `fibers` in order.
QotEstimate estimateGsnr(const Topology& topology, std::span<const FiberIndex> fibers,
                         double baud_gbd, const LineSystem& line);

// What one fiber adds to a channel's noise, as inverse SNR in the channel bandwidth: noise
// adds along a route, so a route's GSNR is a sum of these plus the terminal penalties. Lets
// planners precompute per fiber and evaluate any segment in O(1) from prefix sums.
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
FiberNoise fiberNoise(const Fiber& fiber, double baud_gbd, const LineSystem& line);
// GSNR of a segment of `fiber_count` fibers whose noise sums to `total`.
QotEstimate combineNoise(const FiberNoise& total, std::size_t fiber_count, double baud_gbd,
                         const LineSystem& line);

// One span's linear ASE noise-to-signal and NLI coefficient, for tests and benchmarks.
struct SpanNoise {
  double ase_w = 0;  // ASE power in the channel bandwidth, W
  double eta = 0;    // NLI power = eta x P^3, 1/W^2
};
SpanNoise spanNoise(double span_km, double loss_db, double baud_gbd, const LineSystem& line);

}  // namespace lightpath
