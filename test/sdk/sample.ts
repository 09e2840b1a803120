// A customer's automation, written against the client generated from Lightpath's API document
// (openapi-typescript types + openapi-fetch): order an Ethernet circuit, wait on the event feed
// until it is active, terminate it, and see it terminated. Type-checked strictly by tsc, then
// run against a live server by sdk_test.sh.
// Environment: LIGHTPATH_URL, LIGHTPATH_API_KEY (a tenant admin's key), LIGHTPATH_A, LIGHTPATH_Z
// (two ports of that tenant).
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

type Connection = components["schemas"]["Connection"];
type State = Connection["state"];

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const client = createClient<paths>({
  baseUrl: env("LIGHTPATH_URL"),
  headers: { Authorization: `Bearer ${env("LIGHTPATH_API_KEY")}` },
});

// Follows the event feed from `after` (none: the oldest) until the connection reaches `state`;
// returns the cursor (opaque) to go on from.
async function waitFor(id: string, state: State, after?: string): Promise<string | undefined> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const query = after === undefined ? { limit: 100 } : { after, limit: 100 };
    const { data, error } = await client.GET("/v1/events", { params: { query } });
    if (error) throw new Error(`events: ${error.detail}`);
    for (const event of data.items) {
      after = event.cursor;
      if (event.subject === id && event.data.state === state) return after;
    }
    after = data.next_cursor;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${id} did not become ${state} within 30 s`);
}

const ordered = await client.POST("/v1/connections", {
  params: { header: { "Idempotency-Key": `sdk-sample-${Date.now()}` } },
  body: { kind: "ethernet", a_end: env("LIGHTPATH_A"), z_end: env("LIGHTPATH_Z"), bandwidth_mbps: 1000 },
});
if (ordered.error) throw new Error(`order: ${ordered.error.detail}`);
const connection: Connection = ordered.data;
console.log(`ordered ${connection.id}: ${connection.state}`);

let cursor = await waitFor(connection.id, "active");
console.log(`${connection.id} is active`);

const removed = await client.DELETE("/v1/connections/{id}", { params: { path: { id: connection.id } } });
if (removed.error) throw new Error(`delete: ${removed.error.detail}`);
cursor = await waitFor(connection.id, "terminated", cursor);

const shown = await client.GET("/v1/connections/{id}", { params: { path: { id: connection.id } } });
if (shown.error) throw new Error(`show: ${shown.error.detail}`);
console.log(`${connection.id} is ${shown.data.state} (event ${cursor})`);
if (shown.data.state !== "terminated") process.exit(1);
