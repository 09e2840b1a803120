// The portal: sign in with an API key, see the network, the connections and their paths, order
// with a live quote, watch it come up; operators also see utilization, tenants and the audit log.
import { api, all, followEvents, savedKey, saveKey, forgetKey } from "./api.js";
import { NetworkMap, UTILIZATION_STOPS, escapeHtml, fiberText, utilizationColour } from "./map.js";

const $ = (id) => document.getElementById(id);
const state = {
  role: null,        // "operator" | "admin" | "viewer"
  tenant: null,
  topology: null,
  sites: [],
  ports: [],
  connections: new Map(),
  map: null,
  stopEvents: null,
  detailId: null,
  quoteSeq: 0,
};

// ---------------------------------------------------------------------------------------------
// Sign-in and role

async function signIn(key) {
  saveKey(key);
  const probe = await api("GET", "/v1/locations?limit=1");
  if (probe.status === 401) {
    forgetKey();
    throw new Error("that key is not valid");
  }
  if (probe.status !== 200) throw new Error(probe.body.detail || `the server answered ${probe.status}`);
  const audit = await api("GET", "/v1/audit?limit=1");
  if (audit.status === 200) {
    state.role = "operator";
  } else {
    const keys = await api("GET", "/v1/api-keys?limit=1");
    state.role = keys.status === 200 ? "admin" : "viewer";
    const tenants = await api("GET", "/v1/tenants?limit=1");
    state.tenant = tenants.status === 200 && tenants.body.items.length ? tenants.body.items[0].id : null;
  }
}

async function start() {
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("nav").hidden = false;
  $("who").hidden = false;
  $("who-text").textContent = state.role === "operator" ? "operator" : `${state.tenant || "tenant"} · ${state.role}`;
  document.querySelectorAll("[data-role=operator]").forEach((e) => (e.hidden = state.role !== "operator"));
  if (state.role === "viewer") $("nav").querySelector("[data-view=order]").hidden = true;

  const [topology, us, world] = await Promise.all([
    api("GET", "/v1/topology").then((r) => r.body),
    fetch("maps/us.json").then((r) => r.json()),
    fetch("maps/world.json").then((r) => r.json()),
  ]);
  state.topology = topology;
  state.sites = topology.sites;
  state.map = new NetworkMap($("map"), $("tooltip"), { onSite: showSite, onFiber: (f) => (location.hash = `#/spectrum/${f.id}`) });
  const drawn = state.map.draw(topology, { us, world });
  $("map").dataset.sites = drawn.sites;
  $("map").dataset.fibers = drawn.fibers;
  $("map-summary").textContent = `${topology.name}: ${drawn.sites} sites, ${drawn.fibers} fibers`;
  drawLegend();
  // Live from now on: a connection is fetched again whenever an event about it arrives. The
  // stream starts before the list is read, so nothing falls between them.
  state.stopEvents = followEvents(null, onEvent);
  state.ports = await all("/v1/ports");
  await loadConnections();
  await prepareOrderForm();
  route();
}

function drawLegend() {
  const kinds = [["pop", "PoP"], ["datacenter", "data center"], ["cloud_onramp", "cloud on-ramp"], ["enterprise", "enterprise"]];
  const colours = { pop: "#486581", datacenter: "#7b2cbf", cloud_onramp: "#d9480f", enterprise: "#2b8a3e" };
  let html = kinds.map(([k, label]) => `<span><span class="swatch" data-kind="${k}"></span>${label}</span>`).join("");
  if (state.role === "operator") {
    html += UTILIZATION_STOPS.map((u, i) => `<span><span class="bar" data-u="${u}"></span>${u * 100}%${i === UTILIZATION_STOPS.length - 1 ? "+" : ""} of spectrum used</span>`).join("");
  }
  html += `<span><span class="bar" data-route="working"></span>path</span><span><span class="bar" data-route="protection"></span>protection path</span>`;
  $("legend").innerHTML = html;
  $("legend").querySelectorAll("[data-kind]").forEach((e) => (e.style.background = colours[e.dataset.kind]));
  $("legend").querySelectorAll("[data-u]").forEach((e) => (e.style.background = utilizationColour(Number(e.dataset.u))));
  $("legend").querySelectorAll("[data-route=working]").forEach((e) => (e.style.background = "#0b5cad"));
  $("legend").querySelectorAll("[data-route=protection]").forEach((e) => (e.style.background = "#e8590c"));
}

