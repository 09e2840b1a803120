// Ordering: ends from the caller's ports (or sites, for wavelengths), a live quote drawn on the
// map as the form changes, and the order itself.
import { all, api } from "../api.js";
import { money, rate } from "../format.js";
import { html, setHtml } from "../html.js";
import { $, state } from "../state.js";

export async function prepareOrderForm() {
  if (state.role === "operator") {
    const tenants = await all("/v1/tenants");
    setHtml($("order-tenant"), tenants.map((t) => html`<option value="${t.id}">${t.name} (${t.id})</option>`));
  }
  fillEnds();
  for (const id of ["order-kind", "order-a", "order-z", "order-rate", "order-protection", "order-encryption", "order-latency", "order-start", "order-end", "order-tenant", "order-cloud-key"]) {
    $(id).addEventListener("input", () => {
      if (id === "order-kind") fillEnds();
      if (id === "order-z") labelCloudKey();
      requestQuote();
    });
  }
}

// What the chosen on-ramp's provider calls the key the customer brings.
function labelCloudKey() {
  const z = resolveEnd($("order-z").value, (state.endOptions || {}).z || []);
  const port = state.ports.find((p) => p.id === z);
  const provider = port ? port.cloud_provider : "";
  $("order-cloud-key-label").textContent = { aws: "Your AWS account id", azure: "ExpressRoute service key", google: "Pairing key" }[provider] || "Your key at the provider";
}

function fillEnds() {
  const kind = $("order-kind").value;
  const label = (s) => `${s.name}${s.metro && s.metro !== s.name ? ` (${s.metro})` : ""}`;
  const siteById = new Map(state.sites.map((s) => [s.id, s]));
  let aOptions;
  let zOptions;
  if (kind === "wavelength") {
    const sites = state.sites.filter((s) => s.kind !== "cloud_onramp");
    aOptions = zOptions = sites.map((s) => [s.id, `${label(s)} · ${s.kind.replace("_", " ")}`]);
  } else {
    const portLabel = (p) => [p.id, `${p.name}${p.macsec ? " (MACsec)" : ""} at ${label(siteById.get(p.site) || { name: p.site })}`];
    const own = state.ports.filter((p) => !p.cloud_provider);
    const onramps = state.ports.filter((p) => p.cloud_provider);
    aOptions = own.map(portLabel);
    zOptions = (kind === "cloud" ? onramps : own).map(portLabel);
  }
  const fill = (list, options) => setHtml($(list), options.map(([v, l]) => html`<option value="${v}">${l}</option>`));
  fill("order-a-list", aOptions);
  fill("order-z-list", zOptions);
  state.endOptions = { a: aOptions, z: zOptions };
  const rates = kind === "wavelength" ? [100000, 200000, 300000, 400000, 800000]
    : kind === "cloud" ? [50, 100, 200, 500, 1000, 2000, 5000, 10000] // hosted tiers every provider sells
      : [50, 100, 500, 1000, 10000, 100000];
  setHtml($("order-rate"), rates.map((m) => (m === 200000 || m === 1000
    ? html`<option value="${m}" selected>${rate(m)}</option>`
    : html`<option value="${m}">${rate(m)}</option>`)));
  document.querySelectorAll("[data-kind=cloud]").forEach((e) => (e.hidden = kind !== "cloud"));
  labelCloudKey();
  // MACsec on Ethernet ports that have it, the transponders' own encryption on wavelengths;
  // cloud on-ramps' hosted connections take neither.
  document.querySelectorAll("[data-encryptable]").forEach((e) => (e.hidden = kind === "cloud"));
  $("order-encryption-on").textContent = kind === "wavelength"
    ? "layer 1 (AES-256-GCM in the transponders)"
    : "MACsec (802.1AE on both end ports)";
  if (kind === "cloud") $("order-encryption").value = "none";
}

// What was typed as an end: an id as it is; else the one choice whose label names it (a city,
// a site's name), so "Hillsboro" finds dc-hillsboro; else the text, for the API to refuse.
function resolveEnd(text, options) {
  const typed = text.trim();
  if (!typed || options.some(([id]) => id === typed)) return typed;
  const t = typed.toLowerCase();
  const named = options.filter(([, label]) => label.toLowerCase().includes(t));
  return named.length === 1 ? named[0][0] : typed;
}

