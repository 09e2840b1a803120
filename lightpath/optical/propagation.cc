// SI units inside. Constants and formulas as GNPy's elements.Edfa / elements.Fiber /
// science_utils.NliSolver._gn_analytic, with the fiber's gamma and effective area scaled with
// frequency by GNPy's step-index model (parameters.FiberParams).
#include "lightpath/optical/propagation.h"

#include <cmath>
#include <numbers>
#include <numeric>

namespace lightpath {
namespace {

constexpr double kPlanck = 6.62607015e-34;
constexpr double kLightSpeed = 299792458.0;
constexpr double kRefWavelength = 1550e-9;  // GNPy's reference for dispersion, gamma, Aeff
constexpr double kN2 = 2.6e-20;             // m^2/W
constexpr double kCoreRadius = 4.2e-6;      // m
constexpr double kCoreIndex = 1.468;
constexpr double kPi = std::numbers::pi;

double fromDb(double db) { return std::pow(10.0, db / 10.0); }
double toDbm(double watts) { return 10.0 * std::log10(watts * 1000.0); }

// gamma(f) = 2 pi n2 f / (c Aeff(f)), Aeff from a step-index fibre whose index contrast makes
// Aeff(f_ref) the fiber type's effective area.
double gammaAt(double frequency, double effective_area) {
  const double f_ref = kLightSpeed / kRefWavelength;
  const double root = kLightSpeed / (2 * kPi * f_ref * kCoreRadius * kCoreIndex) *
                      std::exp(kPi * kCoreRadius * kCoreRadius / effective_area);
  const double contrast = 0.5 * root * root;
  const double v =
      2 * kPi * frequency / kLightSpeed * kCoreRadius * kCoreIndex * std::sqrt(2 * contrast);
  const double w = kCoreRadius / std::sqrt(std::log(v));
  return 2 * kPi * kN2 * frequency / (kLightSpeed * kPi * w * w);
}

class OmsPropagation {
 public:
  OmsPropagation(const ChannelComb& comb, const OpticalEquipment& eq, double start_dbm)
      : comb_(comb), eq_(eq), power_(comb.frequency_hz.size(), fromDb(start_dbm) / 1000.0) {
    noise_.ase.assign(power_.size(), 0.0);
    noise_.nli.assign(power_.size(), 0.0);
  }

  void amplify(const AmplifierSetting& amp) {
    const double total = std::accumulate(power_.begin(), power_.end(), 0.0);
    const double gain = std::min(amp.gain_db, amp.model->p_max_dbm - toDbm(total));
    const double per_channel_dbm = toDbm(total / static_cast<double>(power_.size()));
    const double nf = noiseFigureDb(eq_, *amp.model, gain, per_channel_dbm, comb_.spacing_hz);
    const double g = fromDb(gain);
    for (std::size_t i = 0; i < power_.size(); ++i) {
      const double ase = kPlanck * comb_.baud_hz * comb_.frequency_hz[i] * fromDb(nf);
      noise_.ase[i] += std::log1p(ase / power_[i]);
      power_[i] = (power_[i] + ase) * g;
    }
  }

  void fiber(const SpanDesign& span) {
    attenuate(span.con_in_db + span.att_in_db);
    const double alpha = span.loss_coef_db_per_km / 1000.0 * std::log(10.0) / 10.0;  // Np/m
    const double length = span.length_km * 1000.0;
    if (length > 0 && alpha > 0) addNli(*span.type, alpha, length);
    const double through = std::exp(-alpha * length);
    for (double& p : power_) p *= through;
    attenuate(span.con_out_db);
  }

  OmsNoise take() { return std::move(noise_); }

 private:
  void attenuate(double db) {
    const double factor = fromDb(-db);
    for (double& p : power_) p *= factor;
  }

  // NLI_i = P_i sum_j P_j^2 gamma_i^2 w_ij psi_ij / B^2 (equal baud rates; psi depends only on
  // the channel distance on a uniform comb).
  void addNli(const FiberType& type, double alpha, double length) {
    const std::size_t n = power_.size();
    const double lambda = kRefWavelength;
    const double beta2 = type.dispersion_s_per_m2 * lambda * lambda / (2 * kPi * kLightSpeed);
    const double l_eff = (1.0 - std::exp(-alpha * length)) / alpha;
    const double l_asym = 1.0 / alpha;
    const double b = comb_.baud_hz;
    const double a = kPi * kPi * l_asym * beta2 * b;
    const double scale = l_eff * l_eff / (2 * kPi * beta2 * l_asym);
    psi_.resize(n);
    for (std::size_t d = 0; d < n; ++d) {
      const double df = static_cast<double>(d) * comb_.spacing_hz;
      psi_[d] = (std::asinh(a * (df + b / 2)) - std::asinh(a * (df - b / 2))) / 2 * scale;
    }
    constexpr double kSpm = 16.0 / 27.0, kXpm = 2 * 16.0 / 27.0;
    for (std::size_t i = 0; i < n; ++i) {
      double sum = 0;
      for (std::size_t j = 0; j < n; ++j) {
        const std::size_t d = i > j ? i - j : j - i;
        sum += (d == 0 ? kSpm : kXpm) * psi_[d] * power_[j] * power_[j];
      }
      const double gamma = gammaAt(comb_.frequency_hz[i], type.effective_area_m2);
      const double nli_ratio = gamma * gamma * sum / (b * b);  // NLI / P_i
      noise_.nli[i] -= std::log1p(-std::min(nli_ratio, 0.999999));
    }
  }

  const ChannelComb& comb_;
  const OpticalEquipment& eq_;
  std::vector<double> power_;  // per channel, W (signal + noise)
  std::vector<double> psi_;
  OmsNoise noise_;
};

}  // namespace

ChannelComb channelComb(const ChannelLoad& load, double baud_gbd, double slot_ghz) {
  ChannelComb comb;
  comb.baud_hz = baud_gbd * 1e9;
  comb.spacing_hz = std::max(load.spacing_hz, slot_ghz * 1e9);
  const auto count =
      static_cast<std::size_t>(std::floor((load.f_max_hz - load.f_min_hz) / comb.spacing_hz));
  for (std::size_t k = 1; k <= std::max<std::size_t>(count, 1); ++k) {
    comb.frequency_hz.push_back(load.f_min_hz + comb.spacing_hz * static_cast<double>(k));
  }
  return comb;
}

OmsNoise propagateOms(const OmsDesign& design, const ChannelComb& comb,
                      const OpticalEquipment& equipment) {
  OmsPropagation line(comb, equipment, equipment.roadm.target_pch_out_dbm);
  line.amplify(design.booster);
  for (std::size_t i = 0; i < design.spans.size(); ++i) {
    line.fiber(design.spans[i]);
    line.amplify(design.amplifiers[i]);
  }
  return line.take();
}

}  // namespace lightpath
