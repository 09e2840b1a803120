// The portal: sign in with an API key, see the network, the connections and their paths, order
// with a live quote, watch it come up; operators also see utilization, tenants and the audit log.
// This file signs in, routes between the views (views/*.js) and wires the page's controls.
import { all, api, followEvents, forgetKey, saveKey, savedKey } from "./api.js";
import { NetworkMap } from "./map.js";
import { $, state } from "./state.js";
import { loadConnections, moreConnections, onEvent, reloadConnections, renderConnections, searchConnections, showDetail } from "./views/connections.js";
import { drawLegend, showSite, showSpectrum } from "./views/network.js";
import { renderOperator } from "./views/operator.js";
import { prepareOrderForm, requestQuote, submitOrder } from "./views/order.js";
import { onTransferEvent, prepareTransferForm, renderTransfers, showTransfer } from "./views/transfers.js";

// ---------------------------------------------------------------------------------------------
// Sign-in: the server says who the key is (GET /v1/me).

async function signIn(key) {
  saveKey(key);
  const me = await api("GET", "/v1/me");
  if (me.status === 401) {
    forgetKey();
    throw new Error("that key is not valid");
  }
  if (me.status !== 200) throw new Error(me.body.detail || `the server answered ${me.status}`);
  state.role = me.body.role;
  state.tenant = me.body.tenant;
}

const FAILURE_EVENTS = new Set(["connection.switched", "connection.restored", "connection.down", "connection.degraded", "connection.protected"]);

async function refreshCuts() {
  const r = await api("GET", "/v1/topology");
  if (r.status !== 200) return;
  state.map.markCut(new Set(r.body.fibers.filter((f) => f.down).map((f) => f.id)));
}

async function start() {
  $("sign-in").hidden = true;
  $("app").hidden = false;
  $("nav").hidden = false;
  $("who").hidden = false;
  $("who-text").textContent = state.role === "operator" ? "operator" : `${state.tenant || "tenant"} · ${state.role}`;
  document.querySelectorAll("[data-role=operator]").forEach((e) => (e.hidden = state.role !== "operator"));
  if (state.role === "viewer") $("nav").querySelector("[data-view=order]").hidden = true;
  $("transfer-form").hidden = state.role === "viewer";

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
  state.stopEvents = followEvents(null, (event) => {
    // A failure or its repair moves connections: the map's cut fibers are read again.
    if (FAILURE_EVENTS.has(event.type)) refreshCuts();
    if (event.type.startsWith("transfer.")) return onTransferEvent(event);
    return onEvent(event);
  });
  state.ports = await all("/v1/ports");
  await loadConnections();
  await prepareOrderForm();
  await prepareTransferForm();
  route();
}

// ---------------------------------------------------------------------------------------------
// Views by URL hash: #/map, #/connections, #/connections/<id>, #/order, #/transfers,
// #/transfers/<id>, #/operator, #/spectrum/<fiber>

function show(view) {
  document.querySelectorAll(".view").forEach((v) => (v.hidden = v.id !== `view-${view}`));
  const nav = { detail: "connections", spectrum: "map", transfer: "transfers" }[view] || view;
  document.querySelectorAll("#nav a").forEach((a) => {
    if (a.dataset.view === nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  });
}

async function route() {
  const [, view, arg] = (location.hash || "#/map").split("/");
  state.detailId = null;
  state.transferId = null;
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
    case "transfers":
      if (arg) {
        show("transfer");
        await showTransfer(arg);
      } else {
        show("transfers");
        await renderTransfers();
      }
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
// Wiring

// Opens what a table row names, by click or Enter.
function onRow(table, selector, open) {
  const handler = (event) => {
    const row = event.target.closest(selector);
    if (row && (event.type === "click" || event.key === "Enter")) open(row);
  };
  $(table).addEventListener("click", handler);
  $(table).addEventListener("keydown", handler);
}

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
  $("conn-state").addEventListener("input", reloadConnections);
  $("conn-search").addEventListener("input", searchConnections);
  $("conn-more").addEventListener("click", moreConnections);
  onRow("conn-table", "tr[data-id]", (row) => (location.hash = `#/connections/${row.dataset.id}`));
  onRow("transfer-table", "tr[data-id]", (row) => (location.hash = `#/transfers/${row.dataset.id}`));
  onRow("transfer-legs", "tr[data-id]", (row) => (location.hash = `#/connections/${row.dataset.id}`));
  onRow("util-table", "tr[data-fiber]", (row) => (location.hash = `#/spectrum/${row.dataset.fiber}`));
  // A tenant's row opens the connections, searched for that tenant.
  onRow("tenant-table", "tr[data-tenant]", async (row) => {
    $("conn-search").value = row.dataset.tenant;
    state.connTenant = row.dataset.tenant;
    await reloadConnections();
    location.hash = "#/connections";
  });
  $("order-form").addEventListener("submit", submitOrder);
  window.addEventListener("hashchange", () => state.map && route());
}

wire();
if (savedKey()) {
  signIn(savedKey()).then(start).catch(() => forgetKey());
}
