// Where the extension keeps the server URL and the API key (this browser only, never synced).
"use strict";

const DEFAULTS = { server: "http://127.0.0.1:8000", key: "" };

async function loadSettings() {
  const got = await chrome.storage.local.get(DEFAULTS);
  return { server: String(got.server || DEFAULTS.server).replace(/\/+$/, ""), key: got.key || "" };
}

async function saveSettings(server, key) {
  await chrome.storage.local.set({ server: server.trim().replace(/\/+$/, ""), key: key.trim() });
}
