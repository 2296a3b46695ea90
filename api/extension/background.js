// The context menu: "Trace this quote" on a selection keeps the text, then opens the popup.
"use strict";

const MENU = "quotetrace-trace";

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.create({ id: MENU, title: "Trace this quote", contexts: ["selection"] });
});

async function traceSelection(info) {
  const text = (info.selectionText || "").trim().slice(0, 2000);
  if (!text) return;
  await chrome.storage.session.set({ pending: { text, at: Date.now() } });
  try {
    await chrome.action.openPopup();
  } catch (e) {
    // No toolbar to anchor the popup to (or no user gesture): show it in a small window.
    await chrome.windows.create({ url: chrome.runtime.getURL("popup.html"), type: "popup",
                                  width: 440, height: 560 });
  }
}

chrome.contextMenus.onClicked.addListener((info) => {
  if (info.menuItemId === MENU) traceSelection(info);
});

// For the extension's own tests, which cannot click a native context menu.
self.traceSelection = traceSelection;
