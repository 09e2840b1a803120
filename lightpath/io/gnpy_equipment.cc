// GNPy equipment file -> OpticalEquipment. Every refusal names the JSON pointer and the reason;
// derived figures (the variable-gain amplifiers' two-coil NF model) are checked the way GNPy
// checks them, so a file GNPy refuses is refused here too.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/internal/json_text.h"
#include "lightpath/io/topology_io.h"

namespace lightpath {
namespace {

using Json = nlohmann::json;

double fromDb(double db) { return std::pow(10.0, db / 10.0); }
double toDb(double linear) { return 10.0 * std::log10(linear); }

// Reads members of one object, remembering where it is for messages.
class Reader {
 public:
  Reader(const Json& json, std::string where) : json_(json), where_(std::move(where)) {}

  Status isObject() const {
    if (json_.is_object()) return Status{};
    return invalidArgument(fmt::format("{}: expected an object", where_));
  }
  bool has(const char* key) const { return json_.contains(key) && !json_[key].is_null(); }

  Result<double> number(const char* key) const {
    if (!has(key)) return fail(invalidArgument(fmt::format("{}/{}: missing", where_, key)));
    const Json& v = json_[key];
    if (!v.is_number() || !std::isfinite(v.get<double>())) {
      return fail(invalidArgument(fmt::format("{}/{}: expected a number", where_, key)));
    }
    return v.get<double>();
  }
  Result<double> number(const char* key, double fallback) const {
    if (!has(key)) return fallback;
    return number(key);
  }
  Result<std::string> text(const char* key, std::string fallback = {}) const {
    if (!has(key)) {
      if (!fallback.empty()) return fallback;
      return fail(invalidArgument(fmt::format("{}/{}: missing", where_, key)));
    }
    if (!json_[key].is_string()) {
      return fail(invalidArgument(fmt::format("{}/{}: expected a string", where_, key)));
    }
    return json_[key].get<std::string>();
  }
  Result<bool> flag(const char* key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!json_[key].is_boolean()) {
      return fail(invalidArgument(fmt::format("{}/{}: expected true or false", where_, key)));
    }
    return json_[key].get<bool>();
  }
  Result<std::vector<std::string>> names(const Json& list, const std::string& at) const {
    if (!list.is_array()) return fail(invalidArgument(at + ": expected an array of names"));
    std::vector<std::string> out;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].is_string()) {
        return fail(invalidArgument(fmt::format("{}/{}: expected a string", at, i)));
      }
      out.push_back(list[i].get<std::string>());
    }
    return out;
  }
  Status positive(const char* key, double value) const {
    if (value > 0) return Status{};
    return invalidArgument(fmt::format("{}/{}: must be positive, got {:g}", where_, key, value));
  }
  const std::string& where() const { return where_; }
  const Json& json() const { return json_; }

 private:
  const Json& json_;
  std::string where_;
};

// The default entry of a GNPy section that holds one ("Span", "Roadm", "SI"): the one without a
// type_variety or named "default", else the first; read where it stands, so that messages
// point at it. None when the section is absent.
Result<std::optional<Reader>> defaultEntry(const Json& doc, const char* section,
                                           const std::string& source) {
  if (!doc.contains(section)) return std::optional<Reader>{};
  const Json& list = doc[section];
  if (!list.is_array() || list.empty()) {
    return fail(invalidArgument(
        fmt::format("{}: /{}: expected a non-empty array of objects", source, section)));
  }
  std::size_t at = 0;
  while (at < list.size() && list[at].is_object() && list[at].contains("type_variety") &&
         list[at]["type_variety"] != "default") {
    ++at;
  }
  if (at == list.size()) at = 0;
  return std::optional<Reader>(std::in_place, list[at],
                               fmt::format("{}: /{}/{}", source, section, at));
}

