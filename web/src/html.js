// HTML from templates: html`<td>${value}</td>` escapes every value it is given unless that value
// is HTML already (made by html`` itself, or by raw() for markup the caller built and trusts).
// Arrays are joined. setHtml() is the one way a view writes markup into the page.

class SafeHtml {
  constructor(text) {
    this.text = text;
  }
  toString() {
    return this.text;
  }
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function render(value) {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(value);
}

export function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1];
  });
  return new SafeHtml(out);
}

export function raw(text) {
  return new SafeHtml(String(text));
}

export function setHtml(element, content) {
  element.innerHTML = render(content);
}