function orderBody() {
  const kind = $("order-kind").value;
  const body = {
    kind,
    a_end: resolveEnd($("order-a").value, state.endOptions.a),
    z_end: resolveEnd($("order-z").value, state.endOptions.z),
    bandwidth_mbps: Number($("order-rate").value),
    protection: $("order-protection").value,
  };
  if ($("order-encryption").value === "on") body.encryption = kind === "wavelength" ? "layer1" : "macsec";
  const latency = Number($("order-latency").value);
  if ($("order-latency").value && latency > 0) body.max_latency_ms = latency;
  if ($("order-start").value) body.start = new Date($("order-start").value).toISOString();
  if ($("order-end").value) body.end = new Date($("order-end").value).toISOString();
  if (kind === "cloud") {
    const port = state.ports.find((p) => p.id === body.z_end);
    // Each provider's hand-shake has its own key: the AWS account that will own the hosted
    // connection, the ExpressRoute circuit's service key, the attachment's pairing key.
    const provider = port ? port.cloud_provider : "aws";
    const field = { aws: "owner_account", azure: "service_key", google: "pairing_key" }[provider];
    body.cloud = { provider, [field]: $("order-cloud-key").value.trim() };
  }
  if (state.role === "operator") body.tenant = $("order-tenant").value;
  return body;
}

let quoteTimer = null;
export function requestQuote() {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(quote, 200);
}

function refuse(box, text) {
  box.className = "quote infeasible";
  box.dataset.feasible = "false";
  box.textContent = text;
  state.map.clearRoutes();
}

async function quote() {
  const body = orderBody();
  const box = $("quote");
  $("order-submit").disabled = true;
  if (!body.a_end || !body.z_end) {
    box.className = "quote";
    box.textContent = "Fill in both ends for a quote.";
    state.map.clearRoutes();
    return;
  }
  const seq = ++state.quoteSeq;
  const r = await api("POST", "/v1/quotes", body);
  // A later change is on its way, or the form was left (ordered): the map is not the quote's.
  if (seq !== state.quoteSeq || $("view-order").hidden) return;
  if (r.status !== 200) {
    refuse(box, `${r.body.field ? `${r.body.field}: ` : ""}${r.body.detail || r.status}`.replace(/^(\w+): \1: /, "$1: "));
    return;
  }
  const q = r.body;
  if (!q.feasible) {
    refuse(box, `Not possible: ${q.reason}`);
    return;
  }
  box.className = "quote feasible";
  box.dataset.feasible = "true";
  const bound = body.max_latency_ms ? ` (bound ${body.max_latency_ms} ms, ${q.latency_margin_ms.toFixed(2)} ms to spare)` : "";
  setHtml(box, [
    html`<div class="price" data-price>${money(q.price)}</div>`,
    html`<div>${q.price ? `${q.price.setup} ${q.price.currency} setup · ${q.price.term} month term` : ""}</div>`,
    html`<div data-latency>${q.latency_ms.toFixed(2)} ms one way${bound} · ${q.km.toFixed(0)} km over ${q.fibers.length} fibers</div>`,
    q.protection_fibers ? html`<div>protection path: ${q.protection_km.toFixed(0)} km over ${q.protection_fibers.length} fibers, SRLG-diverse</div>` : "",
    q.transceiver ? html`<div>transceiver ${q.transceiver}${q.regenerators && q.regenerators.length ? `, regenerators at ${q.regenerators.join(", ")}` : ""}</div>` : "",
    ...(q.qot || []).map((leg, i) => html`<div data-qot>${i === 0 ? "working" : "protection"} light: GSNR ${leg.gsnr_db.toFixed(1)} dB, ${leg.margin_db.toFixed(1)} dB margin</div>`),
  ]);
  const routes = [{ nodes: q.nodes, cls: "route quote" }];
  if (q.protection_nodes) routes.push({ nodes: q.protection_nodes, cls: "route quote protection" });
  state.map.drawRoutes(routes);
  $("order-submit").disabled = state.role === "viewer";
}

export async function submitOrder(event) {
  event.preventDefault();
  $("order-error").textContent = "";
  $("order-submit").disabled = true;
  // A quote still waiting for its debounce or its answer must not draw over the order's route.
  clearTimeout(quoteTimer);
  ++state.quoteSeq;
  const r = await api("POST", "/v1/connections", orderBody(), { "Idempotency-Key": crypto.randomUUID() });
  if (r.status !== 201) {
    $("order-error").textContent = r.body.detail || `the server answered ${r.status}`;
    $("order-submit").disabled = false;
    return;
  }
  state.connections.set(r.body.id, r.body);
  location.hash = `#/connections/${r.body.id}`;
}