// GNPy's estimate_nf_model: nf_min and nf_max at the two ends of the gain range come from two
// cascaded coils with a variable attenuator between them.
Status fitTwoCoils(AmplifierModel& amp, const std::string& where) {
  double delta_p = 5;
  double g1a_min = amp.gain_min_db - (amp.gain_flatmax_db - amp.gain_min_db) - delta_p;
  double g1a_max = amp.gain_flatmax_db - delta_p;
  double nf2 = toDb((fromDb(amp.nf_min_db) - fromDb(amp.nf_max_db)) /
                    (1 / fromDb(g1a_max) - 1 / fromDb(g1a_min)));
  const double nf1 = toDb(fromDb(amp.nf_min_db) - fromDb(nf2) / fromDb(g1a_max));
  if (!std::isfinite(nf1) || !std::isfinite(nf2) || nf1 < 4) {
    return invalidArgument(fmt::format(
        "{}: nf_min {:g} dB and nf_max {:g} dB over gains {:g}-{:g} dB give a first-coil noise "
        "figure below 4 dB; check nf_min, nf_max, gain_min and gain_flatmax",
        where, amp.nf_min_db, amp.nf_max_db, amp.gain_min_db, amp.gain_flatmax_db));
  }
  if (!(nf1 + 0.3 < nf2 && nf2 < nf1 + 2)) {
    nf2 = std::clamp(nf2, nf1 + 0.3, nf1 + 2);
    g1a_max = toDb(fromDb(nf2) / (fromDb(amp.nf_min_db) - fromDb(nf1)));
    delta_p = amp.gain_flatmax_db - g1a_max;
    if (!(delta_p > 1 && delta_p < 11)) {
      return invalidArgument(fmt::format(
          "{}: nf_min {:g} dB and nf_max {:g} dB are contradictory for gains {:g}-{:g} dB "
          "(the two-coil model needs 1 dB < delta P < 11 dB, got {:.2f} dB)",
          where, amp.nf_min_db, amp.nf_max_db, amp.gain_min_db, amp.gain_flatmax_db, delta_p));
    }
  }
  amp.nf1_db = nf1;
  amp.nf2_db = nf2;
  amp.delta_p_db = delta_p;
  return Status{};
}

Result<AmplifierModel> readAmplifier(const Reader& r) {
  LP_RETURN_IF_ERROR(r.isObject());
  AmplifierModel amp;
  LP_ASSIGN_OR_RETURN(amp.type_variety, r.text("type_variety"));
  LP_ASSIGN_OR_RETURN(std::string kind, r.text("type_def", "variable_gain"));
  LP_ASSIGN_OR_RETURN(amp.allowed_for_design, r.flag("allowed_for_design", false));
  LP_ASSIGN_OR_RETURN(amp.raman, r.flag("raman", false));
  LP_ASSIGN_OR_RETURN(amp.f_min_hz, r.number("f_min", amp.f_min_hz));
  LP_ASSIGN_OR_RETURN(amp.f_max_hz, r.number("f_max", amp.f_max_hz));
  static constexpr const char* kKinds[] = {"variable_gain",    "fixed_gain",
                                           "dual_stage",       "openroadm",
                                           "openroadm_preamp", "openroadm_booster"};
  if (std::find(std::begin(kKinds), std::end(kKinds), kind) == std::end(kKinds)) {
    return fail(invalidArgument(fmt::format(
        "{}/type_def: \"{}\" is not supported (variable_gain, fixed_gain, dual_stage, openroadm, "
        "openroadm_preamp, openroadm_booster)",
        r.where(), kind)));
  }
  if (kind == "dual_stage") {
    amp.kind = AmplifierModel::Kind::DualStage;
    LP_ASSIGN_OR_RETURN(amp.gain_min_db, r.number("gain_min"));
    return amp;  // stages are resolved once every amplifier is read
  }
  LP_ASSIGN_OR_RETURN(amp.gain_flatmax_db, r.number("gain_flatmax"));
  LP_ASSIGN_OR_RETURN(amp.gain_min_db, r.number("gain_min"));
  LP_ASSIGN_OR_RETURN(amp.p_max_dbm, r.number("p_max"));
  if (amp.gain_min_db > amp.gain_flatmax_db) {
    return fail(invalidArgument(fmt::format("{}/gain_min: {:g} dB is above gain_flatmax {:g} dB",
                                            r.where(), amp.gain_min_db, amp.gain_flatmax_db)));
  }
  if (kind == "variable_gain") {
    amp.kind = AmplifierModel::Kind::VariableGain;
    LP_ASSIGN_OR_RETURN(amp.nf_min_db, r.number("nf_min"));
    LP_ASSIGN_OR_RETURN(amp.nf_max_db, r.number("nf_max"));
    if (amp.nf_min_db > amp.nf_max_db) {
      return fail(invalidArgument(fmt::format("{}/nf_min: {:g} dB is above nf_max {:g} dB",
                                              r.where(), amp.nf_min_db, amp.nf_max_db)));
    }
    LP_RETURN_IF_ERROR(fitTwoCoils(amp, r.where()));
  } else if (kind == "fixed_gain") {
    amp.kind = AmplifierModel::Kind::FixedGain;
    LP_ASSIGN_OR_RETURN(amp.nf0_db, r.number("nf0"));
  } else if (kind == "openroadm") {
    amp.kind = AmplifierModel::Kind::OpenRoadm;
    const Json& coef = r.json().value("nf_coef", Json());
    if (!coef.is_array() || coef.empty()) {
      return fail(invalidArgument(r.where() + "/nf_coef: expected an array of numbers"));
    }
    for (std::size_t i = 0; i < coef.size(); ++i) {
      if (!coef[i].is_number()) {
        return fail(invalidArgument(fmt::format("{}/nf_coef/{}: expected a number", r.where(), i)));
      }
      amp.nf_coef.push_back(coef[i].get<double>());
    }
  } else if (kind == "openroadm_preamp") {
    amp.kind = AmplifierModel::Kind::OpenRoadmPreamp;
  } else {
    amp.kind = AmplifierModel::Kind::OpenRoadmBooster;
  }
  return amp;
}

