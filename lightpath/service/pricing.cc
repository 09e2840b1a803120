// Price book parsing and the pricing function.
#include "lightpath/service/pricing.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>

#include "lightpath/service/internal/default_price_book.h"

namespace lightpath {
namespace {

constexpr double kHoursPerMonth = 730.0;

double round2(double v) { return std::round(v * 100.0) / 100.0; }

}  // namespace

Result<PriceBook> parsePriceBook(std::string_view yaml, std::string_view source) {
  PriceBook book;
  std::string where;  // the field being read, for messages
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    auto field = [&](const YAML::Node& node, const char* name,
                     const std::string& path) -> YAML::Node {
      where = path;
      if (!node[name]) throw YAML::Exception(node.Mark(), "missing '" + std::string(name) + "'");
      return node[name];
    };
    auto number = [&](const YAML::Node& node, const std::string& path) {
      where = path;
      const double v = node.as<double>();
      if (!std::isfinite(v) || v < 0)
        throw YAML::Exception(node.Mark(), "must be a non-negative number");
      return v;
    };
    book.currency = field(root, "currency", "currency").as<std::string>();
    const YAML::Node wave = field(root, "wavelength", "wavelength");
    for (const auto& kv : field(wave, "base", "wavelength.base")) {
      book.wavelength_base[kv.first.as<int>()] = number(kv.second, "wavelength.base");
    }
    for (const auto& kv : field(wave, "per_km", "wavelength.per_km")) {
      book.wavelength_per_km[kv.first.as<int>()] = number(kv.second, "wavelength.per_km");
    }
    book.wavelength_setup = number(field(wave, "setup", "wavelength.setup"), "wavelength.setup");
    for (auto [name, bands, minimum, setup] :
         {std::tuple{"ethernet", &book.ethernet_bands, &book.ethernet_minimum,
                     &book.ethernet_setup},
          std::tuple{"cloud", &book.cloud_bands, &book.cloud_minimum, &book.cloud_setup}}) {
      const YAML::Node section = field(root, name, name);
      const std::string path = std::string(name) + ".per_gbps_by_distance";
      double previous = 0;
      for (const YAML::Node& band : field(section, "per_gbps_by_distance", path)) {
        DistanceBand b{number(field(band, "up_to_km", path), path),
                       number(field(band, "price", path), path)};
        if (b.up_to_km <= previous)
          throw YAML::Exception(band.Mark(), "bands must go up in distance");
        previous = b.up_to_km;
        bands->push_back(b);
      }
      if (bands->empty()) throw YAML::Exception(section.Mark(), "needs at least one distance band");
      *minimum = number(field(section, "minimum", std::string(name) + ".minimum"),
                        std::string(name) + ".minimum");
      *setup = number(field(section, "setup", std::string(name) + ".setup"),
                      std::string(name) + ".setup");
    }
    book.protection_share =
        number(field(root, "protection_share", "protection_share"), "protection_share");
    const YAML::Node terms = field(root, "terms", "terms");
    book.hourly_multiplier = number(field(terms, "hourly", "terms.hourly"), "terms.hourly");
    for (const char* months : {"1", "12", "36"}) {
      book.term_multipliers[months] =
          number(field(terms, months, std::string("terms.") + months), "terms");
    }
    // Two-year terms are sold by some and not others: offered when the book prices them.
    if (terms["24"]) book.term_multipliers["24"] = number(terms["24"], "terms.24");
    if (const YAML::Node encryption = root["encryption"]) {
      for (const auto& kv : encryption) {
        const std::string mode = kv.first.as<std::string>();
        where = "encryption." + mode;
        if (mode != "macsec" && mode != "layer1")
          throw YAML::Exception(kv.first.Mark(), "an encryption mode is macsec or layer1");
        book.encryption_monthly[mode] = number(kv.second, where);
      }
    }
    if (const YAML::Node sla = root["sla"]) {
      for (const auto& kv : sla) {
        const std::string name = kv.first.as<std::string>();
        const std::string path = "sla." + name;
        SlaClass c{.name = name};
        c.availability_percent =
            number(field(kv.second, "availability", path + ".availability"), path);
        if (c.availability_percent > 100)
          throw YAML::Exception(kv.second.Mark(), "availability is a percentage (at most 100)");
        c.priority = static_cast<int>(number(field(kv.second, "priority", path), path));
        c.latency_credit_percent = kv.second["latency_credit"] ? number(kv.second["latency_credit"],
                                                                        path + ".latency_credit")
                                                               : 0;
        for (const YAML::Node& credit : field(kv.second, "credits", path + ".credits")) {
          c.credits.push_back({number(field(credit, "below", path + ".credits"), path),
                               number(field(credit, "percent", path + ".credits"), path)});
        }
        book.sla_classes.push_back(std::move(c));
      }
    }
    if (!book.slaClass("standard")) {  // the default class of every order
      book.sla_classes.push_back({.name = "standard",
                                  .availability_percent = 99.9,
                                  .priority = 1000,
                                  .credits = {},
                                  .latency_credit_percent = 0});
    }
    std::stable_sort(book.sla_classes.begin(), book.sla_classes.end(),
                     [](const SlaClass& a, const SlaClass& b) { return a.priority < b.priority; });
  } catch (const YAML::Exception& e) {
    return fail(invalidArgument(fmt::format("{}:{}: {}{}", source, e.mark.line + 1,
                                            where.empty() ? "" : where + ": ", e.msg)));
  } catch (const std::exception& e) {
    return fail(invalidArgument(
        fmt::format("{}: {}{}", source, where.empty() ? "" : where + ": ", e.what())));
  }
  return book;
}

