// The quotetrace page: search, statement timeline, article intake and batch jobs over /v1.
// Every stored text is drawn with textContent (never innerHTML), so markup in a statement
// shows as text.
"use strict";

const KEY = "quotetrace.key";
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// Only http(s) addresses become links: a stored "javascript:" URL must never run.
function safeUrl(url) {
  try {
    const u = new URL(url, location.href);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch (e) {
    return null;
  }
}

function link(url, text) {
  const href = url ? safeUrl(url) : null;
  return href ? el("a", { href, rel: "noopener noreferrer", text }) : el("span", { text });
}

function apiKey() { return sessionStorage.getItem(KEY) || ""; }

class ApiError extends Error {
  constructor(status, detail) { super(detail); this.status = status; }
}

async function api(path, { method = "GET", body, headers = {}, raw = false } = {}) {
  const h = { ...headers };
  const key = apiKey();
  if (key) h["X-API-Key"] = key;
  if (body !== undefined && !(body instanceof FormData) && typeof body !== "string") {
    h["Content-Type"] = "application/json";
    body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(path, { method, body, headers: h });
  } catch (e) {
    throw new ApiError(0, "the server cannot be reached");
  }
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).detail || detail; } catch (e) { /* not JSON */ }
    if (r.status === 401) detail += " — enter an API key above";
    if (r.status === 403) detail += " — this key cannot do that";
    if (r.status === 429) detail += ` — try again in ${r.headers.get("Retry-After") || "a few"} s`;
    throw new ApiError(r.status, detail);
  }
  return raw ? r : r.json();
}

function say(target, message, isError) {
  const box = $(target);
  box.replaceChildren(message ? el("p", { class: isError ? "error" : "muted", text: message }) : "");
}

// Text with several kinds of spans drawn: later layers win where they overlap.
function painted(text, layers) {
  const marks = new Array(text.length).fill("");
  for (const [cls, spans] of layers) {
    for (const span of spans || []) {
      if (!span) continue;
      for (let i = Math.max(0, span[0]); i < Math.min(text.length, span[1]); i++) marks[i] = cls;
    }
  }
  const out = document.createDocumentFragment();
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && marks[j] === marks[i]) j++;
    const part = text.slice(i, j);
    out.append(marks[i] === "quote" ? el("mark", { class: "quote", text: part })
      : marks[i] === "changed" ? el("mark", { class: "changed", text: part })
      : marks[i] ? el("span", { class: marks[i], text: part }) : document.createTextNode(part));
    i = j;
  }
  return out;
}

function badge(verdict) {
  return el("span", { class: `badge ${verdict}`, text: verdict.replace("_", " ") });
}

function meta(items) {
  const ul = el("ul", { class: "meta" });
  for (const [label, value] of items) {
    if (value === null || value === undefined || value === "") continue;
    ul.append(el("li", {}, value instanceof Node ? value : `${label} ${value}`));
  }
  return ul;
}

// -- search ---------------------------------------------------------------------------------
function formValues(form) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (typeof v === "string" && v.trim() !== "") out[k] = v.trim();
  }
  return out;
}

function matchItem(m) {
  const who = m.speaker ? m.speaker + (m.role ? `, ${m.role}` : "")
    : (m.role ? `unnamed ${m.role}` : "unknown speaker");
  const source = m.url || m.outlet ? link(m.url, m.outlet || m.url) : null;
  return el("li", { "data-statement": m.statement_id },
    el("p", {}, badge(m.verdict), el("strong", { text: who })),
    el("blockquote", {}, painted(m.text, [["quote", m.highlight], ["changed", m.changed]])),
    meta([
      ["", source ? el("span", {}, "first seen in ", source) : null],
      ["via", m.via],
      ["said", m.date],
      ["first seen", m.first_seen],
      ["reports:", m.mentions],
      ["", el("a", { href: `/statements/${m.statement_id}`, text: "all reports" })],
    ]));
}

async function search(ev) {
  ev.preventDefault();
  const values = formValues(ev.target);
  const body = { claim: values.claim || "", k: 5, below: $("f-below").checked };
  for (const f of ["speaker", "outlet", "since", "until"]) if (values[f]) body[f] = values[f];
  const params = new URLSearchParams(values);
  history.replaceState(null, "", `/?${params}`);
  say("search-status", "Tracing…");
  try {
    const r = await api("/v1/match", { method: "POST", body });
    say("search-status", "");
    showResult(r);
  } catch (e) {
    $("results").hidden = true;
    say("search-status", e.message, true);
  }
}