Status readAmplifiers(const Json& doc, OpticalEquipment& eq, const std::string& source) {
  if (!doc.contains("Edfa")) {
    return invalidArgument(source + ": /Edfa: missing; the library needs amplifier models");
  }
  const Json& list = doc["Edfa"];
  if (!list.is_array()) return invalidArgument(source + ": /Edfa: expected an array");
  std::vector<std::pair<std::size_t, const Json*>> dual;
  for (std::size_t i = 0; i < list.size(); ++i) {
    Reader r(list[i], fmt::format("{}: /Edfa/{}", source, i));
    LP_RETURN_IF_ERROR(r.isObject());
    // Models that need data beyond this file: kept out unless a design may pick them.
    const std::string kind = list[i].value("type_def", std::string("variable_gain"));
    if (kind == "advanced_model" || kind == "multi_band") {
      LP_ASSIGN_OR_RETURN(bool allowed, r.flag("allowed_for_design", false));
      if (allowed) {
        return invalidArgument(
            fmt::format("{}/type_def: \"{}\" amplifiers are not supported for design; set "
                        "allowed_for_design to false",
                        r.where(), kind));
      }
      continue;
    }
    LP_ASSIGN_OR_RETURN(AmplifierModel amp, readAmplifier(r));
    if (eq.amplifier(amp.type_variety)) {
      return invalidArgument(
          fmt::format("{}/type_variety: \"{}\" is defined twice", r.where(), amp.type_variety));
    }
    if (amp.kind == AmplifierModel::Kind::DualStage)
      dual.emplace_back(eq.amplifiers.size(), &list[i]);
    eq.amplifiers.push_back(std::move(amp));
  }
  for (const auto& [index, json] : dual) {
    const std::string where = fmt::format("{}: /Edfa/{}", source, index);
    AmplifierModel& amp = eq.amplifiers[index];
    const Json& entry = *json;
    auto stage = [&](const char* key) -> Result<std::size_t> {
      Reader r(entry, where);
      LP_ASSIGN_OR_RETURN(std::string name, r.text(key));
      for (std::size_t i = 0; i < eq.amplifiers.size(); ++i) {
        if (eq.amplifiers[i].type_variety == name &&
            eq.amplifiers[i].kind != AmplifierModel::Kind::DualStage)
          return i;
      }
      return fail(invalidArgument(fmt::format(
          "{}/{}: \"{}\" is not a single-stage amplifier of this library", where, key, name)));
    };
    LP_ASSIGN_OR_RETURN(amp.preamp, stage("preamp_variety"));
    LP_ASSIGN_OR_RETURN(amp.booster, stage("booster_variety"));
    const AmplifierModel& pre = eq.amplifiers[amp.preamp];
    const AmplifierModel& boost = eq.amplifiers[amp.booster];
    amp.p_max_dbm = boost.p_max_dbm;
    amp.gain_flatmax_db = boost.gain_flatmax_db + pre.gain_flatmax_db;
    if (amp.gain_min_db < pre.gain_min_db) {
      return invalidArgument(
          fmt::format("{}/gain_min: {:g} dB is below its preamp's minimum gain {:g} dB", where,
                      amp.gain_min_db, pre.gain_min_db));
    }
  }
  if (std::none_of(eq.amplifiers.begin(), eq.amplifiers.end(),
                   [](const AmplifierModel& a) { return a.allowed_for_design; })) {
    return invalidArgument(source + ": /Edfa: no amplifier is allowed_for_design");
  }
  return Status{};
}

