// The GNPy equipment reader: the default library, GNPy's own file when present, and refusals
// that name the JSON pointer and the reason.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "lightpath/io/demo_network.h"
#include "lightpath/io/topology_io.h"

namespace lightpath {
namespace {

TEST(GnpyEquipment, TheDefaultLibraryIsGnpysDesignSet) {
  const OpticalEquipment& eq = defaultEquipment();
  const AmplifierModel* low = eq.amplifier("std_low_gain");
  ASSERT_NE(low, nullptr);
  EXPECT_TRUE(low->allowed_for_design);
  EXPECT_EQ(low->kind, AmplifierModel::Kind::VariableGain);
  // GNPy's two-coil fit checks: nf_min at gain_flatmax, nf_max at the low end.
  EXPECT_GT(low->nf2_db, low->nf1_db);
  const AmplifierModel* hybrid = eq.amplifier("hybrid_4pumps_lowgain");
  ASSERT_NE(hybrid, nullptr);
  EXPECT_TRUE(hybrid->raman);
  EXPECT_EQ(eq.amplifiers[hybrid->booster].type_variety, "std_low_gain");
  EXPECT_DOUBLE_EQ(hybrid->gain_flatmax_db, 16 + 12);
  EXPECT_DOUBLE_EQ(eq.roadm.target_pch_out_dbm, -20);
  EXPECT_DOUBLE_EQ(eq.load.sys_margins_db, 2);
  EXPECT_DOUBLE_EQ(eq.fiberType("NZDF").dispersion_s_per_m2, 0.5e-5);
  EXPECT_EQ(eq.fiberType("unknown fiber").type_variety, "SSMF");
  EXPECT_TRUE(eq.transceivers.empty());  // the catalog stays transceivers.yaml
}

TEST(GnpyEquipment, ReadsGnpysOwnFileWithItsTransceiverModes) {
  const std::string file = std::string(LIGHTPATH_GNPY) + "/src/gnpy/example-data/eqpt_config.json";
  if (!std::filesystem::exists(file))
    GTEST_SKIP() << "GNPy's example data is not beside the repository";
  auto eq = loadEquipment(file);
  ASSERT_TRUE(eq) << eq.error().toString();
  EXPECT_NE(eq->amplifier("openroadm_ila_low_noise"), nullptr);
  bool voyager = false;
  for (const TransceiverSpec& t : eq->transceivers) {
    if (t.id == "Voyager mode 3") {
      voyager = true;
      EXPECT_DOUBLE_EQ(t.line_rate.value(), 300);
      EXPECT_DOUBLE_EQ(t.baud_gbd, 44);
      EXPECT_DOUBLE_EQ(t.min_gsnr.value(), 18);
    }
  }
  EXPECT_TRUE(voyager);
}

std::string refusal(std::string_view text) {
  auto eq = readGnpyEquipment(text, "eqpt.json");
  return eq ? std::string("accepted") : eq.error().message();
}

TEST(GnpyEquipment, RefusesMissingAndContradictoryEntries) {
  constexpr std::string_view kAmp =
      R"({"type_variety": "a", "type_def": "variable_gain", "gain_flatmax": 26, "gain_min": 15,
          "p_max": 23, "nf_min": 6, "nf_max": 10, "allowed_for_design": true})";
  auto with = [&](std::string_view amp, std::string_view rest = "") {
    return fmt::format(R"({{"Edfa": [{}]{}}})", amp, rest);
  };
  EXPECT_EQ(refusal(with(kAmp)), "accepted");
  EXPECT_EQ(refusal("{}"), "eqpt.json: /Edfa: missing; the library needs amplifier models");
  EXPECT_EQ(refusal(with(R"({"type_variety": "a", "gain_flatmax": 26, "gain_min": 15,
                             "p_max": 23, "nf_max": 10})")),
            "eqpt.json: /Edfa/0/nf_min: missing");
  EXPECT_EQ(refusal(with(R"({"type_variety": "a", "gain_flatmax": 26, "gain_min": 15,
                             "p_max": "high", "nf_min": 6, "nf_max": 10})")),
            "eqpt.json: /Edfa/0/p_max: expected a number");
  EXPECT_EQ(refusal(with(R"({"type_variety": "a", "gain_flatmax": 10, "gain_min": 15,
                             "p_max": 23, "nf_min": 6, "nf_max": 10})")),
            "eqpt.json: /Edfa/0/gain_min: 15 dB is above gain_flatmax 10 dB");
  EXPECT_EQ(refusal(with(R"({"type_variety": "a", "gain_flatmax": 26, "gain_min": 15,
                             "p_max": 23, "nf_min": 12, "nf_max": 10})")),
            "eqpt.json: /Edfa/0/nf_min: 12 dB is above nf_max 10 dB");
  EXPECT_NE(refusal(with(R"({"type_variety": "a", "gain_flatmax": 26, "gain_min": 15,
                             "p_max": 23, "nf_min": 3, "nf_max": 3.1, "allowed_for_design": true})"))
                .find("/Edfa/0: nf_min 3 dB and nf_max 3.1 dB"),
            std::string::npos);
  EXPECT_EQ(refusal(with(R"({"type_variety": "d", "type_def": "dual_stage", "gain_min": 25,
                             "preamp_variety": "nope", "booster_variety": "a"})")),
            "eqpt.json: /Edfa/0/preamp_variety: \"nope\" is not a single-stage amplifier of this "
            "library");
  EXPECT_EQ(refusal(with(R"({"type_variety": "a", "type_def": "magic"})")),
            "eqpt.json: /Edfa/0/type_def: \"magic\" is not supported (variable_gain, fixed_gain, "
            "dual_stage, openroadm, openroadm_preamp, openroadm_booster)");
  EXPECT_EQ(refusal(with(kAmp, R"(, "SI": [{"f_min": 191.3e12, "f_max": 195.1e12,
                                     "baud_rate": 64e9, "spacing": 50e9}])")),
            "eqpt.json: /SI/0/baud_rate: 64 GBd does not fit the 50 GHz spacing");
  EXPECT_EQ(refusal(with(kAmp, R"(, "Roadm": [{"target_pch_out_db": -20, "add_drop_osnr": 38,
      "restrictions": {"preamp_variety_list": ["ghost"], "booster_variety_list": []}}])")),
            "eqpt.json: /Roadm/0/restrictions: \"ghost\" is not an amplifier of this library");
  EXPECT_EQ(refusal(with(kAmp, R"(, "Transceiver": [{"type_variety": "t", "mode": [
      {"format": "m", "baud_rate": 64e9, "OSNR": 20, "bit_rate": 400e9, "min_spacing": 50e9}]}])")),
            "eqpt.json: /Transceiver/0/mode/0/min_spacing: 50 GHz is narrower than the 64 GBd "
            "signal");
  EXPECT_EQ(refusal(with(R"({"type_variety": "a", "gain_flatmax": 26, "gain_min": 15,
                             "p_max": 23, "nf_min": 6, "nf_max": 10})")),
            "eqpt.json: /Edfa: no amplifier is allowed_for_design");
  EXPECT_NE(refusal("{\"Edfa\": [").find("not valid JSON"), std::string::npos);
  // Gain mode would design other lines than GNPy's default: refused, not ignored.
  EXPECT_EQ(refusal(with(kAmp, R"(, "Span": [{"power_mode": false}])")),
            "eqpt.json: /Span/0/power_mode: false (gain mode) is not supported; lines are "
            "designed in power mode, GNPy's default");
  // The default entry is read, and pointed at, where it stands.
  EXPECT_EQ(refusal(with(kAmp, R"(, "Roadm": [{"type_variety": "other", "target_pch_out_db": -18,
      "add_drop_osnr": 35}, {"target_pch_out_db": "low", "add_drop_osnr": 38}])")),
            "eqpt.json: /Roadm/1/target_pch_out_db: expected a number");
}

}  // namespace
}  // namespace lightpath
