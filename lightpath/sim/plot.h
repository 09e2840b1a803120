// Blocking probability against load, one line per policy, as a standalone SVG (log scale,
// 95% confidence bars, legend), for reports and the portal.
#pragma once

#include <string>
#include <vector>

namespace lightpath {

struct PlotPoint {
  double load = 0;
  double blocking = 0;
  double ci95 = 0;
};

struct PlotSeries {
  std::string label;
  std::vector<PlotPoint> points;
};

std::string blockingPlotSvg(const std::string& title, const std::vector<PlotSeries>& series);

}  // namespace lightpath
