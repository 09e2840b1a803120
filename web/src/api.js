// The API from the browser: the key lives in sessionStorage (this tab only); every call sends it
// as a bearer token. Events come over fetch() streaming, since EventSource cannot send headers.

const KEY = "lightpath.key";

export function savedKey() {
  return sessionStorage.getItem(KEY) || "";
}
export function saveKey(key) {
  sessionStorage.setItem(KEY, key);
}
export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

// Returns {status, body, headers}; body is parsed JSON when the answer is JSON.
export async function api(method, path, body, headers = {}) {
  const init = { method, headers: { Authorization: `Bearer ${savedKey()}`, ...headers } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const type = response.headers.get("Content-Type") || "";
  const parsed = type.includes("json") ? await response.json() : await response.text();
  return { status: response.status, body: parsed, headers: response.headers };
}

// Every page of a list: GET path?offset=..&limit=1000 until `total`.
export async function all(path) {
  const items = [];
  for (let offset = 0; ; offset += 1000) {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api("GET", `${path}${sep}offset=${offset}&limit=1000`);
    if (page.status !== 200) throw new Error(page.body.detail || `${path}: ${page.status}`);
    items.push(...page.body.items);
    if (items.length >= page.body.total || page.body.items.length === 0) return items;
  }
}

// Follows /v1/events/stream from now on (or after the cursor `after`); calls onEvent(event) for
// each. Reconnects after a drop, resuming from the last cursor. Returns a function that stops it.
export function followEvents(after, onEvent) {
  let stopped = false;
  let cursor = after;
  let controller = new AbortController();
  (async function run() {
    while (!stopped) {
      try {
        const headers = { Authorization: `Bearer ${savedKey()}` };
        if (cursor !== null) headers["Last-Event-ID"] = String(cursor);
        const response = await fetch("/v1/events/stream", { headers, signal: controller.signal });
        if (!response.ok) throw new Error(`events: ${response.status}`);
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
            if (!data) continue;
            const event = JSON.parse(data);
            cursor = event.cursor;
            onEvent(event);
          }
        }
      } catch (error) {
        if (stopped) return;
      }
      if (!stopped) await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return () => {
    stopped = true;
    controller.abort();
  };
}
