// The popup: traces the selected text (or what is typed) against the configured server.
"use strict";

const $ = (id) => document.getElementById(id);

function say(message, isError) {
  $("status").textContent = message || "";
  $("status").className = isError ? "error" : "";
}

function marked(node, text, spans) {
  node.replaceChildren();
  let pos = 0;
  for (const [s, e] of spans || []) {
    if (s < pos) continue;
    const m = document.createElement("mark");
    m.textContent = text.slice(s, e);
    node.append(text.slice(pos, s), m);
    pos = e;
  }
  node.append(text.slice(pos));
}

async function trace(claim) {
  const { server, key } = await loadSettings();
  const headers = { "Content-Type": "application/json" };
  if (key) headers["X-API-Key"] = key;
  say("Tracing…");
  $("result").hidden = true;
  let r;
  try {
    r = await fetch(`${server}/v1/match`, { method: "POST", headers,
                                            body: JSON.stringify({ claim, k: 3 }) });
  } catch (e) {
    say(`${server} cannot be reached (is the extension's origin in QUOTETRACE_CORS_ORIGINS?)`, true);
    return;
  }
  if (!r.ok) {
    let detail = r.statusText;
    try { detail = (await r.json()).detail || detail; } catch (e) { /* not JSON */ }
    say(`${r.status}: ${detail}${r.status === 401 ? " — set a key in the options" : ""}`, true);
    return;
  }
  show(await r.json(), server);
}

function show(body, server) {
  say("");
  const top = body.matches[0];
  $("verdict").textContent = body.verdict.replace("_", " ");
  $("verdict").className = `badge ${body.verdict}`;
  $("count").textContent = top ? "" : "No stored statement matches this.";
  $("banner").hidden = !(["misattributed", "altered"].includes(body.verdict) && top);
  if (top) {
    $("banner").textContent = body.verdict === "altered"
      ? `Altered: the source says “${(top.changed || []).map(([a, b]) => top.text.slice(a, b)).join(" … ")}” ` +
        `where the claim says “${(top.claim_changed || []).map(([a, b]) => body.claim.slice(a, b)).join(" … ")}”.`
      : `Not ${body.claimed_speaker || "who the claim names"}: these are ` +
        `${top.speaker || "another speaker"}'s words.`;
    marked($("text"), top.text, top.highlight);
    $("speaker").textContent = (top.speaker || "unknown") + (top.role ? `, ${top.role}` : "");
    $("outlet").textContent = (top.outlet || "unknown") + (top.via ? ` (via ${top.via})` : "");
    $("first-seen").textContent = top.first_seen || "undated";
    $("open").href = `${server}/statements/${top.statement_id}`;
  }
  for (const id of ["text", "open"]) $(id).parentElement.hidden = !top;
  document.querySelector("dl").hidden = !top;
  $("result").hidden = false;
  $("verdict").focus();
}

document.addEventListener("DOMContentLoaded", async () => {
  $("form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const claim = $("claim").value.trim();
    if (claim) trace(claim);
  });
  const { pending } = await chrome.storage.session.get("pending");
  if (pending && Date.now() - pending.at < 60000) {
    await chrome.storage.session.remove("pending");
    $("claim").value = pending.text;
    trace(pending.text);
  } else {
    $("claim").focus();
  }
});
