// The portal in a real browser: Debian's Chromium driven by playwright-core against a
// `lightpath serve` started here on a free port. Sign in, the map, ordering a protected 200G
// wavelength with its quote in view, watching it become active with its path drawn, an
// infeasible request's reason, tenant isolation, a bulk transfer's plan drawn, the operator's
// views. Screenshots go to
// $LIGHTPATH_SCREENSHOTS (default: a temporary directory).
// Usage: LIGHTPATH_BINARY=build/apps/lightpath/lightpath node --test test/e2e/portal_test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const repo = new URL("../../", import.meta.url).pathname;
const require = createRequire(join(repo, "web/package.json"));
const { chromium } = require("playwright-core");

const binary = process.env.LIGHTPATH_BINARY || join(repo, "build/apps/lightpath/lightpath");
const shots = process.env.LIGHTPATH_SCREENSHOTS || mkdtempSync(join(tmpdir(), "lightpath-shots-"));
mkdirSync(shots, { recursive: true });
const data = mkdtempSync(join(tmpdir(), "lightpath-e2e-"));
let server, url, operatorKey, browser;
const keys = {};

async function call(key, method, path, body) {
  const response = await fetch(url + path, {
    method,
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

before(async () => {
  assert.ok(existsSync(join(repo, "web/dist/index.html")), "the portal is not built: scripts/build-web.sh");
  server = spawn(binary, ["serve", "--listen", "127.0.0.1:0", "--data", data, "--web", join(repo, "web/dist"), "--log-level", "warn"],
                 { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/portal: +(http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
  operatorKey = readFileSync(join(data, "operator.key"), "utf8").trim();
  for (const [tenant, ports] of [["acme", ["dc-ashburn-p1", "dc-hillsboro-p1"]], ["globex", ["dc-santa-clara-p1"]]]) {
    assert.equal((await call(operatorKey, "POST", "/v1/tenants", { id: tenant, name: `${tenant} inc` })).status, 201);
    for (const p of ports) assert.equal((await call(operatorKey, "PATCH", `/v1/ports/${p}`, { tenant })).status, 200);
    keys[tenant] = (await call(operatorKey, "POST", "/v1/api-keys", { tenant, role: "admin" })).body.secret;
  }
  assert.equal((await call(operatorKey, "POST", "/v1/tenants", { id: "odd", name: "<b>odd</b> & co" })).status, 201);
  // A network in use: wavelengths between the data centers, so fibers show their load.
  const dcs = (await call(operatorKey, "GET", "/v1/locations?kind=datacenter")).body.items.map((s) => s.id);
  for (let i = 0; i < 60; ++i) {
    const a = dcs[i % dcs.length];
    const z = dcs[(i * 5 + 3) % dcs.length];
    if (a === z) continue;
    await call(operatorKey, "POST", "/v1/connections", { kind: "wavelength", a_end: a, z_end: z, bandwidth_mbps: 200000, tenant: "globex" });
  }
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
           "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGTERM");
  rmSync(data, { recursive: true, force: true });
});

async function signedIn(key) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const outside = [];
  page.on("request", (r) => { if (!r.url().startsWith(url)) outside.push(r.url()); });
  page.outside = outside;
  await page.goto(url + "/");
  // Before anyone signs in there is nothing to navigate and nobody to sign out.
  assert.equal(await page.locator("#nav").isVisible(), false, "navigation before sign-in");
  assert.equal(await page.getByRole("button", { name: "Sign out" }).isVisible(), false, "sign out before sign-in");
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForSelector("#map circle.site");
  return page;
}

test("an operator sees the whole network on the map, offline", async () => {
  const page = await signedIn(operatorKey);
  const topology = (await call(operatorKey, "GET", "/v1/topology")).body;
  assert.equal(await page.locator("#map circle.site").count(), topology.sites.length);
  assert.equal(await page.locator("#map line.fiber").count(), topology.fibers.length);
  assert.ok((await page.locator("#map path.land").count()) > 40, "the US outline is drawn");
  await page.locator(`#map circle[data-site="denver"]`).hover();
  await page.waitForSelector("#tooltip:not([hidden])");
  assert.match(await page.locator("#tooltip").innerText(), /Denver/);
  await page.screenshot({ path: join(shots, "portal-map.png") });
  assert.deepEqual(page.outside, [], "no request left the machine");

  // Accessible: every control has a label; sites work from the keyboard.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll("input, select")]
    .filter((e) => e.labels.length === 0 && !e.getAttribute("aria-label")).map((e) => e.id));
  assert.deepEqual(unlabelled, []);
  await page.locator('#map circle[data-site="denver"]').focus();
  await page.keyboard.press("Enter");
  await page.locator("#selection h3", { hasText: "Denver" }).waitFor();
  // A tablet: the side panel goes under the map, nothing scrolls sideways.
  await page.setViewportSize({ width: 768, height: 1024 });
  const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  assert.ok(fits, "the page is wider than a tablet");
  const map = await page.locator("#map").boundingBox();
  const side = await page.locator(".side").boundingBox();
  assert.ok(side.y >= map.y + map.height - 1, "the panel sits under the map");
  await page.close();
});

test("a customer orders a protected 200G wavelength with the quote in view and watches it come up", async () => {
  const page = await signedIn(keys.acme);
  await page.getByRole("link", { name: "Order" }).click();
  await page.getByLabel("Kind").selectOption("wavelength");
  await page.getByLabel("A end").fill("dc-ashburn");
  await page.getByLabel("Z end").fill("dc-hillsboro");
  await page.getByLabel("Bandwidth").selectOption("200000");
  await page.getByLabel("Protection").selectOption("1+1");
  const quote = page.locator('#quote[data-feasible="true"]');
  await quote.waitFor();
  assert.match(await quote.innerText(), /USD a month/);
  assert.match(await quote.innerText(), /ms one way/);
  assert.match(await quote.innerText(), /protection path/);
  assert.match(await quote.innerText(), /protection light: GSNR \d+\.\d dB, \d+\.\d dB margin/);
  assert.equal(await page.locator("#map polyline.route.quote").count(), 2, "both legs of the quote are drawn");
  await page.screenshot({ path: join(shots, "portal-order-quote.png") });

  // Typing a place instead of an id finds the one site it names.
  await page.getByLabel("Z end").fill("Atlantis");
  await page.locator('#quote[data-feasible="false"]').waitFor();
  await page.getByLabel("Z end").fill("Hillsboro");
  await quote.waitFor();
  assert.match(await quote.innerText(), /ms one way/);
  await page.getByLabel("Z end").fill("dc-hillsboro");
  await quote.waitFor();
  // A latency bound the network cannot meet: the reason, and no order button.
  await page.getByLabel("Max latency (ms, optional)").fill("5");
  const refused = page.locator('#quote[data-feasible="false"]');
  await refused.waitFor();
  assert.match(await refused.innerText(), /within 5\.00 ms/);
  assert.ok(await page.getByRole("button", { name: "Order" }).isDisabled());
  await page.getByLabel("Max latency (ms, optional)").fill("");
  await quote.waitFor();
  // Encrypted in the transponders, keys managed by Lightpath.
  await page.getByLabel("Encryption").selectOption("on");
  await quote.waitFor();

  await page.getByRole("button", { name: "Order" }).click();
  await page.waitForURL(/#\/connections\/conn_/);
  const id = page.url().split("/").pop();
  await page.locator('#detail-facts[data-state="active"]').waitFor({ timeout: 15000 });
  assert.equal(await page.locator("#map polyline.route.working").count(), 1);
  assert.equal(await page.locator("#map polyline.route.protection").count(), 1);
  assert.match(await page.locator("#detail-timeline").innerText(), /active/);
  await page.screenshot({ path: join(shots, "portal-connection.png") });
  const stored = (await call(keys.acme, "GET", `/v1/connections/${id}`)).body;
  assert.equal(stored.state, "active");
  assert.equal(stored.requested.protection, "1+1");
  assert.equal(stored.requested.encryption, "layer1");
  assert.match(await page.locator("#detail-facts").innerText(),
    new RegExp(`layer 1, key ${stored.current.encryption.key_id.slice(0, 8)}`));

  // Its fiber's spectrum shows it.
  await page.goto(`${url}/#/spectrum/${stored.current.fibers[0]}`);
  await page.locator(`#spectrum rect.block[data-connection="${id}"]`).waitFor();
  await page.close();

  // Another tenant sees neither it in the list nor its page.
  const other = await signedIn(keys.globex);
  await other.getByRole("link", { name: "Connections" }).click();
  await other.waitForSelector("#conn-count");
  assert.doesNotMatch(await other.locator("#view-connections").innerText(), new RegExp(id));
  await other.goto(`${url}/#/connections/${id}`);
  await other.locator("#detail-title", { hasText: "No such connection" }).waitFor();
  await other.goto(`${url}/#/spectrum/${stored.current.fibers[0]}`);
  // It sees how full the fiber is, not where acme's light sits.
  await other.locator("#spectrum-legend li", { hasText: "in use by other tenants" }).waitFor();
  assert.equal(await other.locator(`#spectrum rect.block[data-connection="${id}"]`).count(), 0);
  await other.close();
});

test("a cloud connection waits for the customer at the provider, and says what to do there", async () => {
  const page = await signedIn(keys.acme);
  await page.getByRole("link", { name: "Order" }).click();
  await page.getByLabel("Kind").selectOption("cloud");
  await page.getByLabel("A end").fill("dc-ashburn-p1");
  await page.getByLabel("Z end").fill("aws-ashburn-p4");
  // The key field is named for what this on-ramp's provider asks of the customer.
  await page.locator("#order-cloud-key-label", { hasText: "Your AWS account id" }).waitFor();
  await page.getByLabel("Your AWS account id").fill("123456789012");
  await page.getByLabel("Bandwidth").selectOption("1000");
  await page.locator('#quote[data-feasible="true"]').waitFor();
  await page.getByRole("button", { name: "Order" }).click();
  await page.waitForURL(/#\/connections\/conn_/);
  const facts = page.locator('#detail-facts[data-state="awaiting_counterparty"]');
  await facts.waitFor({ timeout: 15000 });
  await page.locator("#detail-facts", { hasText: "Waiting for you" }).waitFor({ timeout: 15000 });
  const text = await page.locator("#detail-facts").innerText();
  assert.match(text, /At AWS\s+dxcon-[0-9a-f]+: ordering/);
  assert.match(text, /to accept the hosted connection dxcon-[0-9a-f]+ in AWS/);
  await page.close();
});

// A time as a datetime-local field takes it: the browser's local time, to the minute.
function localInput(ms) {
  const d = new Date(ms);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

test("a customer orders a bulk transfer, is offered the earliest deadline that works, and sees the plan drawn", async () => {
  const page = await signedIn(keys.acme);
  await page.getByRole("link", { name: "Transfers" }).click();
  await page.getByLabel("From port").fill("dc-ashburn-p1");
  await page.getByLabel("To port").fill("dc-hillsboro-p1");
  await page.getByLabel("Size (TB)").fill("500");
  await page.getByLabel("Deadline (your local time)").fill(localInput(Date.now() + 3600e3));
  await page.getByRole("button", { name: "Plan and order" }).click();
  // 500 TB in an hour is more than the ports carry: why, and the deadline that works.
  await page.locator("#transfer-error", { hasText: "earliest deadline" }).waitFor();
  await page.locator("#transfer-use-earliest").click();
  const deadline = new Date(await page.getByLabel("Deadline (your local time)").inputValue()).getTime();
  assert.ok(deadline > Date.now() + 3600e3, "the offered deadline is later than the one asked");
  await page.getByRole("button", { name: "Plan and order" }).click();
  await page.waitForURL(/#\/transfers\/xfer_/);
  const id = page.url().split("/").pop();
  await page.locator("#transfer-facts[data-state]").waitFor();
  const stored = (await call(keys.acme, "GET", `/v1/transfers/${id}`)).body;
  assert.equal(stored.bytes, 500e12);
  assert.ok(Date.parse(stored.finish) <= Date.parse(stored.deadline));
  // The plan drawn: uPlot's canvas, a point at every change of rate, the peak as planned.
  await page.locator("#transfer-chart canvas").waitFor();
  const chart = page.locator("#transfer-chart");
  const times = new Set(stored.legs.flatMap((l) => [...l.steps.map((s) => s.at), l.end]));
  assert.equal(Number(await chart.getAttribute("data-points")), times.size);
  assert.ok(Number(await chart.getAttribute("data-peak-gbps")) >= 100, "the plan runs at 100 Gb/s or more");
  assert.equal(await page.locator("#transfer-legs tbody tr").count(), stored.legs.length);
  const routes = new Set(stored.legs.map((l) => l.fibers.join(",")));
  assert.equal(await page.locator("#map polyline.route").count(), routes.size, "each route of the plan on the map");
  assert.match(await page.locator("#transfer-facts").innerText(), /500 TB/);
  await page.locator("#transfer-progress").waitFor();
  await page.locator("#transfer-outlook", { hasText: "on track" }).waitFor();
  await page.screenshot({ path: join(shots, "portal-transfer.png") });
  // In the list with its progress; cancelled from its page, live.
  await page.getByRole("link", { name: "← Transfers" }).click();
  await page.locator(`#transfer-table tr[data-id="${id}"]`).waitFor();
  await page.locator(`#transfer-table tr[data-id="${id}"]`).click();
  await page.getByRole("button", { name: "Cancel the transfer" }).click();
  await page.locator('#transfer-facts[data-state="cancelled"]').waitFor();
  assert.equal((await call(keys.acme, "GET", `/v1/transfers/${id}`)).body.state, "cancelled");
  await page.close();
  // Another tenant does not see it.
  assert.equal((await call(keys.globex, "GET", `/v1/transfers/${id}`)).status, 404);
});

test("the operator's views: loaded fibers, tenants, the audit log", async () => {
  const page = await signedIn(operatorKey);
  await page.getByRole("link", { name: "Operations" }).click();
  await page.locator("#util-table tbody tr").first().waitFor();
  await page.locator("#tenant-table tbody tr", { hasText: "acme" }).waitFor();
  // Names are shown as text, never as markup.
  const odd = await page.locator("#tenant-table tbody tr", { hasText: "<b>odd</b> & co" });
  await odd.waitFor();
  assert.equal(await odd.locator("b").count(), 0, "a tenant's name was rendered as HTML");
  await page.locator("#audit-table tbody tr").first().waitFor();
  assert.match(await page.locator("#audit-table").innerText(), /POST \/v1\/connections/);
  // The busiest fiber leads the list, with the spectrum it uses.
  const first = await page.locator("#util-table tbody tr").first().getAttribute("data-fiber");
  const topology = (await call(operatorKey, "GET", "/v1/topology")).body;
  const busiest = Math.max(...topology.fibers.map((f) => f.spectrum_utilization));
  assert.ok(busiest > 0);
  assert.equal(topology.fibers.find((f) => f.id === first).spectrum_utilization, busiest);
  await page.screenshot({ path: join(shots, "portal-operations.png") });
  // A tenant's row opens its connections.
  await page.locator("#tenant-table tbody tr", { hasText: "acme" }).click();
  await page.waitForURL(/#\/connections$/);
  await page.locator("#conn-table tbody tr").first().waitFor();
  const tenants = await page.locator("#conn-table tbody tr").evaluateAll((rows) => rows.length);
  assert.ok(tenants >= 1);
  assert.equal(await page.locator("#conn-search").inputValue(), "acme");
  await page.close();
});

test("a fiber cut: the customer's connection is restored live, the outage is on its timeline and the cut on the map", async () => {
  const made = await call(keys.acme, "POST", "/v1/connections", { kind: "ethernet", a_end: "dc-ashburn-p1", z_end: "dc-hillsboro-p1", bandwidth_mbps: 1000 });
  assert.equal(made.status, 201);
  const id = made.body.id;
  const page = await signedIn(keys.acme);
  await page.goto(`${url}/#/connections/${id}`);
  await page.locator('#detail-facts[data-state="active"]').waitFor({ timeout: 15000 });
  const cut = (await call(keys.acme, "GET", `/v1/connections/${id}`)).body.current.fibers[1];
  const failure = await call(operatorKey, "POST", "/v1/failures", { fiber: cut, reason: "backhoe" });
  assert.equal(failure.status, 201);
  assert.ok(failure.body.restored.includes(id));
  // Live, from the event stream: the outage among the moves, the cut fiber dashed on the map.
  await page.locator("#detail-timeline li.outage", { hasText: "backhoe" }).waitFor();
  await page.locator(`#map line.fiber.cut[data-fiber="${cut}"]`).waitFor();
  assert.match(await page.locator("#detail-facts").innerText(), /Availability/);
  await page.screenshot({ path: join(shots, "portal-fiber-cut.png") });
  await page.close();
  assert.equal((await call(operatorKey, "DELETE", `/v1/failures/${failure.body.id}`)).status, 200);
});

test("the API reference at /docs renders the served document, offline", async () => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const outside = [], errors = [];
  page.on("request", (r) => { if (!r.url().startsWith(url) && !r.url().startsWith("blob:")) outside.push(r.url()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(url + "/docs");
  // Each operation under its tag, with its summary; the document's title.
  await page.locator("h1", { hasText: "Lightpath API" }).waitFor({ timeout: 60000 });
  await page.locator("h2", { hasText: "Order a connection" }).waitFor();
  await page.locator("h2", { hasText: "Quote a connection" }).waitFor();
  await page.getByText("Service levels").first().waitFor({ state: "attached" });  // a tag, in the menu
  await page.screenshot({ path: join(shots, "api-reference.png") });
  assert.deepEqual(errors, [], "the page ran without errors (a blocked style or script shows here)");
  assert.deepEqual(outside, [], "no request left the machine");
  await page.close();
});

test("the connection table pages on the server: newest first, More for the next page, an id found anywhere", async () => {
  const made = [];
  for (let i = 0; i < 110; ++i) {
    const r = await call(keys.acme, "POST", "/v1/connections", { kind: "ethernet", a_end: "dc-ashburn-p1", z_end: "dc-hillsboro-p1", bandwidth_mbps: 50 });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    made.push(r.body.id);
  }
  const mine = (await call(keys.acme, "GET", "/v1/connections?limit=1")).body.total;
  assert.equal((await call(operatorKey, "PATCH", "/v1/ports/dc-ashburn-p2", { tenant: "acme" })).status, 200);
  const page = await signedIn(keys.acme);
  await page.goto(`${url}/#/connections`);
  const rows = () => page.locator("#conn-table tbody tr").evaluateAll((r) => r.map((row) => row.dataset.id));
  await page.locator(`#conn-table tbody tr[data-id="${made.at(-1)}"]`).waitFor();
  assert.equal((await rows()).length, 100);
  assert.match(await page.locator("#conn-count").innerText(), new RegExp(`^100 shown of ${mine} connections`));
  // The oldest is on no page loaded yet; asked for by its id, it is there.
  assert.ok(!(await rows()).includes(made[0]));
  await page.locator("#conn-search").fill(made[0]);
  await page.locator(`#conn-table tbody tr[data-id="${made[0]}"]`).waitFor();
  assert.deepEqual(await rows(), [made[0]]);
  await page.locator("#conn-search").fill("");
  await page.locator("#conn-more").click();
  await page.waitForFunction((n) => document.querySelectorAll("#conn-table tbody tr").length === n, mine);
  assert.ok(await page.locator("#conn-more").isHidden());
  const shown = await rows();
  assert.deepEqual(shown, [...shown].sort().reverse(), "newest first");
  // The state filter asks the server: none of acme's is being modified.
  await page.locator("#conn-state").selectOption("modifying");
  await page.waitForFunction(() => document.querySelectorAll("#conn-table tbody tr").length === 0);
  await page.locator("#conn-state").selectOption("");
  await page.waitForFunction((n) => document.querySelectorAll("#conn-table tbody tr").length === n, 100);
  // An end and a tag are searched for on the server: the oldest, retagged, is found though it is
  // on no page loaded, by its tag and by its end (the only one at dc-ashburn-p2).
  const retag = await call(keys.acme, "PATCH", `/v1/connections/${made[0]}`, { tags: { batch: "oldest" } });
  assert.equal(retag.status, 200, JSON.stringify(retag.body));
  await page.locator("#conn-search").fill("batch=oldest");
  await page.waitForFunction((id) => [...document.querySelectorAll("#conn-table tbody tr")].map((r) => r.dataset.id).join() === id, made[0]);
  const other = await call(keys.acme, "POST", "/v1/connections", { kind: "ethernet", a_end: "dc-ashburn-p2", z_end: "dc-hillsboro-p1", bandwidth_mbps: 50 });
  assert.equal(other.status, 201, JSON.stringify(other.body));
  await page.locator("#conn-search").fill("dc-ashburn-p2");
  await page.waitForFunction((id) => [...document.querySelectorAll("#conn-table tbody tr")].map((r) => r.dataset.id).join() === id, other.body.id);
  assert.match(await page.locator("#conn-count").innerText(), /^1 shown$/);
  await page.close();
});
