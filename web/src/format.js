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
