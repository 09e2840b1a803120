// Connections: the list with its filters, one connection's facts and timeline with its paths on
// the map, and live updates from the event stream.
import { api } from "../api.js";
import { badge, money, rate } from "../format.js";
import { html, setHtml } from "../html.js";
import { $, state } from "../state.js";

// The table pages on the server, newest first (a book holds hundreds of thousands): the state,
// and for operators the tenant a row of the tenants' table chose, filter there; "More" reads the
// next page by its cursor. The search box asks the server for an end (a port or site of the
// network), a tag (key=value) or a kind; other text narrows what is loaded, and a connection's
// id finds it wherever it is.
const PAGE = 100;
let next = null; // the cursor of the page after those loaded
let total = 0; // connections the server's filters match (none given when it filters by a term)
let loadedTerm = null; // the search term the loaded pages were read with
let reads = 0; // a newer read makes an older one's answer moot

function searchTerm() {
  const search = $("conn-search").value.trim();
  if (/^[^=\s]+=[^=]*$/.test(search)) return ["tag", search];
  if (["ethernet", "wavelength", "cloud"].includes(search)) return ["kind", search];
  if (state.ports.some((p) => p.id === search) || state.sites.some((s) => s.id === search)) return ["end", search];
  return null;
}

function listPath(after, term) {
  const params = new URLSearchParams({ limit: String(PAGE), sort: "-created_at" });
  if ($("conn-state").value) params.set("state", $("conn-state").value);
  if (state.connTenant) params.set("tenant", state.connTenant);
  if (term) params.set(term[0], term[1]);
  if (after) params.set("after", after);
  return `/v1/connections?${params}`;
}

async function readPage(after) {
  const read = ++reads;
  const term = searchTerm();
  const page = await api("GET", listPath(after, term));
  if (page.status !== 200) throw new Error(page.body.detail || `connections: ${page.status}`);
  if (read !== reads) return;
  if (!after) state.connections = new Map();
  for (const c of page.body.items) state.connections.set(c.id, c);
  next = page.body.next_cursor || null;
  total = page.body.total;
  loadedTerm = JSON.stringify(term);
}

// Whether a connection (one the event stream brought, say) is among what the term finds.
function matches(c, term) {
  if (!term) return true;
  const [what, value] = term;
  const r = c.requested;
  if (what === "kind") return r.kind === value;
  if (what === "end") return r.a_end === value || r.z_end === value;
  const at = value.indexOf("=");
  return (r.tags || {})[value.slice(0, at)] === value.slice(at + 1);
}

export async function loadConnections() {
  await readPage(null);
}

// The filters changed: the first page again from the server.
export async function reloadConnections() {
  await loadConnections();
  renderConnections();
}

export async function moreConnections() {
  if (next) await readPage(next);
  renderConnections();
}

// A connection asked for by its id, loaded or not.
export async function searchConnections() {
  const search = $("conn-search").value.trim();
  if (state.connTenant && search !== state.connTenant) {
    state.connTenant = null;
    return reloadConnections();
  }
  if (JSON.stringify(searchTerm()) !== loadedTerm) return reloadConnections();
  if (/^conn_[0-9a-z]+$/.test(search) && !state.connections.has(search)) {
    const found = await api("GET", `/v1/connections/${encodeURIComponent(search)}`);
    if (found.status === 200) state.connections.set(search, found.body);
  }
  renderConnections();
}

export function renderConnections() {
  const wanted = $("conn-state").value;
  // A term the server searched for is not narrowed by its text here.
  const term = JSON.parse(loadedTerm || "null");
  const search = term ? "" : $("conn-search").value.trim().toLowerCase();
  const rows = [...state.connections.values()]
    .filter((c) => matches(c, term))
    .filter((c) => !wanted || c.state === wanted)
    .filter((c) => !search || JSON.stringify([c.id, c.requested.a_end, c.requested.z_end, c.requested.tags, c.tenant]).toLowerCase().includes(search))
    .sort((a, b) => (a.id < b.id ? 1 : -1)); // ids sort by creation
  setHtml($("conn-table").querySelector("tbody"), rows.map((c) =>
    html`<tr data-id="${c.id}" tabindex="0"><td>${c.id}</td><td>${c.requested.kind}</td><td>${badge(c.state)}</td>
      <td>${c.requested.a_end} → ${c.requested.z_end}</td><td>${rate(c.requested.bandwidth_mbps)}</td>
      <td>${c.current.latency_ms.toFixed(2)} ms</td><td>${money(c.current.price)}</td></tr>`));
  $("conn-count").textContent = total === undefined
    ? `${rows.length} shown${next ? " (more to load)" : ""}`
    : `${rows.length} shown of ${Math.max(total, state.connections.size)} connections`;
  $("conn-more").hidden = !next;
}

