// A small SVG writer for blocking curves: no dependencies, readable in any browser.
#include "lightpath/sim/plot.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace lightpath {
namespace {

constexpr double kWidth = 720, kHeight = 480;
constexpr double kLeft = 80, kRight = 190, kTop = 50, kBottom = 60;
constexpr const char* kColours[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                    "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

std::string escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

std::string blockingPlotSvg(const std::string& title, const std::vector<PlotSeries>& series) {
  double min_load = 1e300, max_load = -1e300, min_b = 1e300, max_b = 0;
  for (const PlotSeries& s : series) {
    for (const PlotPoint& p : s.points) {
      min_load = std::min(min_load, p.load);
      max_load = std::max(max_load, p.load);
      if (p.blocking > 0) min_b = std::min(min_b, std::max(1e-6, p.blocking - p.ci95));
      max_b = std::max(max_b, p.blocking + p.ci95);
    }
  }
  if (min_load > max_load) min_load = 0, max_load = 1;
  if (min_load == max_load) min_load -= 1, max_load += 1;
  if (max_b <= 0) max_b = 1e-2;
  if (min_b > max_b) min_b = max_b / 10;
  // Whole decades on the log axis.
  const int low_decade = static_cast<int>(std::floor(std::log10(min_b)));
  const int high_decade = std::max(low_decade + 1, static_cast<int>(std::ceil(std::log10(max_b))));
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto x = [&](double load) { return kLeft + (load - min_load) / (max_load - min_load) * plot_w; };
  auto y = [&](double b) {
    const double lb = std::log10(std::max(b, std::pow(10.0, low_decade)));
    return kTop + plot_h - (lb - low_decade) / (high_decade - low_decade) * plot_h;
  };

  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} "
      "{1}\" "
      "font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" "
      "fill=\"white\"/>\n"
      "<text x=\"{2}\" y=\"28\" font-size=\"16\" text-anchor=\"middle\">{3}</text>\n",
      kWidth, kHeight, kLeft + plot_w / 2, escape(title));
  // Grid and axes.
  for (int d = low_decade; d <= high_decade; ++d) {
    const double yy = y(std::pow(10.0, d));
    svg += fmt::format("<line x1=\"{}\" y1=\"{:.1f}\" x2=\"{}\" y2=\"{:.1f}\" stroke=\"#ddd\"/>\n",
                       kLeft, yy, kLeft + plot_w, yy);
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\" text-anchor=\"end\">1e{}</text>\n", kLeft - 8,
                       yy + 4, d);
  }
  for (int i = 0; i <= 5; ++i) {
    const double load = min_load + (max_load - min_load) * i / 5.0;
    svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">{:g}</text>\n", x(load),
                       kTop + plot_h + 20, std::round(load * 10) / 10);
  }
  svg += fmt::format(
      "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"black\"/>\n",
      kLeft, kTop, plot_w, plot_h);
  svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" text-anchor=\"middle\">load (Erlang)</text>\n",
                     kLeft + plot_w / 2, kHeight - 15);
  svg += fmt::format(
      "<text transform=\"translate(20,{:.1f}) rotate(-90)\" text-anchor=\"middle\">"
      "blocking probability</text>\n",
      kTop + plot_h / 2);
  // One polyline per series, with 95% confidence bars and a legend entry.
  for (std::size_t i = 0; i < series.size(); ++i) {
    const char* colour = kColours[i % std::size(kColours)];
    std::string points;
    for (const PlotPoint& p : series[i].points) {
      points += fmt::format("{:.1f},{:.1f} ", x(p.load), y(p.blocking));
      svg += fmt::format(
          "<line x1=\"{0:.1f}\" y1=\"{1:.1f}\" x2=\"{0:.1f}\" y2=\"{2:.1f}\" stroke=\"{3}\"/>\n",
          x(p.load), y(std::max(p.blocking - p.ci95, 1e-12)), y(p.blocking + p.ci95), colour);
      svg += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" fill=\"{}\"/>\n", x(p.load),
                         y(p.blocking), colour);
    }
    svg += fmt::format("<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>\n",
                       points, colour);
    const double ly = kTop + 10 + 22.0 * i;
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"{1:.1f}\" x2=\"{2}\" y2=\"{1:.1f}\" stroke=\"{3}\" "
        "stroke-width=\"3\"/>\n",
        kLeft + plot_w + 15, ly, kLeft + plot_w + 40, colour);
    svg += fmt::format("<text x=\"{}\" y=\"{:.1f}\">{}</text>\n", kLeft + plot_w + 48, ly + 4,
                       escape(series[i].label));
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace lightpath
