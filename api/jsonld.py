"""A stored statement as schema.org JSON-LD: a Quotation, fit for a ClaimReview's itemReviewed."""

from __future__ import annotations

from typing import Any

from index.types import MentionView, StatementView

# An inline context: the document expands without fetching anything (schema.org's own context
# document is not reachable from every newsroom's network, and it needs no type coercion here).
CONTEXT = {"@vocab": "https://schema.org/"}


def _appearance(m: MentionView) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if m.url:
        work["url"] = m.url
    if m.title:
        work["headline"] = m.title
    if m.outlet:
        work["publisher"] = {"@type": "Organization", "name": m.outlet}
    if m.via:
        work["sourceOrganization"] = {"@type": "Organization", "name": m.via}
    published = m.published or m.date
    if published:
        work["datePublished"] = published
    return work


def quotation(st: StatementView, page_url: str | None = None) -> dict[str, Any]:
    """The statement as a `Quotation`: spokenByCharacter, datePublished, every report as an
    `appearance` and the earliest one as `firstAppearance`.
    """
    doc: dict[str, Any] = {"@context": CONTEXT, "@type": "Quotation", "text": st.text}
    if page_url:
        doc["@id"] = page_url
        doc["url"] = page_url
    if st.external_id:
        doc["identifier"] = st.external_id
    if st.speaker:
        person: dict[str, Any] = {"@type": "Person", "name": st.speaker}
        role = next((m.role for m in st.mentions if m.role), None)
        if role:
            person["jobTitle"] = role
        doc["spokenByCharacter"] = person
    said = next((m.date for m in st.mentions if m.date), None)
    if st.first_seen or said:
        doc["datePublished"] = st.first_seen or said
    if said:
        doc["dateCreated"] = said
    if st.mentions:
        doc["appearance"] = [_appearance(m) for m in st.mentions]
        doc["firstAppearance"] = _appearance(st.mentions[0])
    return doc
