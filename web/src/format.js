// How values read on the page.
import { html } from "./html.js";

export function money(price) {
  return price ? `${price.monthly.toLocaleString("en-US", { maximumFractionDigits: 0 })} ${price.currency}` : "–";
}

export function rate(mbps) {
  return mbps >= 1000 ? `${mbps / 1000} Gb/s` : `${mbps} Mb/s`;
}

export function badge(s) {
  return html`<span class="badge ${s}">${s.replace("_", " ")}</span>`;
}
