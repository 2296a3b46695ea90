"""The parsing pipeline: focused entities, glued quote marks, and text that never crashes it."""

from __future__ import annotations

import pytest

from tests.unit.corpora.extract.support import one, run

pytestmark = pytest.mark.slow


def test_entities_are_recognised_where_speech_is_framed(extractor) -> None:  # type: ignore[no-untyped-def]
    doc = extractor.nlp("The ferry left Holm at noon. Mayor Lina Kovacs told Reuters on Friday "
                        "that the bridge will open.")
    labels = {(e.text, e.label_) for e in doc.ents}
    assert ("Lina Kovacs", "PERSON") in labels and ("Reuters", "ORG") in labels
    assert all(e.start_char > 28 for e in doc.ents)  # the first sentence frames no speech
    batch = list(extractor.nlp.pipe(["Ada Lind said it was over.", "Nothing about Paris."]))
    assert [e.text for e in batch[0].ents] == ["Ada Lind"] and batch[1].ents == ()


def test_quote_marks_typed_without_a_space(extractor) -> None:  # type: ignore[no-untyped-def]
    found = run(extractor, "Harbour master Tomas Rell said,“The quay will be rebuilt by spring.”")
    a = one(found, "quay will be rebuilt")
    assert (a.kind, a.speaker.name) == ("direct", "Tomas Rell")


def test_unbalanced_marks_do_not_crash(extractor) -> None:  # type: ignore[no-untyped-def]
    text = "“Never closed, Lina Kovacs said.\nOtto Brandvik said the ferry is late ”again."
    found = run(extractor, text, published=None)
    assert one(found, "ferry is late").speaker.name == "Otto Brandvik"


def test_hostile_mixes_of_marks_labels_and_dashes_never_crash(extractor) -> None:  # type: ignore[no-untyped-def]
    import random

    pieces = ["“", "”", '"', "„", "«", "»", "‟", "―", "—", " - ", "\n", "\n\n", "\xa0", ":",
              ",", ".", "?", "!", "(", ")", "WALLIN: ", "HOLT:", " said ", " Lina Kovacs ",
              " the ferry ", " will run ", " he ", " called ", " read the statement ", " But ",
              " according to ", " Gov. ", " told the radio ", "(CROSSTALK.)", " ", "x"]
    rng = random.Random(7)
    texts = [" But \xa0“, - HOLT: the ferry  Gov.  Lina Kovacs  - WALLIN:  he  x:‟ will run  "
             "according to “‟ Gov. »\xa0―\n called \nWALLIN: .\":WALLIN: “x\nx he ?x - ?)—,: "
             "the ferry ―» But WALLIN:  told the radio "]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(300)]
    for text in texts:
        for a in run(extractor, text, published=None):
            assert all(0 <= s < e <= len(text) for s, e in a.content_spans), text


def test_quotes_typed_with_two_apostrophes(extractor) -> None:  # type: ignore[no-untyped-def]
    text = ("Harbour master Tomas Rell was calm on their side. ''The quay will be rebuilt by "
            "spring,'' he said. ''Nobody will lose a berth.''\n\nThe council called the plan "
            "''a first step'' and nothing more.")
    found = run(extractor, text)
    a = one(found, "quay will be rebuilt")
    assert (a.kind, a.speaker.name) == ("direct", "Tomas Rell")
    assert a.text.startswith("The quay") and "calm" not in a.text
    assert "Nobody will lose a berth." in [text[s:e] for s, e in a.content_spans]
    # The opening mark starts its sentence (the parser alone hangs it on the one before).
    doc = extractor.nlp("The ferry was late again. ''We are sorry,'' Lina Kovacs said.")
    assert [t.is_sent_start for t in doc if t.text == "''"] == [True, False]


def test_indexed_attribute_ruler_annotates_as_the_models_own(extractor) -> None:  # type: ignore[no-untyped-def]
    from corpora.extract import load_nlp

    text = ("I said y'all gon na see it. There is a ferry, ain't there? Let's go, c'mon, "
            "she was doin' fine.\n\n  They   were n't  ALL there; I 'll  ask 'em.")
    reference = load_nlp()
    reference.disable_pipe("indexed_attribute_ruler")
    reference.enable_pipe("attribute_ruler")

    def annotations(doc):  # type: ignore[no-untyped-def]
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc]

    ours = annotations(extractor.nlp(text))
    assert ours == annotations(reference(text))
    assert ("na", "TO", "PART", "", "to") in ours  # a rule over two tokens ("gon na")


def test_articles_extracted_in_worker_processes_come_back_in_order(extractor) -> None:  # type: ignore[no-untyped-def]
    from corpora.types import Article

    names = ["Lina Kovacs", "Otto Brandvik", "Tomas Rell", "Ada Lind", "Karla Holm"]
    articles = [Article(id=f"a{i}", published="2024-05-16",
                        text=f"“The ferry {i} will run again,” {names[i % 5]} said on Monday.")
                for i in range(11)]
    alone = list(extractor.extract_many(articles, batch_size=3))
    forked = list(extractor.extract_many(articles, batch_size=3, n_process=2))
    assert forked == alone
    assert [(a.article_id, a.speaker.name) for found in forked for a in found] == \
        [(f"a{i}", names[i % 5]) for i in range(11)]


@pytest.mark.parametrize("dateline", ["NORTH HOLM, Norland - ", "HOLMSTAD, July 19 (Wire) — ",
                                      "HOLMSTAD (Wire) — ", "HOLMSTAD -- ", "HOLMSTAD — "])
def test_a_wire_dateline_is_never_the_speaker(extractor, dateline: str) -> None:  # type: ignore[no-untyped-def]
    text = (f"Ferry talks\n\n{dateline}Tomas Rell delivered a blistering critique of the ferry "
            "company on Wednesday.")
    a = one(run(extractor, text), "blistering critique")
    assert a.speaker.name == "Tomas Rell" and "HOLM" not in a.text