Status readFibers(const Json& doc, OpticalEquipment& eq, const std::string& source) {
  if (!doc.contains("Fiber")) return Status{};
  const Json& list = doc["Fiber"];
  if (!list.is_array()) return invalidArgument(source + ": /Fiber: expected an array");
  eq.fiber_types.clear();
  for (std::size_t i = 0; i < list.size(); ++i) {
    Reader r(list[i], fmt::format("{}: /Fiber/{}", source, i));
    LP_RETURN_IF_ERROR(r.isObject());
    FiberType type;
    LP_ASSIGN_OR_RETURN(type.type_variety, r.text("type_variety"));
    LP_ASSIGN_OR_RETURN(type.dispersion_s_per_m2, r.number("dispersion"));
    LP_ASSIGN_OR_RETURN(type.effective_area_m2, r.number("effective_area", type.effective_area_m2));
    if (r.has("gamma") && !r.has("effective_area")) {
      LP_ASSIGN_OR_RETURN(double gamma, r.number("gamma"));
      LP_RETURN_IF_ERROR(r.positive("gamma", gamma));
      // gamma = 2 pi n2 / (lambda Aeff) at 1550 nm, n2 = 2.6e-20 m^2/W (GNPy's FiberParams)
      type.effective_area_m2 = 2 * std::numbers::pi * 2.6e-20 / (1550e-9 * gamma);
    }
    LP_RETURN_IF_ERROR(r.positive("effective_area", type.effective_area_m2));
    eq.fiber_types.push_back(std::move(type));
  }
  return Status{};
}

Status readSpan(const Json& doc, OpticalEquipment& eq, const std::string& source) {
  LP_ASSIGN_OR_RETURN(auto found, defaultEntry(doc, "Span", source));
  if (!found) return Status{};
  const Reader& r = *found;
  LP_RETURN_IF_ERROR(r.isObject());
  SpanRules& s = eq.span;
  LP_ASSIGN_OR_RETURN(const bool power_mode, r.flag("power_mode", true));
  if (!power_mode) {
    return invalidArgument(r.where() +
                           "/power_mode: false (gain mode) is not supported; lines are designed "
                           "in power mode, GNPy's default");
  }
  if (r.has("delta_power_range_db")) {
    const Json& range = r.json()["delta_power_range_db"];
    if (!range.is_array() || range.size() != 3 || !range[0].is_number() || !range[1].is_number() ||
        !range[2].is_number() || range[0] > range[1] || range[2].get<double>() <= 0) {
      return invalidArgument(r.where() +
                             "/delta_power_range_db: expected [lower, upper, step] with "
                             "lower <= upper and a positive step");
    }
    s.delta_power_min_db = range[0].get<double>();
    s.delta_power_max_db = range[1].get<double>();
    s.delta_power_step_db = range[2].get<double>();
  }
  LP_ASSIGN_OR_RETURN(s.target_extended_gain_db, r.number("target_extended_gain", 2.5));
  LP_ASSIGN_OR_RETURN(s.max_length_km, r.number("max_length", 150));
  LP_ASSIGN_OR_RETURN(std::string units, r.text("length_units", "km"));
  if (units == "m") {
    s.max_length_km /= 1000;
  } else if (units != "km") {
    return invalidArgument(
        fmt::format("{}/length_units: expected \"km\" or \"m\", got \"{}\"", r.where(), units));
  }
  LP_RETURN_IF_ERROR(r.positive("max_length", s.max_length_km));
  LP_ASSIGN_OR_RETURN(s.padding_db, r.number("padding", 10));
  LP_ASSIGN_OR_RETURN(s.eol_db, r.number("EOL", 0));
  LP_ASSIGN_OR_RETURN(s.con_in_db, r.number("con_in", 0));
  LP_ASSIGN_OR_RETURN(s.con_out_db, r.number("con_out", 0));
  LP_ASSIGN_OR_RETURN(s.span_loss_ref_db, r.number("span_loss_ref", 20));
  LP_ASSIGN_OR_RETURN(s.power_slope, r.number("power_slope", 0.3));
  LP_ASSIGN_OR_RETURN(s.max_fiber_lineic_loss_for_raman_db_per_km,
                      r.number("max_fiber_lineic_loss_for_raman", 0.25));
  return Status{};
}

