// Operations (operators only): the fullest fibers, tenants with their connection counts, and the
// audit log.
import { all, api } from "../api.js";
import { fillMeters, meter } from "../format.js";
import { html, setHtml } from "../html.js";
import { $ } from "../state.js";

export async function renderOperator() {
  const topology = (await api("GET", "/v1/topology")).body;
  const fibers = [...topology.fibers]
    .sort((a, b) => b.spectrum_utilization - a.spectrum_utilization || b.packet_utilization - a.packet_utilization)
    .slice(0, 15);
  setHtml($("util-table").querySelector("tbody"), fibers.map((f) =>
    html`<tr data-fiber="${f.id}" tabindex="0"><td>${f.id}</td><td>${meter(f.spectrum_utilization)}</td><td>${meter(f.packet_utilization)}</td><td>${f.km.toFixed(0)}</td></tr>`));
  fillMeters($("util-table"));
  const tenants = await all("/v1/tenants");
  const counts = await Promise.all(tenants.map(async (t) => {
    const every = await api("GET", `/v1/connections?tenant=${encodeURIComponent(t.id)}&limit=1`);
    const active = await api("GET", `/v1/connections?tenant=${encodeURIComponent(t.id)}&state=active&limit=1`);
    return [every.body.total, active.body.total];
  }));
  setHtml($("tenant-table").querySelector("tbody"), tenants.map((t, i) =>
    html`<tr data-tenant="${t.id}" tabindex="0"><td>${t.id}</td><td>${t.name}</td><td>${counts[i][0]}</td><td>${counts[i][1]}</td></tr>`));
  const audit = await api("GET", "/v1/audit?limit=50");
  setHtml($("audit-table").querySelector("tbody"), audit.body.items.map((a) =>
    html`<tr><td><time datetime="${a.at}">${new Date(a.at).toLocaleString()}</time></td><td>${a.actor}${a.tenant ? ` (${a.tenant})` : ""}<br><small>${a.remote}</small></td>
      <td>${a.method} ${a.path}</td><td>${a.status}</td></tr>`));
}
