// The options page: the server URL and the API key, kept in chrome.storage.local.
"use strict";

const $ = (id) => document.getElementById(id);

document.addEventListener("DOMContentLoaded", async () => {
  const s = await loadSettings();
  $("server").value = s.server;
  $("key").value = s.key;
  $("form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    await saveSettings($("server").value, $("key").value);
    $("status").textContent = "Saved.";
  });
  $("check").addEventListener("click", async () => {
    const server = $("server").value.trim().replace(/\/+$/, "");
    try {
      const r = await fetch(`${server}/ready`);
      const body = await r.json();
      $("status").textContent = r.ok ? `Ready: ${body.statements} statements.` : `Not ready (${r.status}).`;
    } catch (e) {
      $("status").textContent = `${server} cannot be reached, or does not allow this extension's origin (CORS).`;
    }
  });
});