Status readRoadm(const Json& doc, OpticalEquipment& eq, const std::string& source) {
  LP_ASSIGN_OR_RETURN(auto found, defaultEntry(doc, "Roadm", source));
  if (!found) return Status{};
  const Reader& r = *found;
  LP_RETURN_IF_ERROR(r.isObject());
  if (!r.has("target_pch_out_db")) {
    return invalidArgument(r.where() +
                           "/target_pch_out_db: missing (per-channel power equalisation is the "
                           "one ROADM policy supported)");
  }
  LP_ASSIGN_OR_RETURN(eq.roadm.target_pch_out_dbm, r.number("target_pch_out_db"));
  LP_ASSIGN_OR_RETURN(eq.roadm.add_drop_osnr_db, r.number("add_drop_osnr"));
  if (r.has("restrictions")) {
    const Json& restrictions = r.json()["restrictions"];
    if (!restrictions.is_object())
      return invalidArgument(r.where() + "/restrictions: expected an object");
    if (restrictions.contains("booster_variety_list")) {
      LP_ASSIGN_OR_RETURN(eq.roadm.booster_restrictions,
                          r.names(restrictions["booster_variety_list"],
                                  r.where() + "/restrictions/booster_variety_list"));
    }
    if (restrictions.contains("preamp_variety_list")) {
      LP_ASSIGN_OR_RETURN(eq.roadm.preamp_restrictions,
                          r.names(restrictions["preamp_variety_list"],
                                  r.where() + "/restrictions/preamp_variety_list"));
    }
  }
  for (const auto* names : {&eq.roadm.booster_restrictions, &eq.roadm.preamp_restrictions}) {
    for (const std::string& name : *names) {
      if (!eq.amplifier(name)) {
        return invalidArgument(fmt::format(
            "{}/restrictions: \"{}\" is not an amplifier of this library", r.where(), name));
      }
    }
  }
  return Status{};
}

Status readLoad(const Json& doc, OpticalEquipment& eq, const std::string& source) {
  LP_ASSIGN_OR_RETURN(auto found, defaultEntry(doc, "SI", source));
  if (!found) return Status{};
  const Reader& r = *found;
  LP_RETURN_IF_ERROR(r.isObject());
  ChannelLoad& l = eq.load;
  LP_ASSIGN_OR_RETURN(l.f_min_hz, r.number("f_min"));
  LP_ASSIGN_OR_RETURN(l.f_max_hz, r.number("f_max"));
  LP_ASSIGN_OR_RETURN(l.baud_hz, r.number("baud_rate"));
  LP_ASSIGN_OR_RETURN(l.spacing_hz, r.number("spacing"));
  LP_ASSIGN_OR_RETURN(l.power_dbm, r.number("power_dbm", 0));
  LP_ASSIGN_OR_RETURN(l.tx_osnr_db, r.number("tx_osnr", 40));
  LP_ASSIGN_OR_RETURN(l.sys_margins_db, r.number("sys_margins", 0));
  LP_RETURN_IF_ERROR(r.positive("baud_rate", l.baud_hz));
  LP_RETURN_IF_ERROR(r.positive("spacing", l.spacing_hz));
  if (l.baud_hz > l.spacing_hz) {
    return invalidArgument(fmt::format("{}/baud_rate: {:g} GBd does not fit the {:g} GHz spacing",
                                       r.where(), l.baud_hz / 1e9, l.spacing_hz / 1e9));
  }
  if (l.f_max_hz - l.f_min_hz < l.spacing_hz) {
    return invalidArgument(r.where() + "/f_max: the band from f_min to f_max holds no channel");
  }
  if (l.sys_margins_db < 0)
    return invalidArgument(r.where() + "/sys_margins: must not be negative");
  return Status{};
}