function showResult(r) {
  const head = $("claim-verdict");
  head.replaceChildren(el("p", {}, badge(r.verdict),
    r.matches.length ? `${r.matches.length} statement(s)` : "No stored statement matches this claim."));
  const top = r.matches[0];
  if (r.verdict === "misattributed" && top) {
    head.append(el("p", { class: "banner", role: "note" },
      `Misattributed: the claim puts these words in ${r.claimed_speaker || "someone else"}'s mouth, ` +
      `but they are ${top.speaker || "another speaker"}'s` +
      (top.first_seen ? `, first reported on ${top.first_seen}` : "") +
      (top.outlet ? ` by ${top.outlet}.` : ".")));
  } else if (r.verdict === "altered" && top) {
    const said = (top.changed || []).map(([a, b]) => top.text.slice(a, b)).join(" … ");
    const claimed = (top.claim_changed || []).map(([a, b]) => r.claim.slice(a, b)).join(" … ");
    head.append(el("p", { class: "banner", role: "note" },
      `Altered: the claim quotes ${top.speaker || "a stored statement"} but changes its ` +
      `meaning (${(top.changes || []).join(", ")}): `,
      el("mark", { class: "changed", text: claimed || "(left out)" }), " where the source says ",
      el("mark", { class: "quote", text: said || "(nothing)" }), "."));
    head.append(el("p", { class: "claim-line" }, "Claim: ",
      painted(r.claim, [["changed", top.claim_changed]])));
  } else if (r.claimed_speaker) {
    head.append(el("p", { class: "muted", text: `The claim names ${r.claimed_speaker}.` }));
  }
  $("match-list").replaceChildren(...r.matches.map(matchItem));
  $("results").hidden = false;
  $("results-title").focus();
}

// -- a statement ------------------------------------------------------------------------------
async function showStatement(id) {
  say("statement-status", "Loading…");
  try {
    const st = await api(`/v1/statements/${id}`);
    say("statement-status", "");
    $("st-text").replaceChildren(st.text);
    const role = (st.mentions.find((m) => m.role) || {}).role;
    $("st-who").replaceChildren(el("strong", { text: st.speaker || "Unknown speaker" }),
      role ? `, ${role}` : "", st.first_seen ? ` — first seen ${st.first_seen}` : "");
    $("timeline").replaceChildren(...st.mentions.map((m) => timelineItem(st, m)));
    $("statement").hidden = false;
    $("statement-title").focus();
  } catch (e) {
    $("statement").hidden = true;
    say("statement-status", e.message, true);
  }
}

function timelineItem(st, m) {
  const when = m.date || m.published || "undated";
  const title = m.title || m.url || "source";
  const source = link(m.url, title);
  let context = null;
  if (m.context) {
    const at = m.context.toLowerCase().indexOf(st.text.toLowerCase());
    context = el("blockquote", { class: "muted" },
      painted(m.context, [["quote", at >= 0 ? [[at, at + st.text.length]] : []]]));
  }
  return el("li", {},
    el("p", {}, el("strong", { text: when }), " · ", m.outlet || "unknown outlet",
      m.via ? ` (via ${m.via})` : "", " · ", source),
    context,
    meta([["speaker named as", m.speaker_mention], ["cue", m.cue], ["date given as", m.when]]));
}

async function copyJsonld() {
  const id = location.pathname.split("/").pop();
  try {
    const r = await api(`/v1/statements/${id}`, { headers: { Accept: "application/ld+json" }, raw: true });
    const text = JSON.stringify(await r.json(), null, 2);
    await navigator.clipboard.writeText(text).catch(() => { throw new Error("clipboard refused"); });
    say("st-jsonld-state", "Copied.");
  } catch (e) {
    say("st-jsonld-state", e.message, true);
  }
}

// -- an article -------------------------------------------------------------------------------
async function postArticle(ev) {
  ev.preventDefault();
  const values = formValues(ev.target);
  if (!values.text) { say("article-status", "Paste the article first.", true); return; }
  say("article-status", "Extracting…");
  try {
    const r = await api("/v1/articles", { method: "POST", body: values });
    say("article-status", r.duplicate ? "This article was stored before; nothing new was stored."
      : `Stored ${r.statements.length} statement(s).`);
    showExtracted(r);
  } catch (e) {
    $("extracted").hidden = true;
    say("article-status", e.message, true);
  }
}

function showExtracted(r) {
  const layers = [["quote", r.statements.flatMap((s) => s.content_spans)],
    ["cue", r.statements.map((s) => s.cue_span)], ["spk", r.statements.map((s) => s.speaker_span)]];
  $("article-marked").replaceChildren(painted(r.text || "", layers));
  $("extracted-list").replaceChildren(...r.statements.map((s) => el("li", {},
    el("p", {}, el("span", { class: "badge", text: s.kind }),
      el("strong", { text: s.speaker || "unknown speaker" }), s.role ? `, ${s.role}` : ""),
    el("blockquote", { text: s.text }),
    meta([["cue", s.cue], ["via", s.via], ["date", s.date],
      ["", el("a", { href: `/statements/${s.statement_id}`, text: "statement page" })]]))));
  $("extracted").hidden = false;
  $("extracted-title").focus();
}

// -- batch jobs -------------------------------------------------------------------------------
let currentJob = null;
let poller = null;

