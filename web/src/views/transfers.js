// Bulk transfers: "these bytes there by then". The form orders one (or says the earliest
// deadline that works), the list shows each with its progress, and a transfer's page draws its
// plan as bandwidth over time (uPlot) with the bytes it has delivered by now.
import uPlot from "uplot";
import { all, api } from "../api.js";
import { badge, fillMeters, meter, rate } from "../format.js";
import { html, setHtml } from "../html.js";
import { $, state } from "../state.js";

export async function prepareTransferForm() {
  if (state.role === "operator") {
    const tenants = await all("/v1/tenants");
    setHtml($("transfer-tenant"), tenants.map((t) => html`<option value="${t.id}">${t.name} (${t.id})</option>`));
  }
  const own = state.ports.filter((p) => !p.cloud_provider);
  setHtml($("transfer-ports"), own.map((p) => html`<option value="${p.id}">${p.name} at ${p.site}</option>`));
  $("transfer-form").addEventListener("submit", (e) => {
    e.preventDefault();
    orderTransfer();
  });
  $("transfer-cancel").addEventListener("click", cancelShown);
}

// "1.5 PB", "200 TB", "750 GB"
export function size(bytes) {
  for (const [unit, scale] of [["PB", 1e15], ["TB", 1e12], ["GB", 1e9]]) {
    if (bytes >= scale) return `${+(bytes / scale).toFixed(2)} ${unit}`;
  }
  return `${bytes} B`;
}

export async function renderTransfers() {
  const items = await all("/v1/transfers");
  setHtml($("transfer-table").querySelector("tbody"), items.map((t) =>
    html`<tr data-id="${t.id}" tabindex="0"><td>${t.id}</td><td>${t.a_end} → ${t.z_end}</td><td>${size(t.bytes)}</td>
      <td><time datetime="${t.deadline}">${new Date(t.deadline).toLocaleString()}</time></td><td>${badge(t.state)}</td>
      <td>${meter(t.progress.fraction, 0)}</td></tr>`));
  fillMeters($("transfer-table"));
  $("transfer-count").textContent = `${items.length} transfer${items.length === 1 ? "" : "s"}`;
}

async function orderTransfer() {
  const error = $("transfer-error");
  error.textContent = "";
  setHtml($("transfer-suggestion"), "");
  const terabytes = Number($("transfer-size").value);
  const body = {
    a_end: $("transfer-a").value.trim(),
    z_end: $("transfer-z").value.trim(),
    bytes: terabytes * 1e12,
  };
  const wrong = !body.a_end || !body.z_end ? "Name both ports."
    : !(terabytes > 0) ? "Size: a number of terabytes above 0."
      : !$("transfer-deadline").value ? "Deadline: when the last byte must be there." : "";
  if (wrong) {
    error.textContent = wrong;
    return;
  }
  body.deadline = new Date($("transfer-deadline").value).toISOString();
  if ($("transfer-earliest").value) body.earliest = new Date($("transfer-earliest").value).toISOString();
  if ($("transfer-max-price").value) body.max_price = Number($("transfer-max-price").value);
  if (state.role === "operator") body.tenant = $("transfer-tenant").value;
  $("transfer-submit").disabled = true;
  const made = await api("POST", "/v1/transfers", body, { "Idempotency-Key": crypto.randomUUID() });
  $("transfer-submit").disabled = false;
  if (made.status === 201) {
    location.hash = `#/transfers/${made.body.id}`;
    return;
  }
  error.textContent = made.body.detail || `The server answered ${made.status}.`;
  // Too much for the deadline: offer the earliest one that works.
  if (made.body.earliest_deadline) {
    const when = new Date(made.body.earliest_deadline);
    setHtml($("transfer-suggestion"), html`<button type="button" id="transfer-use-earliest">Use the earliest deadline that works: ${when.toLocaleString()}</button>`);
    $("transfer-use-earliest").addEventListener("click", () => {
      // datetime-local wants local time without a zone, to the minute (rounded up).
      const local = new Date(Math.ceil(when.getTime() / 60000) * 60000 - when.getTimezoneOffset() * 60000);
      $("transfer-deadline").value = local.toISOString().slice(0, 16);
      setHtml($("transfer-suggestion"), "");
      error.textContent = "";
    });
  }
}

async function cancelShown() {
  const id = state.transferId;
  if (!id) return;
  const ended = await api("DELETE", `/v1/transfers/${encodeURIComponent(id)}`);
  if (ended.status !== 202) $("transfer-detail-error").textContent = ended.body.detail || `The server answered ${ended.status}.`;
  await showTransfer(id);
}

// The plan as points in time (seconds): Gb/s planned from each point on, and TB delivered by it.
export function planSeries(transfer) {
  const legs = transfer.legs.map((l) => ({
    end: Date.parse(l.end) / 1000,
    steps: l.steps.map((s) => ({ at: Date.parse(s.at) / 1000, gbps: s.bandwidth_mbps / 1000 })),
  }));
  const times = [...new Set(legs.flatMap((l) => [...l.steps.map((s) => s.at), l.end]))].sort((a, b) => a - b);
  const rateAt = (t) => legs.reduce((sum, l) => {
    if (t >= l.end) return sum;
    const step = l.steps.filter((s) => s.at <= t).at(-1);
    return sum + (step ? step.gbps : 0);
  }, 0);
  const gbps = times.map(rateAt);
  const terabytes = [0];
  for (let i = 1; i < times.length; ++i) terabytes.push(terabytes[i - 1] + gbps[i - 1] * (times[i] - times[i - 1]) / 8000);
  return [times, gbps, terabytes];
}