Status readTransceivers(const Json& doc, OpticalEquipment& eq, const std::string& source) {
  if (!doc.contains("Transceiver")) return Status{};
  const Json& list = doc["Transceiver"];
  if (!list.is_array()) return invalidArgument(source + ": /Transceiver: expected an array");
  for (std::size_t i = 0; i < list.size(); ++i) {
    Reader r(list[i], fmt::format("{}: /Transceiver/{}", source, i));
    LP_RETURN_IF_ERROR(r.isObject());
    LP_ASSIGN_OR_RETURN(std::string variety, r.text("type_variety"));
    const Json& modes = list[i].value("mode", Json());
    if (!modes.is_array() || modes.empty()) {
      return invalidArgument(r.where() + "/mode: expected a non-empty array of modes");
    }
    for (std::size_t m = 0; m < modes.size(); ++m) {
      Reader mode(modes[m], fmt::format("{}/mode/{}", r.where(), m));
      LP_RETURN_IF_ERROR(mode.isObject());
      LP_ASSIGN_OR_RETURN(std::string format, mode.text("format"));
      LP_ASSIGN_OR_RETURN(double baud, mode.number("baud_rate"));
      LP_ASSIGN_OR_RETURN(double osnr, mode.number("OSNR"));
      LP_ASSIGN_OR_RETURN(double bit_rate, mode.number("bit_rate"));
      LP_ASSIGN_OR_RETURN(double spacing, mode.number("min_spacing"));
      LP_RETURN_IF_ERROR(mode.positive("baud_rate", baud));
      LP_RETURN_IF_ERROR(mode.positive("bit_rate", bit_rate));
      if (spacing < baud) {
        return invalidArgument(
            fmt::format("{}/min_spacing: {:g} GHz is narrower than the {:g} GBd signal",
                        mode.where(), spacing / 1e9, baud / 1e9));
      }
      TransceiverSpec spec;
      spec.id = fmt::format("{} {}", variety, format);
      spec.name =
          fmt::format("{} {} ({:g}G, {:g} GBd)", variety, format, bit_rate / 1e9, baud / 1e9);
      spec.line_rate = Gbps(bit_rate / 1e9);
      spec.baud_gbd = baud / 1e9;
      spec.slot_width = GHz(spacing / 1e9);
      spec.min_gsnr = Db(osnr);
      spec.reach = Km(1e6);  // GSNR decides
      spec.origin = mode.where();
      eq.transceivers.push_back(std::move(spec));
    }
  }
  return Status{};
}

}  // namespace

Result<OpticalEquipment> readGnpyEquipment(std::string_view text, std::string_view source_view) {
  const std::string source(source_view);
  LP_ASSIGN_OR_RETURN(Json doc, io::parseJson(text, source));
  if (!doc.is_object()) {
    return fail(invalidArgument(source + ": expected a GNPy equipment object (\"Edfa\", ...)"));
  }
  OpticalEquipment eq;
  eq.source = source;
  eq.fiber_types = {FiberType{"SSMF"}};
  LP_RETURN_IF_ERROR(readAmplifiers(doc, eq, source));
  LP_RETURN_IF_ERROR(readFibers(doc, eq, source));
  LP_RETURN_IF_ERROR(readSpan(doc, eq, source));
  LP_RETURN_IF_ERROR(readRoadm(doc, eq, source));
  LP_RETURN_IF_ERROR(readLoad(doc, eq, source));
  LP_RETURN_IF_ERROR(readTransceivers(doc, eq, source));
  return eq;
}

Result<OpticalEquipment> loadEquipment(const std::string& path) {
  if (path.empty()) return readGnpyEquipment(defaultEquipmentJson(), "equipment.json");
  LP_ASSIGN_OR_RETURN(std::string text, readFileText(path));
  return readGnpyEquipment(text, path);
}

const OpticalEquipment& defaultEquipment() {
  static const OpticalEquipment kDefault = [] {
    auto equipment = loadEquipment("");
    if (!equipment) std::abort();  // the compiled-in file is tested; it cannot fail here
    return *std::move(equipment);
  }();
  return kDefault;
}

}  // namespace lightpath
