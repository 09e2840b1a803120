// What the portal knows about the session and the network, shared by the views.
export const $ = (id) => document.getElementById(id);

export const state = {
  role: null,  // "operator" | "admin" | "viewer", from GET /v1/me
  tenant: null,
  topology: null,
  sites: [],
  ports: [],
  connections: new Map(),  // the pages of the connection list loaded, by id, and those looked up
  connTenant: null,  // operators: the tenant the connection list is filtered to
  map: null,
  stopEvents: null,
  detailId: null,
  transferId: null,  // the transfer shown, and its chart
  transferChart: null,
  quoteSeq: 0,
  endOptions: { a: [], z: [] },
};
