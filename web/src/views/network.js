// The network view: the legend, a site selected on the map, and a fiber's spectrum.
import { api } from "../api.js";
import { SPECTRUM_PALETTE, UTILIZATION_STOPS, utilizationColour } from "../colours.js";
import { html, raw, setHtml } from "../html.js";
import { fiberText } from "../map.js";
import { $, state } from "../state.js";

export function drawLegend() {
  const kinds = [["pop", "PoP"], ["datacenter", "data center"], ["cloud_onramp", "cloud on-ramp"], ["enterprise", "enterprise"]];
  const utilization = state.role === "operator"
    ? UTILIZATION_STOPS.map((u, i) => html`<span><span class="bar" data-u="${u}"></span>${u * 100}%${i === UTILIZATION_STOPS.length - 1 ? "+" : ""} of spectrum used</span>`)
    : [];
  setHtml($("legend"), [
    kinds.map(([k, label]) => html`<span><span class="swatch kind ${k}"></span>${label}</span>`),
    utilization,
    html`<span><span class="bar route-working"></span>path</span><span><span class="bar route-protection"></span>protection path</span>`,
    html`<span><span class="bar fiber-cut"></span>cut fiber</span>`,
  ]);
  $("legend").querySelectorAll("[data-u]").forEach((e) => (e.style.background = utilizationColour(Number(e.dataset.u))));
}

export async function showSite(site) {
  location.hash = "#/map";
  const r = await api("GET", `/v1/locations/${encodeURIComponent(site.id)}`);
  const ports = r.status === 200 ? r.body.ports : [];
  setHtml($("selection"), [
    html`<h3>${site.name}</h3><p>${site.kind.replace("_", " ")}${site.metro ? ` · ${site.metro}` : ""}${site.provider ? ` · ${site.provider} ${site.region || ""}` : ""}</p>`,
    ports.length ? html`<p>Ports you may use: ${ports.join(", ")}</p>` : html`<p>No ports of yours here.</p>`,
  ]);
}

export async function showSpectrum(fiberId) {
  const f = state.topology.fibers.find((x) => x.id === fiberId);
  state.map.select(fiberId);
  const r = await api("GET", `/v1/fibers/${encodeURIComponent(fiberId)}/spectrum`);
  if (!f || r.status !== 200) {
    $("spectrum-title").textContent = "No such fiber";
    return;
  }
  const s = r.body;
  const used = s.used_slots;
  $("spectrum-title").textContent = `Spectrum of ${fiberId}`;
  setHtml($("spectrum-summary"), html`${raw(fiberText(f).replace(/<br>/g, " · "))} · ${used} of ${s.slots} slots in use (12.5 GHz each, ${s.start_thz}–${s.end_thz} THz)`);
  const svg = $("spectrum");
  const width = 960;
  svg.setAttribute("viewBox", `0 0 ${width} 60`);
  // Blocks are the caller's own (an operator's: all); others' are only counted in used_slots.
  const owners = [...new Set(s.blocks.map((b) => b.connection))];
  const colour = (b) => SPECTRUM_PALETTE[owners.indexOf(b.connection) % SPECTRUM_PALETTE.length];
  const others = used - s.blocks.reduce((n, b) => n + b.slots, 0);
  const w = width / s.slots;
  setHtml(svg, [
    html`<rect x="0" y="10" width="${width}" height="40" class="spectrum-band"></rect>`,
    s.blocks.map((b) => html`<rect class="block" data-connection="${b.connection}" x="${(b.first_slot * w).toFixed(2)}" y="10" width="${(b.slots * w).toFixed(2)}" height="40" fill="${colour(b)}"><title>slots ${b.first_slot}–${b.first_slot + b.slots - 1}: ${b.connection}</title></rect>`),
  ]);
  const items = owners.map((o) => {
    const mine = s.blocks.filter((x) => x.connection === o);
    const slots = mine.map((x) => `${x.first_slot}–${x.first_slot + x.slots - 1}`).join(", ");
    const b = mine[0];
    const label = html`<a href="#/connections/${o}">${o}</a>${b.tenant ? ` (${b.tenant})` : ""}`;
    return html`<li><span class="swatch" data-colour="${colour(b)}"></span>${label}: slots ${slots}</li>`;
  });
  if (others > 0) items.push(html`<li>${others} slots in use by other tenants' connections (where is theirs to know)</li>`);
  setHtml($("spectrum-legend"), items.length ? items : html`<li>No slot is in use.</li>`);
  $("spectrum-legend").querySelectorAll("[data-colour]").forEach((e) => (e.style.background = e.dataset.colour));
}