const SlaClass* PriceBook::slaClass(std::string_view name) const {
  for (const SlaClass& c : sla_classes) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Result<PriceBook> defaultPriceBook() {
  return parsePriceBook(defaultPriceBookYaml(), "price-book.yaml");
}

Result<Quote> priceConnection(const PriceBook& book, const QuoteInput& in) {
  if (!(in.route_km >= 0) || !(in.protection_km >= 0) || !std::isfinite(in.route_km) ||
      !std::isfinite(in.protection_km)) {
    return fail(invalidArgument("route lengths must be non-negative"));
  }
  const bool hourly = in.term == "hourly";
  auto term = book.term_multipliers.find(in.term);
  if (!hourly && term == book.term_multipliers.end()) {
    std::string offered = "hourly";
    for (const auto& [months, multiplier] : book.term_multipliers) offered += ", " + months;
    return fail(invalidArgument(fmt::format("term: this price book offers {} (months), not '{}'",
                                            offered, in.term.substr(0, 40))));
  }
  Quote q{.currency = book.currency, .term = in.term};
  // The recurring price of one path of `km`.
  auto pathPrice = [&](double km, const std::string& leg) -> Result<double> {
    if (in.kind == ConnectionKind::Wavelength) {
      const int gbps = static_cast<int>(in.bandwidth_mbps / 1000);
      auto base = book.wavelength_base.find(gbps);
      auto per_km = book.wavelength_per_km.find(gbps);
      if (base == book.wavelength_base.end() || per_km == book.wavelength_per_km.end()) {
        return fail(invalidArgument(fmt::format("the price book has no {} Gb/s wavelength", gbps)));
      }
      q.lines.push_back({fmt::format("{} {}G wavelength base", leg, gbps), base->second});
      q.lines.push_back({fmt::format("{} {:.0f} km x {:g}", leg, km, per_km->second),
                         round2(km * per_km->second)});
      return base->second + round2(km * per_km->second);
    }
    const auto& bands = in.kind == ConnectionKind::Cloud ? book.cloud_bands : book.ethernet_bands;
    const double minimum =
        in.kind == ConnectionKind::Cloud ? book.cloud_minimum : book.ethernet_minimum;
    const DistanceBand* band = &bands.back();
    for (const DistanceBand& b : bands) {
      if (km <= b.up_to_km) {
        band = &b;
        break;
      }
    }
    const double gbps = static_cast<double>(in.bandwidth_mbps) / 1000.0;
    const double price = std::max(minimum, round2(gbps * band->price_per_gbps));
    q.lines.push_back(
        {fmt::format("{} {:g} Gb/s x {:g} (up to {:g} km){}", leg, gbps, band->price_per_gbps,
                     band->up_to_km, price == minimum ? ", minimum" : ""),
         price});
    return price;
  };
  LP_ASSIGN_OR_RETURN(auto working, pathPrice(in.route_km, "working"));
  double monthly = working;
  if (in.protection_km > 0) {
    auto protection = pathPrice(in.protection_km, "protection");
    if (!protection) return fail(protection.error());
    const double share = round2(*protection * book.protection_share);
    q.lines.push_back(
        {fmt::format("1+1 protection at {:g} of the protection path", book.protection_share),
         share});
    monthly += share;
  }
  if (in.encryption != Encryption::None) {
    const std::string mode(toString(in.encryption));
    auto price = book.encryption_monthly.find(mode);
    if (price == book.encryption_monthly.end())
      return fail(
          invalidArgument(fmt::format("encryption: the price book does not sell {}", mode)));
    q.lines.push_back({in.encryption == Encryption::Macsec
                           ? "MACsec encryption, keys managed and rotated"
                           : "layer-1 encryption, keys managed and rotated",
                       price->second});
    monthly += price->second;
  }
  q.setup = in.kind == ConnectionKind::Wavelength ? book.wavelength_setup
            : in.kind == ConnectionKind::Cloud    ? book.cloud_setup
                                                  : book.ethernet_setup;
  if (q.setup > 0) q.lines.push_back({"one-off setup", q.setup});
  if (hourly) {
    q.hourly = round2(monthly / kHoursPerMonth * book.hourly_multiplier);
    q.lines.push_back(
        {fmt::format("hourly: monthly / {:g} x {:g}", kHoursPerMonth, book.hourly_multiplier),
         q.hourly});
    q.total_for_term = round2(q.setup + q.hourly);
  } else {
    q.monthly = round2(monthly * term->second);
    if (term->second != 1.0) {
      q.lines.push_back({fmt::format("{}-month term x {:g}", in.term, term->second),
                         round2(q.monthly - monthly)});
    }
    q.total_for_term = round2(q.setup + q.monthly * std::stoi(in.term));
  }
  return q;
}

}  // namespace lightpath