async function startJob(ev) {
  ev.preventDefault();
  const file = $("b-file").files[0];
  if (!file) { say("batch-status", "Choose a file first.", true); return; }
  const form = new FormData();
  form.append("file", file, file.name);
  const params = new URLSearchParams({ k: $("b-k").value || "5", below: $("b-below").checked });
  say("batch-status", "Uploading…");
  try {
    const r = await api(`/v1/jobs?${params}`, { method: "POST", body: form });
    say("batch-status", `Queued ${r.total} claim(s).`);
    watchJob(r.id);
    listJobs();
  } catch (e) {
    say("batch-status", e.message, true);
  }
}

function watchJob(id) {
  currentJob = id;
  $("job").hidden = false;
  $("job-title").textContent = `Job ${id.slice(0, 8)}`;
  if (poller) clearInterval(poller);
  const tick = async () => {
    try {
      const j = await api(`/v1/jobs/${id}`);
      showJob(j);
      if (["done", "failed", "cancelled"].includes(j.state)) {
        clearInterval(poller);
        poller = null;
        listJobs();
      }
    } catch (e) {
      say("batch-status", e.message, true);
    }
  };
  tick();
  poller = setInterval(tick, 1000);
}

function showJob(j) {
  const p = $("job-progress");
  p.max = Math.max(1, j.total);
  p.value = j.done + j.failed;
  $("job-state").textContent = `${j.state}: ${j.done + j.failed} of ${j.total} claims answered` +
    (j.failed ? `, ${j.failed} could not be` : "") + (j.error ? ` (${j.error})` : "");
  $("job-cancel").disabled = ["done", "failed", "cancelled"].includes(j.state);
  $("job-errors").replaceChildren(...j.errors.map((e) =>
    el("li", { class: "error", text: `line ${e.line}${e.id ? ` (${e.id})` : ""}: ${e.error}` })));
}

async function download(kind) {
  if (!currentJob) return;
  try {
    const r = await api(`/v1/jobs/${currentJob}/results`, {
      headers: { Accept: kind === "csv" ? "text/csv" : "application/x-ndjson" }, raw: true });
    const url = URL.createObjectURL(await r.blob());
    const a = el("a", { href: url, download: `quotetrace-${currentJob.slice(0, 8)}.${kind}` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    say("batch-status", e.message, true);
  }
}

async function cancelJob() {
  if (!currentJob) return;
  try { showJob(await api(`/v1/jobs/${currentJob}`, { method: "DELETE" })); } catch (e) {
    say("batch-status", e.message, true);
  }
}

async function listJobs() {
  try {
    const r = await api("/v1/jobs?limit=10");
    $("job-list").replaceChildren(...r.jobs.map((j) => {
      const b = el("button", { type: "button", text: `${j.source || j.id.slice(0, 8)}` });
      b.addEventListener("click", () => watchJob(j.id));
      return el("li", {}, b, ` ${j.state}, ${j.done + j.failed}/${j.total}, ${j.created}`);
    }));
  } catch (e) {
    $("job-list").replaceChildren(el("li", { class: "muted", text: e.message }));
  }
}

// -- keys and routing -------------------------------------------------------------------------
function showKeyState() {
  $("key-state").textContent = apiKey() ? "a key is in use for this tab" : "no key";
}

function route() {
  const path = location.pathname;
  const views = { search: "view-search", statement: "view-statement", article: "view-article",
                  batch: "view-batch" };
  let view = "search";
  const st = path.match(/^\/statements\/(\d+)$/);
  if (st) view = "statement";
  else if (path === "/articles/new") view = "article";
  else if (path === "/batch") view = "batch";
  for (const [name, id] of Object.entries(views)) $(id).hidden = name !== view;
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === view) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  document.title = { search: "Trace a claim", statement: "Statement", article: "Add an article",
                     batch: "Batch verification" }[view] + " · quotetrace";
  if (view === "statement") showStatement(st[1]);
  if (view === "batch") listJobs();
  if (view === "search") {
    const q = new URLSearchParams(location.search);
    if (q.get("claim")) {
      for (const f of ["claim", "speaker", "outlet", "since", "until"]) {
        if (q.get(f)) $(f === "claim" ? "claim" : `f-${f}`).value = q.get(f);
      }
      $("search-form").requestSubmit();
    }
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("key-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = $("api-key").value.trim();
    if (v) sessionStorage.setItem(KEY, v);
    $("api-key").value = "";
    showKeyState();
  });
  $("key-clear").addEventListener("click", () => { sessionStorage.removeItem(KEY); showKeyState(); });
  $("search-form").addEventListener("submit", search);
  $("article-form").addEventListener("submit", postArticle);
  $("batch-form").addEventListener("submit", startJob);
  $("st-jsonld").addEventListener("click", copyJsonld);
  $("job-jsonl").addEventListener("click", () => download("jsonl"));
  $("job-csv").addEventListener("click", () => download("csv"));
  $("job-cancel").addEventListener("click", cancelJob);
  showKeyState();
  route();
});
