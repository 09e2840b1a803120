// How values read on the page.
import { html } from "./html.js";

// A price as it recurs: by the hour for hourly terms, else by the month.
export function money(price) {
  if (!price) return "–";
  if (price.term === "hourly") {
    return `${price.hourly.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${price.currency} an hour`;
  }
  return `${price.monthly.toLocaleString("en-US", { maximumFractionDigits: 0 })} ${price.currency} a month`;
}

export function rate(mbps) {
  return mbps >= 1000 ? `${mbps / 1000} Gb/s` : `${mbps} Mb/s`;
}

export function badge(s) {
  return html`<span class="badge ${s}">${s.replace("_", " ")}</span>`;
}

// A bar for a share (0-1) and the share in per cent. The page's policy allows no inline styles,
// so the width is set from data-width by fillMeters() once the markup is in the page.
export function meter(fraction, digits = 1) {
  const percent = (Math.min(1, Math.max(0, fraction)) * 100).toFixed(digits);
  return html`<span class="meter" aria-hidden="true"><span data-width="${percent}"></span></span>${percent}%`;
}

export function fillMeters(element) {
  element.querySelectorAll(".meter [data-width]").forEach((e) => (e.style.width = `${e.dataset.width}%`));
}