// ---------------------------------------------------------------------------------------------
// Views (hash routes: #/map, #/connections, #/connections/<id>, #/order, #/operator, #/spectrum/<fiber>)

function show(view) {
  document.querySelectorAll(".view").forEach((v) => (v.hidden = v.id !== `view-${view}`));
  const nav = view === "detail" ? "connections" : view === "spectrum" ? "map" : view;
  document.querySelectorAll("#nav a").forEach((a) => {
    if (a.dataset.view === nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
}

async function route() {
  const [, view, arg] = (location.hash || "#/map").split("/");
  state.detailId = null;
  state.map.select(null);
  if (view !== "order") state.map.clearRoutes();
  switch (view) {
    case "connections":
      if (arg) {
        state.detailId = arg;
        show("detail");
        await showDetail(arg);
      } else {
        show("connections");
        renderConnections();
      }
      break;
    case "order":
      show("order");
      requestQuote();
      break;
    case "operator":
      show("operator");
      await renderOperator();
      break;
    case "spectrum":
      show("spectrum");
      await showSpectrum(arg);
      break;
    default:
      show("map");
  }
}

// ---------------------------------------------------------------------------------------------
// Connections

async function loadConnections() {
  const items = await all("/v1/connections");
  state.connections = new Map(items.map((c) => [c.id, c]));
}

function money(price) {
  return price ? `${price.monthly.toLocaleString("en-US", { maximumFractionDigits: 0 })} ${price.currency}` : "–";
}
function rate(mbps) {
  return mbps >= 1000 ? `${mbps / 1000} Gb/s` : `${mbps} Mb/s`;
}
function badge(s) {
  return `<span class="badge ${escapeHtml(s)}">${escapeHtml(s.replace("_", " "))}</span>`;
}

function renderConnections() {
  const wanted = $("conn-state").value;
  const search = $("conn-search").value.trim().toLowerCase();
  const rows = [...state.connections.values()]
    .filter((c) => !wanted || c.state === wanted)
    .filter((c) => !search || JSON.stringify([c.id, c.requested.a_end, c.requested.z_end, c.requested.tags, c.tenant]).toLowerCase().includes(search))
    .sort((a, b) => (a.history.at(-1)?.at < b.history.at(-1)?.at ? 1 : -1));
  $("conn-table").querySelector("tbody").innerHTML = rows
    .map((c) => `<tr data-id="${escapeHtml(c.id)}" tabindex="0"><td>${escapeHtml(c.id)}</td><td>${escapeHtml(c.requested.kind)}</td>` +
      `<td>${badge(c.state)}</td><td>${escapeHtml(c.requested.a_end)} → ${escapeHtml(c.requested.z_end)}</td>` +
      `<td>${rate(c.requested.bandwidth_mbps)}</td><td>${c.current.latency_ms.toFixed(2)} ms</td><td>${money(c.current.price)}</td></tr>`)
    .join("");
  $("conn-count").textContent = `${rows.length} of ${state.connections.size} connections`;
}

async function showDetail(id) {
  let c = state.connections.get(id);
  const fresh = await api("GET", `/v1/connections/${encodeURIComponent(id)}`);
  if (fresh.status === 200) {
    c = fresh.body;
    state.connections.set(id, c);
  } else if (!c) {
    $("detail-title").textContent = "No such connection";
    $("detail-facts").innerHTML = "";
    $("detail-timeline").innerHTML = "";
    return;
  }
  renderDetail(c);
}

function renderDetail(c) {
  const r = c.requested;
  const cur = c.current;
  $("detail-title").innerHTML = `${escapeHtml(c.id)} ${badge(c.state)}`;
  const facts = [
    ["Kind", r.kind],
    ["Ends", `${r.a_end} → ${r.z_end}`],
    ["Bandwidth", rate(r.bandwidth_mbps)],
    ["Protection", r.protection],
    ["Path", `${cur.km.toFixed(0)} km, ${cur.latency_ms.toFixed(2)} ms over ${cur.fibers.length} fibers`],
  ];
  if (cur.protection_fibers) facts.push(["Protection path", `${cur.protection_km.toFixed(0)} km over ${cur.protection_fibers.length} fibers`]);
  if (r.max_latency_ms) facts.push(["Latency bound", `${r.max_latency_ms} ms`]);
  if (cur.transceiver) facts.push(["Transceiver", cur.transceiver]);
  if (cur.regenerators && cur.regenerators.length) facts.push(["Regenerators", cur.regenerators.join(", ")]);
  if (cur.vlan !== undefined) facts.push(["VLAN", String(cur.vlan)]);
  facts.push(["Schedule", `${r.start ? new Date(r.start).toLocaleString() : "now"} – ${r.end ? new Date(r.end).toLocaleString() : "until terminated"}`]);
  facts.push(["Price", cur.price ? `${money(cur.price)} a month, ${cur.price.setup} setup (${cur.price.term} month term)` : "–"]);
  facts.push(["SLA", r.sla]);
  if (state.role === "operator") facts.push(["Tenant", c.tenant]);
  if (Object.keys(r.tags || {}).length) facts.push(["Tags", Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(", ")]);
  $("detail-facts").innerHTML = facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("");
  $("detail-facts").dataset.state = c.state;
  $("detail-timeline").innerHTML = c.history
    .filter((h) => h.from !== h.to)
    .map((h) => `<li><time datetime="${escapeHtml(h.at)}">${escapeHtml(new Date(h.at).toLocaleString())}</time> ${badge(h.to)} ${escapeHtml(h.reason)} <small>(${escapeHtml(h.actor)})</small></li>`)
    .join("");
  const routes = [{ nodes: cur.nodes, cls: "route working" }];
  if (cur.protection_nodes) routes.push({ nodes: cur.protection_nodes, cls: "route protection" });
  state.map.drawRoutes(routes);
}

async function onEvent(event) {
  if (!event.subject || !event.subject.startsWith("conn_")) return;
  const fresh = await api("GET", `/v1/connections/${encodeURIComponent(event.subject)}`);
  if (fresh.status !== 200) return;
  state.connections.set(event.subject, fresh.body);
  if (state.detailId === event.subject) renderDetail(fresh.body);
  if (!$("view-connections").hidden) renderConnections();
}

// ---------------------------------------------------------------------------------------------
// A site or fiber selected on the map

async function showSite(site) {
  location.hash = "#/map";
  const r = await api("GET", `/v1/locations/${encodeURIComponent(site.id)}`);
  const ports = r.status === 200 ? r.body.ports : [];
  $("selection").innerHTML = `<h3>${escapeHtml(site.name)}</h3><p>${escapeHtml(site.kind.replace("_", " "))}` +
    `${site.metro ? ` · ${escapeHtml(site.metro)}` : ""}${site.provider ? ` · ${escapeHtml(site.provider)} ${escapeHtml(site.region || "")}` : ""}</p>` +
    (ports.length ? `<p>Ports you may use: ${ports.map(escapeHtml).join(", ")}</p>` : "<p>No ports of yours here.</p>");
}

async function showSpectrum(fiberId) {
  const f = state.topology.fibers.find((x) => x.id === fiberId);
  state.map.select(fiberId);
  const r = await api("GET", `/v1/fibers/${encodeURIComponent(fiberId)}/spectrum`);
  if (!f || r.status !== 200) {
    $("spectrum-title").textContent = "No such fiber";
    return;
  }
  const s = r.body;
  const used = s.blocks.reduce((n, b) => n + b.slots, 0);
  $("spectrum-title").textContent = `Spectrum of ${fiberId}`;
  $("spectrum-summary").innerHTML = `${fiberText(f).replace(/<br>/g, " · ")} · ${used} of ${s.slots} slots in use (12.5 GHz each, ${s.start_thz}–${s.end_thz} THz)`;
  const svg = $("spectrum");
  const width = 960;
  svg.setAttribute("viewBox", `0 0 ${width} 60`);
  const palette = ["#0b5cad", "#7b2cbf", "#2b8a3e", "#d9480f", "#c2255c", "#1098ad", "#5c940d", "#862e9c"];
  const owners = [...new Set(s.blocks.map((b) => b.connection || "in use by another tenant"))];
  const colour = (b) => (b.connection ? palette[owners.indexOf(b.connection) % palette.length] : "#9aa5b1");
  const w = width / s.slots;
  svg.innerHTML = `<rect x="0" y="10" width="${width}" height="40" fill="#f2f4f7" stroke="#c8ced6"></rect>` +
    s.blocks.map((b) => `<rect class="block" data-connection="${escapeHtml(b.connection || "")}" x="${(b.first_slot * w).toFixed(2)}" y="10" width="${(b.slots * w).toFixed(2)}" height="40" fill="${colour(b)}"><title>slots ${b.first_slot}–${b.first_slot + b.slots - 1}: ${escapeHtml(b.connection || "another tenant's")}</title></rect>`).join("");
  $("spectrum-legend").innerHTML = owners
    .map((o) => {
      const b = s.blocks.find((x) => (x.connection || "in use by another tenant") === o);
      const slots = s.blocks.filter((x) => (x.connection || "in use by another tenant") === o).map((x) => `${x.first_slot}–${x.first_slot + x.slots - 1}`).join(", ");
      const label = b.connection ? `<a href="#/connections/${escapeHtml(o)}">${escapeHtml(o)}</a>${b.tenant ? ` (${escapeHtml(b.tenant)})` : ""}` : escapeHtml(o);
      return `<li><span class="swatch" data-colour="${colour(b)}"></span>${label}: slots ${slots}</li>`;
    })
    .join("") || "<li>No slot is in use.</li>";
  $("spectrum-legend").querySelectorAll("[data-colour]").forEach((e) => (e.style.background = e.dataset.colour));
}

// ---------------------------------------------------------------------------------------------
// Ordering with a live quote

async function prepareOrderForm() {
  if (state.role === "operator") {
    const tenants = await all("/v1/tenants");
    $("order-tenant").innerHTML = tenants.map((t) => `<option value="${escapeHtml(t.id)}">${escapeHtml(t.name)} (${escapeHtml(t.id)})</option>`).join("");
  }
  fillEnds();
  for (const id of ["order-kind", "order-a", "order-z", "order-rate", "order-protection", "order-latency", "order-start", "order-end", "order-tenant", "order-cloud-key"]) {
    $(id).addEventListener("input", () => {
      if (id === "order-kind") fillEnds();
      requestQuote();
    });
  }
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
    const portLabel = (p) => [p.id, `${p.name} at ${label(siteById.get(p.site) || { name: p.site })}`];
    const own = state.ports.filter((p) => !p.cloud_provider);
    const onramps = state.ports.filter((p) => p.cloud_provider);
    aOptions = own.map(portLabel);
    zOptions = (kind === "cloud" ? onramps : own).map(portLabel);
  }
  const fill = (list, options) => ($(list).innerHTML = options.map(([v, l]) => `<option value="${escapeHtml(v)}">${escapeHtml(l)}</option>`).join(""));
  fill("order-a-list", aOptions);
  fill("order-z-list", zOptions);
  state.endOptions = { a: aOptions, z: zOptions };
  $("order-rate").innerHTML = (kind === "wavelength" ? [100000, 400000, 800000] : [50, 100, 500, 1000, 10000, 100000])
    .map((m) => `<option value="${m}"${m === 400000 || m === 1000 ? " selected" : ""}>${rate(m)}</option>`).join("");
  document.querySelectorAll("[data-kind=cloud]").forEach((e) => (e.hidden = kind !== "cloud"));
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
  const latency = Number($("order-latency").value);
  if ($("order-latency").value && latency > 0) body.max_latency_ms = latency;
  if ($("order-start").value) body.start = new Date($("order-start").value).toISOString();
  if ($("order-end").value) body.end = new Date($("order-end").value).toISOString();
  if (kind === "cloud") {
    const port = state.ports.find((p) => p.id === body.z_end);
    body.cloud = { provider: port ? port.cloud_provider : "aws", key: $("order-cloud-key").value };
  }
  if (state.role === "operator") body.tenant = $("order-tenant").value;
  return body;
}

let quoteTimer = null;
function requestQuote() {
  clearTimeout(quoteTimer);
  quoteTimer = setTimeout(quote, 200);
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
  const asked = { ...body };
  delete asked.tenant;
  const r = await api("POST", "/v1/quotes", state.role === "operator" ? { ...asked, tenant: body.tenant } : asked);
  if (seq !== state.quoteSeq) return;  // a later change is on its way
  if (r.status !== 200) {
    box.className = "quote infeasible";
    box.dataset.feasible = "false";
    box.textContent = `${r.body.field ? `${r.body.field}: ` : ""}${r.body.detail || r.status}`.replace(/^(\w+): \1: /, "$1: ");
    state.map.clearRoutes();
    return;
  }
  const q = r.body;
  if (!q.feasible) {
    box.className = "quote infeasible";
    box.dataset.feasible = "false";
    box.textContent = `Not possible: ${q.reason}`;
    state.map.clearRoutes();
    return;
  }
  box.className = "quote feasible";
  box.dataset.feasible = "true";
  const bound = body.max_latency_ms ? ` (bound ${body.max_latency_ms} ms, ${q.latency_margin_ms.toFixed(2)} ms to spare)` : "";
  box.innerHTML = `<div class="price" data-price>${money(q.price)} a month</div>` +
    `<div>${q.price ? `${q.price.setup} ${escapeHtml(q.price.currency)} setup · ${escapeHtml(q.price.term)} month term` : ""}</div>` +
    `<div data-latency>${q.latency_ms.toFixed(2)} ms one way${escapeHtml(bound)} · ${q.km.toFixed(0)} km over ${q.fibers.length} fibers</div>` +
    (q.protection_fibers ? `<div>protection path: ${q.protection_km.toFixed(0)} km over ${q.protection_fibers.length} fibers, SRLG-diverse</div>` : "") +
    (q.transceiver ? `<div>transceiver ${escapeHtml(q.transceiver)}${q.regenerators && q.regenerators.length ? `, regenerators at ${q.regenerators.map(escapeHtml).join(", ")}` : ""}</div>` : "");
  const routes = [{ nodes: q.nodes, cls: "route quote" }];
  if (q.protection_nodes) routes.push({ nodes: q.protection_nodes, cls: "route quote protection" });
  state.map.drawRoutes(routes);
  $("order-submit").disabled = state.role === "viewer";
}

async function submitOrder(event) {
  event.preventDefault();
  $("order-error").textContent = "";
  $("order-submit").disabled = true;
  const r = await api("POST", "/v1/connections", orderBody(), { "Idempotency-Key": crypto.randomUUID() });
  if (r.status !== 201) {
    $("order-error").textContent = r.body.detail || `the server answered ${r.status}`;
    $("order-submit").disabled = false;
    return;
  }
  state.connections.set(r.body.id, r.body);
  location.hash = `#/connections/${r.body.id}`;
}

// ---------------------------------------------------------------------------------------------
// Operations

async function renderOperator() {
  const topology = (await api("GET", "/v1/topology")).body;
  const fibers = [...topology.fibers].sort((a, b) => b.spectrum_utilization - a.spectrum_utilization || b.packet_utilization - a.packet_utilization).slice(0, 15);
  const meter = (u) => `<span class="meter"><span data-width="${(u * 100).toFixed(1)}"></span></span>${(u * 100).toFixed(1)}%`;
  $("util-table").querySelector("tbody").innerHTML = fibers
    .map((f) => `<tr data-fiber="${escapeHtml(f.id)}" tabindex="0"><td>${escapeHtml(f.id)}</td><td>${meter(f.spectrum_utilization)}</td><td>${meter(f.packet_utilization)}</td><td>${f.km.toFixed(0)}</td></tr>`)
    .join("");
  $("util-table").querySelectorAll("[data-width]").forEach((e) => (e.style.width = `${e.dataset.width}%`));
  const tenants = await all("/v1/tenants");
  const counts = await Promise.all(tenants.map(async (t) => {
    const every = await api("GET", `/v1/connections?tenant=${encodeURIComponent(t.id)}&limit=1`);
    const active = await api("GET", `/v1/connections?tenant=${encodeURIComponent(t.id)}&state=active&limit=1`);
    return [every.body.total, active.body.total];
  }));
  $("tenant-table").querySelector("tbody").innerHTML = tenants
    .map((t, i) => `<tr data-tenant="${escapeHtml(t.id)}" tabindex="0"><td>${escapeHtml(t.id)}</td><td>${escapeHtml(t.name)}</td><td>${counts[i][0]}</td><td>${counts[i][1]}</td></tr>`)
    .join("");
  const audit = await api("GET", "/v1/audit?limit=50");
  $("audit-table").querySelector("tbody").innerHTML = audit.body.items
    .map((a) => `<tr><td><time datetime="${escapeHtml(a.at)}">${escapeHtml(new Date(a.at).toLocaleString())}</time></td><td>${escapeHtml(a.actor)}${a.tenant ? ` (${escapeHtml(a.tenant)})` : ""}<br><small>${escapeHtml(a.remote)}</small></td>` +
      `<td>${escapeHtml(a.method)} ${escapeHtml(a.path)}</td><td>${a.status}</td></tr>`)
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Wiring

function wire() {
  $("sign-in-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    $("sign-in-error").textContent = "";
    try {
      await signIn($("api-key").value.trim());
      $("api-key").value = "";
      await start();
    } catch (error) {
      $("sign-in-error").textContent = `Cannot sign in: ${error.message}`;
    }
  });
  $("sign-out").addEventListener("click", () => {
    forgetKey();
    if (state.stopEvents) state.stopEvents();
    location.hash = "";
    location.reload();
  });
  $("map-reset").addEventListener("click", () => state.map && state.map.resetZoom());
  $("conn-state").addEventListener("input", renderConnections);
  $("conn-search").addEventListener("input", renderConnections);
  const openRow = (event) => {
    const row = event.target.closest("tr[data-id]");
    if (row && (event.type === "click" || event.key === "Enter")) location.hash = `#/connections/${row.dataset.id}`;
  };
  $("conn-table").addEventListener("click", openRow);
  $("conn-table").addEventListener("keydown", openRow);
  const openFiber = (event) => {
    const row = event.target.closest("tr[data-fiber]");
    if (row && (event.type === "click" || event.key === "Enter")) location.hash = `#/spectrum/${row.dataset.fiber}`;
  };
  // A tenant's row opens the connections, searched for that tenant.
  const openTenant = (event) => {
    const row = event.target.closest("tr[data-tenant]");
    if (!row || !(event.type === "click" || event.key === "Enter")) return;
    $("conn-search").value = row.dataset.tenant;
    location.hash = "#/connections";
  };
  $("tenant-table").addEventListener("click", openTenant);
  $("tenant-table").addEventListener("keydown", openTenant);
  $("util-table").addEventListener("click", openFiber);
  $("util-table").addEventListener("keydown", openFiber);
  $("order-form").addEventListener("submit", submitOrder);
  window.addEventListener("hashchange", () => state.map && route());
}

wire();
if (savedKey()) {
  signIn(savedKey()).then(start).catch(() => forgetKey());
}
