"""The web page in headless Chromium: search, a statement, an article, a batch, keys, escaping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.integration.web.conftest import shot

pytestmark = [pytest.mark.slow, pytest.mark.browser]
CLAIM = "Brenner said our reservoirs are at seventy percent"


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1200, "height": 900},
                                  accept_downloads=True)
    p = context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" and
         "401" not in m.text and "403" not in m.text else None)
    yield p
    context.close()
    assert errors == [], errors


def tab_until(page: Any, target: str, most: int = 20) -> list[str]:
    """Press Tab until the focused element's id (or text) is `target`; what got focus."""
    seen: list[str] = []
    for _ in range(most):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || "
                                  "document.activeElement.textContent.trim()"))
        if seen[-1] == target:
            break
    return seen


def use_key(page: Any, key: str) -> None:
    page.fill("#api-key", key)
    page.press("#api-key", "Enter")
    page.wait_for_selector("#key-state:has-text('a key is in use')")


def test_search_then_statement_with_a_key(page: Any, keyed: str) -> None:
    page.goto(keyed + "/")
    page.fill("#claim", CLAIM)
    page.click("button:has-text('Trace')")
    page.wait_for_selector("#search-status .error")
    assert "enter an API key" in page.inner_text("#search-status")
    use_key(page, "reader-key-7")
    page.click("button:has-text('Trace')")
    page.wait_for_selector("#match-list li")
    assert page.inner_text("#claim-verdict .badge") == "misattributed"
    banner = page.inner_text(".banner")
    assert "Brenner" in banner and "Elena Varga" in banner and "The Marren Ledger" in banner
    top = page.locator("#match-list li").first
    assert "seventy percent" in top.locator("mark").first.inner_text().lower()
    meta = top.inner_text()
    for words in ("Elena Varga", "Coastal Water Authority director", "The Marren Ledger",
                  "first seen 2024-03-06", "reports: 2"):
        assert words in meta
    assert page.evaluate("document.activeElement.id") == "results-title"
    shot(page, "search")
    sid = top.get_attribute("data-statement")
    top.locator("a:has-text('all reports')").click()
    page.wait_for_selector("#timeline li")
    assert page.url.endswith(f"/statements/{sid}")
    items = page.locator("#timeline > li")
    assert items.count() == 2
    first, second = items.nth(0).inner_text(), items.nth(1).inner_text()
    assert "The Marren Ledger" in first and "Riverside Courier" in second
    assert first.index("2024-03-0") == 0 and "seventy percent" in first
    assert items.nth(0).locator("a").get_attribute("href").startswith("https://ledger.example")
    assert page.locator("#timeline mark").count() >= 1  # the words in their paragraph
    shot(page, "statement")
    # The key lives in this tab's session storage only.
    assert page.evaluate("sessionStorage.getItem('quotetrace.key')") == "reader-key-7"
    assert page.evaluate("localStorage.length") == 0


def test_article_intake_marks_quotes_cues_and_speakers(page: Any, keyed: str) -> None:
    page.goto(keyed + "/articles/new")
    use_key(page, "reader-key-7")
    text = ("Harbour pilots in Velmora will work shorter shifts from June.\n"
            "“We cannot keep ships waiting at night,” said Tomas Ebbe, the pilots' union chair.\n"
            "Ebbe added that the new roster would be published on Friday.")
    page.fill("#a-text", text)
    page.fill("#a-outlet", "Velmora Weekly")
    page.fill("#a-published", "2024-06-03")
    page.click("button:has-text('Extract and store')")
    page.wait_for_selector("#article-status .error")
    assert "write" in page.inner_text("#article-status")  # a read key cannot store
    use_key(page, "writer-key-8")
    page.click("button:has-text('Extract and store')")
    page.wait_for_selector("#extracted-list li")
    assert "Stored" in page.inner_text("#article-status")
    quotes = page.locator("#article-marked mark.quote").all_inner_texts()
    assert any("We cannot keep ships waiting at night" in q for q in quotes)
    assert "said" in page.locator("#article-marked .cue").all_inner_texts()
    assert any("Tomas Ebbe" in s for s in page.locator("#article-marked .spk").all_inner_texts())
    assert "Tomas Ebbe" in page.inner_text("#extracted-list")
    shot(page, "article")


def test_batch_upload_progress_and_download(page: Any, keyed: str, tmp_path: Path) -> None:
    claims = tmp_path / "claims.csv"
    claims.write_text("id,claim\nb1,Our reservoirs are at seventy percent\n"
                      "b2,Brenner said we have no plans to ration water\nb3,Aliens built the dam\n")
    page.goto(keyed + "/batch")
    use_key(page, "reader-key-7")
    page.set_input_files("#b-file", str(claims))
    page.fill("#b-k", "2")
    page.click("button:has-text('Start')")
    page.wait_for_selector("#job-state:has-text('done')", timeout=60_000)
    assert "3 of 3 claims answered" in page.inner_text("#job-state")
    assert page.get_attribute("#job-progress", "value") == "3"
    with page.expect_download() as dl:
        page.click("#job-csv")
    rows = Path(dl.value.path()).read_text().splitlines()
    assert rows[0].startswith("id,claim,verdict,claimed_speaker,speaker")
    assert rows[1].startswith("b1,Our reservoirs are at seventy percent,fragment")
    assert ",misattributed,Brenner," in rows[2] and ",no_match," in rows[3]
    with page.expect_download() as dl:
        page.click("#job-jsonl")
    assert len(Path(dl.value.path()).read_text().splitlines()) == 3
    page.wait_for_selector("#job-list li")
    assert "claims.csv" in page.inner_text("#job-list")
    shot(page, "batch")


def test_stored_markup_is_shown_as_text(page: Any, open_server: str) -> None:
    page.goto(open_server + "/?claim=the+lighthouse+keepers+will+strike+on+Tuesday")
    page.wait_for_selector("#match-list li")  # no key needed on a server without keys
    top = page.locator("#match-list li").first
    assert "<script>window.__pwned = 1</script>" in top.inner_text()
    assert "<b>Ada Mori</b>" in top.inner_text()
    assert page.locator("#main script, #main img, #main b, #main i").count() == 0
    assert top.locator("a[href^='javascript']").count() == 0
    top.locator("a:has-text('all reports')").click()
    page.wait_for_selector("#timeline li")
    assert "<i>Tide Gazette</i>" in page.inner_text("#timeline")
    assert page.locator("#main script, #main img").count() == 0
    assert page.evaluate("window.__pwned") is None
    shot(page, "escaped")


def test_keyboard_only_and_phone_width(page: Any, open_server: str) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(open_server + "/")
    # Every control has a label.
    unlabelled = page.evaluate("""[...document.querySelectorAll('input, textarea, select')]
        .filter(e => !(e.labels && e.labels.length)).map(e => e.id)""")
    assert unlabelled == []
    # From the top of the page, Tab reaches the claim box, then the filters, then Trace.
    order = tab_until(page, "claim")
    assert order[0] == "Skip to content" and order[-1] == "claim"
    page.keyboard.type("no plans to ration water")
    seen = tab_until(page, "Trace")
    fields = [f for f in dict.fromkeys(seen) if f.startswith("f-")]
    assert fields == ["f-speaker", "f-outlet", "f-since", "f-until", "f-below"]
    assert seen[-1] == "Trace"
    page.keyboard.press("Enter")
    page.wait_for_selector("#match-list li")
    assert page.inner_text("#claim-verdict .badge") == "fragment"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "phone")
