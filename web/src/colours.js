// The colours the script computes. Every fixed colour of the page (site kinds, routes, states)
// is a CSS variable in style.css, used through classes; only what depends on data is here.

// Grey-blue when idle, amber at 30%, red from 70%: the range where operators must act.
export const UTILIZATION_STOPS = [0, 0.3, 0.7];
export const IDLE_FIBER = "#6b7b8c";

export function utilizationColour(u) {
  if (u === undefined) return IDLE_FIBER;
  const stops = [[0, [96, 125, 139]], [0.3, [232, 150, 12]], [0.7, [179, 38, 30]]];
  const x = Math.max(0, Math.min(0.7, u));
  const i = x <= 0.3 ? 0 : 1;
  const [x0, c0] = stops[i];
  const [x1, c1] = stops[i + 1];
  const t = (x - x0) / (x1 - x0);
  const c = c0.map((v, k) => Math.round(v + (c1[k] - v) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

// One colour per connection on a fiber's spectrum (the caller's own; others' are only counted).
export const SPECTRUM_PALETTE = ["#0b5cad", "#7b2cbf", "#2b8a3e", "#d9480f", "#c2255c", "#1098ad", "#5c940d", "#862e9c"];
