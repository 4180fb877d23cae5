// alertmock dashboard: plain JavaScript over the control API (alertmock/controls.yaml), nothing else.
// Everything it shows, a script can get from the same endpoints.
"use strict";

const POLL_MS = 1000;
const KEEP = 1000; // entries kept in the page, newest first
const TOKEN_KEY = "alertmock.adminToken";

const $ = (selector) => document.querySelector(selector);
const page = {
  entries: [], // newest first
  lastId: 0,
  sessions: new Set(["default"]),
  vendors: new Set(),
  selected: null,
  target: "default",
  polled: false, // the journal has answered once (the empty message waits for it)
  rendered: false,
};

// ---------------------------------------------------------------- control API

function adminToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

async function api(method, path, { session, body, query } = {}) {
  const url = new URL(path.replace(/^\//, ""), document.baseURI);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  const headers = {};
  if (session) headers["X-Mock-Session"] = session;
  if (adminToken()) headers["Authorization"] = `Bearer ${adminToken()}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 || response.status === 403) {
    $("#token-box").hidden = false;
    throw new Error("The control API wants the admin token: enter it in the top bar.");
  }
  if (!response.ok) {
    let message = `${method} ${path}: ${response.status}`;
    try {
      const problem = await response.json();
      message += ` ${problem.message || problem.detail || problem.title || ""}`;
    } catch (_) { /* not JSON */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

function notify(text) {
  const notice = $("#notice");
  notice.textContent = text;
  notice.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => (notice.hidden = true), 5000);
}

function report(error) {
  const banner = $("#banner");
  if (!error) {
    banner.hidden = true;
    return;
  }
  banner.textContent = error.message || String(error);
  banner.hidden = false;
}

// ---------------------------------------------------------------- journal

// One journal entry as the page shows it, whatever optional fields the server filled in.
function exchange(entry) {
  const response = entry.response || {};
  return {
    id: entry.id,
    time: entry.time,
    session: entry.session,
    method: entry.method,
    path: entry.path,
    query: entry.query || "",
    status: entry.status ?? response.status ?? 0,
    duration: entry.duration_ms,
    vendor: entry.vendor || "",
    operation: entry.operation_id || "",
    fault: entry.fault || "",
    request: { headers: entry.headers || {}, body: entry.body || "" },
    response: { headers: response.headers || {}, body: response.body || "" },
  };
}

async function pollJournal() {
  const found = await api("GET", "requests", {
    query: { since: page.lastId || undefined, limit: page.lastId ? undefined : KEEP, session: "*" },
  });
  const fresh = (found.requests || []).map(exchange).filter((e) => e.id > page.lastId);
  if (!fresh.length) return false;
  fresh.sort((a, b) => b.id - a.id);
  page.lastId = Math.max(page.lastId, fresh[0].id);
  page.entries = fresh.concat(page.entries).slice(0, KEEP);
  for (const e of fresh) {
    page.sessions.add(e.session);
    if (e.vendor) page.vendors.add(e.vendor);
  }
  return fresh.map((e) => e.id);
}

function statusClass(status) {
  return status ? String(status)[0] : "0";
}

function visible(entry) {
  const session = $("#filter-session").value;
  const vendor = $("#filter-vendor").value;
  const status = $("#filter-status").value;
  const text = $("#filter-path").value.trim().toLowerCase();
  return (!session || entry.session === session)
    && (!vendor || entry.vendor === vendor)
    && (!status || statusClass(entry.status) === status)
    && (!text || `${entry.path}?${entry.query}`.toLowerCase().includes(text));
}

// An element with a class and children (strings become text: nothing from the journal is parsed as HTML).
function element(tag, className, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  node.append(...children.map((c) => (c instanceof Node ? c : String(c))));
  return node;
}

const cell = (content, className) => element("td", className, content);
const badge = (text, className) => element("span", className, text);
const block = (text, className) => element("div", className, text);
const span = (className, ...children) => element("span", className, ...children);
const emptyItem = (text) => element("li", "muted", text);

function statusBadge(status) {
  return badge(status || "dropped", `status s${statusClass(status)}`);
}

function faultBadge(fault) {
  const b = badge(`⚡ ${fault}`, "tag fault");
  b.title = "Shaped by an injected fault (Faults panel)";
  return b;
}

function clockTime(iso) {
  return iso ? iso.replace(/^.*T/, "").replace(/(\.\d{3})\d*/, "$1").replace("Z", "") : "";
}

function renderJournal(freshIds = []) {
  const fresh = new Set(freshIds);
  const rows = page.entries.filter(visible);
  const body = document.createElement("tbody");
  for (const e of rows) {
    const tr = document.createElement("tr");
    tr.dataset.id = e.id;
    if (e.id === page.selected) tr.classList.add("selected");
    if (fresh.has(e.id)) tr.classList.add("fresh");
    tr.append(
      cell(clockTime(e.time), "time"),
      cell(badge(e.session, "tag session")),
      cell(badge(e.method, `method ${e.method}`)),
      cell(e.query ? `${e.path}?${e.query}` : e.path, "path"),
      cell(span("", statusBadge(e.status), ...(e.fault ? [faultBadge(e.fault)] : []))),
      cell(e.duration === undefined ? "" : `${e.duration.toFixed(1)} ms`, "num"),
      cell(e.vendor ? badge(e.vendor, "tag") : ""),
      cell(e.operation.split(".").pop(), "op"),
    );
    tr.lastChild.title = e.operation;
    tr.children[3].title = tr.children[3].textContent; // the whole path where the column cuts it
    body.append(tr);
  }
  $("#journal tbody").replaceWith(body);
  // Said only once the journal has answered (hidden until then), and never while it holds entries.
  const empty = $("#journal-empty");
  if (!empty.dataset.text) empty.dataset.text = empty.textContent;
  empty.textContent = page.entries.length ? "No request matches the filters." : empty.dataset.text;
  empty.hidden = rows.length > 0;
  $("#journal-count").textContent = page.entries.length
    ? `${rows.length}${rows.length === page.entries.length ? "" : ` of ${page.entries.length}`}`
    : "";
}

function fillSelect(select, values, keepFirst = true) {
  const current = select.value;
  const first = keepFirst ? [select.options[0]] : [];
  select.replaceChildren(...first, ...[...values].sort().map((v) => new Option(v, v)));
  select.value = [...select.options].some((o) => o.value === current) ? current : select.options[0]?.value || "";
}

// ---------------------------------------------------------------- exchange detail

function prettyJson(text) {
  const escaped = escapeHtml(JSON.stringify(JSON.parse(text), null, 2));
  return escaped.replace(
    /(&quot;(?:\\.|[^\\])*?&quot;)(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
    (match, string, colon, literal, number) => {
      if (string) return colon ? `<span class="k">${string}</span>${colon}` : `<span class="s">${string}</span>`;
      if (literal) return `<span class="l">${literal}</span>`;
      return `<span class="n">${number}</span>`;
    },
  );
}

function prettyXml(text) {
  const doc = new DOMParser().parseFromString(text, "application/xml");
  if (doc.querySelector("parsererror")) throw new Error("not XML");
  const lines = [];
  const walk = (node, depth) => {
    const pad = "  ".repeat(depth);
    if (node.nodeType === Node.TEXT_NODE) {
      if (node.data.trim()) lines.push(pad + escapeHtml(node.data.trim()));
      return;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) return;
    const attrs = [...node.attributes]
      .map((a) => ` <span class="a">${escapeHtml(a.name)}</span>=<span class="s">"${escapeHtml(a.value)}"</span>`)
      .join("");
    const name = `<span class="t">${escapeHtml(node.nodeName)}</span>`;
    const children = [...node.childNodes].filter((c) => c.nodeType === Node.ELEMENT_NODE || c.data?.trim());
    if (!children.length) {
      lines.push(`${pad}&lt;${name}${attrs}/&gt;`);
    } else if (children.length === 1 && children[0].nodeType === Node.TEXT_NODE) {
      lines.push(`${pad}&lt;${name}${attrs}&gt;${escapeHtml(children[0].data.trim())}&lt;/${name}&gt;`);
    } else {
      lines.push(`${pad}&lt;${name}${attrs}&gt;`);
      children.forEach((c) => walk(c, depth + 1));
      lines.push(`${pad}&lt;/${name}&gt;`);
    }
  };
  walk(doc.documentElement, 0);
  return lines.join("\n");
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function headerValue(headers, name) {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key ? headers[key] : "";
}

function bodyBlock(headers, body) {
  if (!body) return badge("no body", "none");
  const pre = document.createElement("pre");
  pre.className = "body";
  const type = headerValue(headers, "content-type");
  const trimmed = body.trimStart();
  try {
    if (/json/.test(type) || /^[{[]/.test(trimmed)) pre.innerHTML = prettyJson(body);
    else if (/xml/.test(type) || trimmed.startsWith("<")) pre.innerHTML = prettyXml(body);
    else pre.textContent = body;
  } catch (_) {
    pre.textContent = body; // cut by the journal's bound, or not what its label says: shown as sent
  }
  return pre;
}

function headerTable(headers) {
  const table = document.createElement("table");
  table.className = "headers";
  for (const [name, value] of Object.entries(headers)) {
    const tr = document.createElement("tr");
    tr.append(cell(name), cell(value));
    table.append(tr);
  }
  return table;
}

function showDetail(id) {
  const e = page.entries.find((x) => x.id === id);
  if (!e) return;
  page.selected = id;
  const title = $("#detail-title");
  const path = badge(e.query ? `${e.path}?${e.query}` : e.path, "path");
  title.replaceChildren(badge(e.method, `method ${e.method}`), path, statusBadge(e.status), badge(e.session, "tag session"));
  if (e.fault) title.append(faultBadge(e.fault));
  const request = $("#detail-request .pane-body");
  const meta = block(`${e.time}${e.operation ? ` · ${e.vendor} · ${e.operation}` : ""}`, "kv");
  request.replaceChildren(meta, headerTable(e.request.headers), bodyBlock(e.request.headers, e.request.body));
  const response = $("#detail-response .pane-body");
  const took = block(e.duration === undefined ? "" : `${e.status || "dropped"} in ${e.duration.toFixed(1)} ms`, "kv");
  response.replaceChildren(took, headerTable(e.response.headers), bodyBlock(e.response.headers, e.response.body));
  $("#detail").hidden = false;
  for (const tr of document.querySelectorAll("#journal tbody tr")) tr.classList.toggle("selected", Number(tr.dataset.id) === id);
}

function hideDetail() {
  $("#detail").hidden = true;
  page.selected = null;
  for (const tr of document.querySelectorAll("#journal tbody tr.selected")) tr.classList.remove("selected");
}

// ---------------------------------------------------------------- sessions

async function refreshSessions() {
  const health = await api("GET", "health");
  for (const name of health.sessions || []) page.sessions.add(name);
  fillSelect($("#filter-session"), page.sessions);
  fillSelect($("#target-session"), page.sessions, false);
  $("#target-session").value = page.target;
  const list = $("#sessions");
  list.replaceChildren(
    ...[...page.sessions].sort().map((name) => {
      const li = document.createElement("li");
      li.dataset.session = name;
      const count = page.entries.filter((e) => e.session === name).length;
      const reset = button("Reset", () => resetSession(name));
      const exportButton = button("Export", () => exportSession(name));
      li.append(badge(name, "grow"), badge(`${count} req`, "muted"), span("actions", reset, exportButton));
      return li;
    }),
  );
}

function button(label, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "ghost small";
  b.textContent = label;
  b.addEventListener("click", () => onClick().catch(report));
  return b;
}

async function resetSession(name) {
  if (!confirm(`Reset session "${name}" to the fixtures? Its journal entries and faults go too.`)) return;
  await api("POST", "reset", { session: name });
  notify(`Session "${name}" is back to the fixtures.`);
  page.entries = page.entries.filter((e) => e.session !== name);
  renderJournal();
  await Promise.all([refreshSessions(), refreshFaults(), refreshClock()]);
}

async function exportSession(name) {
  const state = await api("GET", "state", { session: name });
  const blob = new Blob([JSON.stringify(state, null, 2)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `alertmock-${name}.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

async function importSession(file) {
  const snapshot = JSON.parse(await file.text());
  const session = page.target;
  if (!confirm(`Replace the state of session "${session}" with ${file.name}?`)) return;
  const summary = await api("PUT", "state", { session, body: { collections: snapshot.collections } });
  const records = Object.values(summary.kinds).reduce((a, b) => a + b, 0);
  notify(`Imported ${file.name} into session "${session}": ${records} records.`);
  await refreshSessions();
}

// ---------------------------------------------------------------- faults

function describeRule(rule) {
  const parts = [];
  if (rule.error?.rate) parts.push(`${rule.error.status} at ${Math.round(rule.error.rate * 100)}%`);
  if (rule.drop?.rate) parts.push(`drop ${Math.round(rule.drop.rate * 100)}%`);
  const [low, high] = rule.latency?.random_ms || [0, 0];
  if (rule.latency?.fixed_ms || high) {
    parts.push(`+${rule.latency.fixed_ms || 0}${high ? `–${(rule.latency.fixed_ms || 0) + high}` : ""} ms`);
  }
  return parts.join(" · ") || "no effect";
}

async function refreshFaults() {
  const { rules } = await api("GET", "faults", { session: page.target });
  const list = $("#faults");
  if (!rules.length) {
    list.replaceChildren(emptyItem("No faults: every request is answered normally."));
    return rules;
  }
  list.replaceChildren(
    ...rules.map((rule, index) => {
      const li = document.createElement("li");
      const remove = button("✕", () => removeFault(rules, index));
      remove.title = "Remove this rule";
      li.append(badge(rule.method, `method ${rule.method}`), badge(rule.path, "mono grow"), badge(describeRule(rule), "tag"), remove);
      return li;
    }),
  );
  return rules;
}

async function removeFault(rules, index) {
  const kept = rules.filter((_, i) => i !== index);
  if (kept.length) await api("PUT", "faults", { session: page.target, body: { rules: kept } });
  else await api("DELETE", "faults", { session: page.target });
  await refreshFaults();
}

async function addFault(form) {
  const data = new FormData(form);
  const number = (name) => Number(data.get(name) || 0);
  const rule = { method: data.get("method") || "*", path: data.get("path") || "*" };
  if (number("error_rate")) rule.error = { rate: number("error_rate"), status: number("error_status") || 503 };
  if (number("drop_rate")) rule.drop = { rate: number("drop_rate") };
  if (number("latency_ms") || number("random_ms")) {
    rule.latency = { fixed_ms: number("latency_ms"), random_ms: [0, number("random_ms")] };
  }
  const { rules } = await api("GET", "faults", { session: page.target });
  await api("PUT", "faults", { session: page.target, body: { rules: [...rules, rule] } });
  await refreshFaults();
}

// ---------------------------------------------------------------- clock and jobs

async function refreshClock() {
  const [clock, jobs] = await Promise.all([api("GET", "clock"), api("GET", "jobs", { session: page.target })]);
  $("#clock-now").textContent = clock.now.replace("T", " ").replace(/\.\d+/, "").replace("Z", " UTC");
  const list = $("#jobs");
  if (!jobs.jobs.length) {
    list.replaceChildren(emptyItem("No jobs in this session."));
    return;
  }
  list.replaceChildren(
    ...jobs.jobs.map((job) => {
      const li = document.createElement("li");
      li.dataset.job = job.id;
      li.title = `${job.vendor} job ${job.id}, created ${job.created || "?"}`;
      li.append(badge(job.status, `job-status job-${job.status}`), badge(job.name || job.id, "grow"), badge(job.id.slice(0, 8), "mono muted"));
      return li;
    }),
  );
}

async function advance(seconds) {
  await api("POST", "clock", { body: { advance_seconds: seconds } });
  await refreshClock();
}

// ---------------------------------------------------------------- wiring

async function tick() {
  if ($("#live").checked || !page.polled) {
    const fresh = await pollJournal();
    page.polled = true;
    if (fresh || !page.rendered) {
      page.rendered = true;
      fillSelect($("#filter-vendor"), page.vendors);
      renderJournal(fresh || []);
      await refreshSessions();
    }
  }
  await refreshClock();
}

function takeTokenFromUrl() {
  // `?token=` hands the admin token over once (e.g. from the server's banner), then leaves the URL.
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (token !== null) {
    sessionStorage.setItem(TOKEN_KEY, token);
    url.searchParams.delete("token");
    history.replaceState(null, "", url);
  }
  $("#token").value = adminToken();
  $("#token-box").hidden = !adminToken();
}

async function loop() {
  try {
    await tick();
    report(null);
  } catch (error) {
    report(error);
  }
  setTimeout(loop, POLL_MS);
}

function wire() {
  takeTokenFromUrl();
  $("#token-box").addEventListener("submit", (event) => {
    event.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("#token").value.trim());
    Promise.all([refreshSessions(), refreshFaults()]).catch(report);
  });
  $("#token").addEventListener("change", () => sessionStorage.setItem(TOKEN_KEY, $("#token").value.trim()));
  for (const id of ["#filter-session", "#filter-vendor", "#filter-status", "#filter-path"]) {
    $(id).addEventListener("input", () => renderJournal());
  }
  $("#journal").addEventListener("click", (event) => {
    const tr = event.target.closest("tbody tr");
    if (tr) showDetail(Number(tr.dataset.id));
  });
  $("#detail-close").addEventListener("click", hideDetail);
  document.addEventListener("keydown", (event) => event.key === "Escape" && hideDetail());
  $("#clear-journal").addEventListener("click", () => clearJournal().catch(report));
  $("#target-session").addEventListener("change", (event) => {
    page.target = event.target.value;
    Promise.all([refreshFaults(), refreshClock()]).catch(report);
  });
  $("#import-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    if (file) importSession(file).catch(report);
  });
  $("#fault-form").addEventListener("submit", (event) => {
    event.preventDefault();
    addFault(event.target).catch(report);
  });
  $("#clear-faults").addEventListener("click", () => api("DELETE", "faults", { session: page.target }).then(refreshFaults).catch(report));
  for (const b of document.querySelectorAll("[data-advance]")) {
    b.addEventListener("click", () => advance(Number(b.dataset.advance)).catch(report));
  }
}

async function clearJournal() {
  const session = $("#filter-session").value;
  const sessions = session ? [session] : [...page.sessions];
  await Promise.all(sessions.map((name) => api("DELETE", "requests", { session: name })));
  page.entries = page.entries.filter((e) => !sessions.includes(e.session));
  renderJournal();
  await refreshSessions();
}

document.addEventListener("DOMContentLoaded", () => {
  wire();
  loop(); // the journal first: it is what the page is for
  Promise.all([refreshSessions(), refreshFaults()]).catch(report);
});