export async function showDetail(id) {
  let c = state.connections.get(id);
  const fresh = await api("GET", `/v1/connections/${encodeURIComponent(id)}`);
  if (fresh.status === 200) {
    c = fresh.body;
    state.connections.set(id, c);
  } else if (!c) {
    $("detail-title").textContent = "No such connection";
    setHtml($("detail-facts"), "");
    setHtml($("detail-timeline"), "");
    return;
  }
  const measured = await api("GET", `/v1/connections/${encodeURIComponent(id)}/sla`);
  renderDetail(c, measured.status === 200 ? measured.body : null);
}

// "37 ms", "4.2 s", "2 h 5 min"
function duration(from, to) {
  const ms = new Date(to) - new Date(from);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const min = Math.round(ms / 60000);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}

function renderDetail(c, sla) {
  const r = c.requested;
  const cur = c.current;
  setHtml($("detail-title"), html`${c.id} ${badge(c.state)}`);
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
  (cur.qot || []).forEach((leg, i) => facts.push([i === 0 ? "Light (GSNR, margin)" : "Protection light",
    `${leg.gsnr_db.toFixed(1)} dB, ${leg.margin_db.toFixed(1)} dB over the threshold`]));
  if (cur.vlan !== undefined) facts.push(["VLAN", String(cur.vlan)]);
  facts.push(["Schedule", `${r.start ? new Date(r.start).toLocaleString() : "now"} – ${r.end ? new Date(r.end).toLocaleString() : "until terminated"}`]);
  const term = (p) => (p.term === "hourly" ? "billed by the hour" : `${p.term} month term`);
  facts.push(["Price", cur.price ? `${money(cur.price)}, ${cur.price.setup} setup (${term(cur.price)})` : "–"]);
  facts.push(["SLA", r.sla]);
  if (cur.encryption) {
    const e = cur.encryption;
    facts.push(["Encryption", `${e.mode === "macsec" ? "MACsec" : "layer 1"}, key ${e.key_id.slice(0, 8)}…` +
      (e.rotating ? " (rotating now)" : `, next rotation ${new Date(e.next_rotation).toLocaleString()}`)]);
  }
  if (cur.provider) {
    // The cloud side: what the provider says, and while it waits for the customer, what to do.
    const who = { aws: "AWS", azure: "Azure", google: "Google Cloud" }[r.cloud.provider] || r.cloud.provider;
    facts.push([`At ${who}`, `${cur.provider.id || "not yet reached"}: ${cur.provider.state}`]);
    if (c.state === "awaiting_counterparty" && cur.provider.next_step) {
      facts.push(["Waiting for you", `to ${cur.provider.next_step}` +
        (cur.provider.expires ? ` by ${new Date(cur.provider.expires).toLocaleString()}` : "")]);
    }
  }
  facts.push(["Operational state", c.oper_state]);
  if (sla) {
    facts.push(["Availability", `${sla.availability_percent.toFixed(3)}% since it went live (target ${sla.target_percent}%)` +
      (sla.latency_met ? "" : "; latency bound broken") + (sla.credit_percent ? `; credit ${sla.credit_percent}% (${sla.credit_amount} ${sla.currency || ""})` : "")]);
  }
  if (state.role === "operator") facts.push(["Tenant", c.tenant]);
  if (Object.keys(r.tags || {}).length) facts.push(["Tags", Object.entries(r.tags).map(([k, v]) => `${k}=${v}`).join(", ")]);
  setHtml($("detail-facts"), facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`));
  $("detail-facts").dataset.state = c.state;
  // The first entry is the order (no "from"); the next one says the same with its outcome.
  // Outages (a failure until the switch or restoration) go in among the moves, by time.
  const moves = c.history
    .filter((h) => h.from && h.from !== h.to)
    .map((h) => ({ at: h.at, item: html`<li><time datetime="${h.at}">${new Date(h.at).toLocaleString()}</time> ${badge(h.to)} ${h.reason} <small>(${h.actor})</small></li>` }));
  const outages = (c.outages || []).map((o) => ({
    at: o.start,
    item: html`<li class="outage"><time datetime="${o.start}">${new Date(o.start).toLocaleString()}</time> ${badge("down")} outage ${o.end ? `of ${duration(o.start, o.end)}` : "(still down)"}: ${o.reason}</li>`,
  }));
  setHtml($("detail-timeline"), [...moves, ...outages].sort((a, b) => (a.at < b.at ? -1 : 1)).map((x) => x.item));
  const routes = [{ nodes: cur.nodes, cls: "route working" }];
  if (cur.protection_nodes) routes.push({ nodes: cur.protection_nodes, cls: "route protection" });
  state.map.drawRoutes(routes);
}

export async function onEvent(event) {
  if (!event.subject || !event.subject.startsWith("conn_")) return;
  const fresh = await api("GET", `/v1/connections/${encodeURIComponent(event.subject)}`);
  if (fresh.status !== 200) return;
  state.connections.set(event.subject, fresh.body);
  if (state.detailId === event.subject) await showDetail(event.subject);
  if (!$("view-connections").hidden) renderConnections();
}