function drawPlan(transfer) {
  const box = $("transfer-chart");
  if (state.transferChart) state.transferChart.destroy();
  box.textContent = "";
  const data = planSeries(transfer);
  const now = Date.now() / 1000;
  const options = {
    width: Math.max(280, box.clientWidth || 480),
    height: 220,
    scales: { x: { time: true }, tb: { range: (u, min, max) => [0, Math.max(max, transfer.bytes / 1e12)] } },
    axes: [
      {},
      { label: "Gb/s", size: 50 },
      { label: "TB delivered", scale: "tb", side: 1, grid: { show: false }, size: 60 },
    ],
    series: [
      {},
      { label: "Planned Gb/s", stroke: "#1f6fb2", fill: "rgba(31,111,178,.15)", width: 2, paths: uPlot.paths.stepped({ align: 1 }) },
      { label: "TB delivered by plan", scale: "tb", stroke: "#2e7d32", width: 2 },
    ],
    // Where the transfer stands now.
    hooks: {
      draw: [(u) => {
        const x = u.valToPos(now, "x", true);
        if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
        u.ctx.save();
        u.ctx.strokeStyle = "#b00020";
        u.ctx.setLineDash([4, 3]);
        u.ctx.beginPath();
        u.ctx.moveTo(x, u.bbox.top);
        u.ctx.lineTo(x, u.bbox.top + u.bbox.height);
        u.ctx.stroke();
        u.ctx.restore();
      }],
    },
  };
  state.transferChart = new uPlot(options, data, box);
  box.dataset.points = String(data[0].length);
  box.dataset.peakGbps = String(Math.max(0, ...data[1]));
}

export async function showTransfer(id) {
  state.transferId = id;
  $("transfer-detail-error").textContent = "";
  const got = await api("GET", `/v1/transfers/${encodeURIComponent(id)}`);
  if (got.status !== 200) {
    $("transfer-title").textContent = "No such transfer";
    setHtml($("transfer-facts"), "");
    setHtml($("transfer-legs").querySelector("tbody"), "");
    $("transfer-cancel").hidden = true;
    if (state.transferChart) state.transferChart.destroy();
    state.transferChart = null;
    return;
  }
  const t = got.body;
  setHtml($("transfer-title"), html`${t.id} ${badge(t.state)}`);
  $("transfer-facts").dataset.state = t.state;
  const facts = [
    ["Ends", `${t.a_end} → ${t.z_end}`],
    ["Size", size(t.bytes)],
    ["Deadline", new Date(t.deadline).toLocaleString()],
    ["Last byte by", `${new Date(t.finish).toLocaleString()} (as planned)`],
    ["Price", `${t.price.total.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${t.price.currency}`],
  ];
  if (t.earliest) facts.splice(2, 0, ["Not before", new Date(t.earliest).toLocaleString()]);
  if (t.cancelled) facts.push(["Cancelled", new Date(t.cancelled).toLocaleString()]);
  setHtml($("transfer-facts"), [
    facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`),
    html`<dt>Delivered</dt><dd id="transfer-progress" data-source="${t.progress.source}">${meter(t.progress.fraction, 0)} (${size(t.progress.delivered_bytes)}${t.progress.source === "devices"
      ? `, counted by the devices at ${new Date(t.progress.counted_at).toLocaleTimeString()}`
      : ", by the plan"})</dd>`,
    t.state === "cancelled" ? "" : html`<dt>Outlook</dt><dd id="transfer-outlook">${t.progress.on_track
      ? "on track: every byte by the plan's finish"
      : `short: ${size(Math.max(0, t.bytes - t.progress.expected_bytes))} will not arrive as planned`}</dd>`,
  ]);
  fillMeters($("transfer-facts"));
  const when = (at) => new Date(at).toLocaleString([], { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
  setHtml($("transfer-legs").querySelector("tbody"), t.legs.map((l) => {
    const peak = Math.max(...l.steps.map((s) => s.bandwidth_mbps));
    return html`<tr data-id="${l.connection}" tabindex="0"><td>${l.connection}</td><td>${badge(l.state)}</td>
      <td>${when(l.start)} – ${when(l.end)}</td><td>up to ${rate(peak)} over ${l.fibers.length} fibers</td></tr>`;
  }));
  // Each route the plan uses, on the map.
  const routes = [...new Map(t.legs.map((l) => [l.fibers.join(","), l.nodes])).values()];
  state.map.drawRoutes(routes.map((nodes, i) => ({ nodes, cls: i === 0 ? "route working" : "route protection" })));
  $("transfer-cancel").hidden = state.role === "viewer" || !["scheduled", "running"].includes(t.state);
  drawPlan(t);
}

// A transfer's event: its row and, when shown, its page are read again.
export async function onTransferEvent(event) {
  if (!event.subject || !event.subject.startsWith("xfer_")) return;
  if (!$("view-transfers").hidden) await renderTransfers();
  if (state.transferId === event.subject && !$("view-transfer").hidden) await showTransfer(event.subject);
}
