"""Pass: statements a cue verb frames, direct (`“…,” she said`) or reported (`said that …`)."""

from __future__ import annotations

from spacy.symbols import AUX, NOUN, PROPN, VERB
from spacy.tokens import Token

from corpora import lexicon
from corpora.extract import contents, frames, quoting, reframe
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.frames import (
    is_cue,
    masthead,
    outlet,
    outlet_name,
    subject,
)
from corpora.extract.ledger import Ledger
from corpora.extract.nearby import nearby_speaker
from corpora.extract.spans import (
    NAMED_MAX_WORDS,
    cut_after_quotes,
    subtree_span,
    to_sentence_end,
    trim,
)
from corpora.types import Span

_CUE_POS = frozenset({VERB, AUX, NOUN, PROPN})  # `read` may be tagged as a noun
_PAIRED = frozenset({"ccomp", "parataxis"})  # how the parser joins `X said, Tass reported`
_NEWSROOM = lexicon.MEDIA_ROLES | lexicon.OUTLET_NOUNS  # `told Fox News host X`


def cue_verbs(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """Every cue verb outside quotations, after the outlet credits among them are set apart
    ("…, X said, Tass reported" / "Interfax quoted X as saying")."""
    verbs = [t for t in art.tokens_with_pos(_CUE_POS) if is_cue(t) or _reads_frame(art, t)]
    via_for: dict[int, str] = {}
    cue_ids = {v.i for v in verbs}
    for v in verbs:
        if v.lemma_.lower() not in lexicon.REPORT_VERBS:
            continue
        subj = subject(art, v)
        if subj is None or not _names_outlet(subj):
            continue
        # "…, X said, Tass reported": the parser may hang either verb off the other.
        partner = v.head if v.dep_ in _PAIRED and v.head.i in cue_ids else next(
            (c for c in v.children if c.dep_ in _PAIRED and c.i in cue_ids), None)
        if partner is not None and partner.i < v.i:
            via_for[partner.i] = outlet(art, subj)
            ledger.via_verbs.add(v.i)
    out: list[Found] = []
    for v in verbs:
        if v.i in ledger.via_verbs:
            continue
        out.extend(from_verb(art, ledger, v, via_for.get(v.i)))
    return out


def _names_outlet(subj: Token) -> bool:
    """Whether a subject may name an outlet: a name that is not a person's (`Tass`), or an
    outlet noun with one (`the Interfax news agency`)."""
    if subj.pos_ == "PROPN":
        return subj.ent_type_ != "PERSON" or masthead(subj)
    return subj.lemma_.lower() in lexicon.OUTLET_NOUNS and any(
        c.pos_ == "PROPN" and c.dep_ in {"compound", "poss"} and c.ent_type_ != "PERSON"
        for c in subj.children)


def _reads_frame(art: ParsedArticle, t: Token) -> bool:
    """`“…,” the email read.`: the tagger often takes this `read` for a noun."""
    if t.lower_ not in {"read", "reads"} or t.pos_ not in {"NOUN", "PROPN"}:
        return False
    nxt = art.doc[t.i + 1] if t.i + 1 < len(art.doc) else None
    if nxt is not None and nxt.text not in {".", ","}:
        return False
    window = art.doc[max(0, t.i - 5):t.i]
    return any(art.token_quote[x.i] >= 0 for x in window) and \
        not any(x.pos_ in {"VERB", "AUX"} for x in window if art.token_quote[x.i] < 0)


def from_verb(art: ParsedArticle, ledger: Ledger, v: Token, via: str | None) -> list[Found]:
    """The statement one cue verb frames, if any."""
    lemma = v.lemma_.lower()
    head = _cue_words(art, v, lemma, via)
    if head is None:
        return []
    subj, via, cue_text, cue_span = head
    content, parenthetical, cue_text, cue_span = _content(art, ledger, v, lemma, subj,
                                                          cue_text, cue_span)
    chosen = _quote_for(art, ledger, v, lemma, content, parenthetical)
    if chosen is None:
        return []
    qi, content = chosen
    subj = _speaker_for(art, v, lemma, subj, qi)
    if subj is not None and subj.head.i == v.i and frames.expected_subject(subj):
        # `executives are expected to unveil “…”`: who expects it, the sentence does not say.
        subj = frames.agent(art, v)
    frame = Frame(cue=v, cue_text=cue_text, cue_span=cue_span, subject=subj, via=via)
    outer = reframe.trailing_frame(art, v, qi)
    if outer is not None:
        frame = Frame.of(outer[0], outer[1])
    reporter = reframe.belief_reporter(art, v, subj, qi, content) if outer is None else None
    if reporter is not None:
        # The cue stays: the reporter's own verb frames words of its own as well.
        frame = Frame(cue=v, cue_text=cue_text, cue_span=cue_span, subject=reporter, via=via)
    credited = reframe.colon_credit(art, v, qi)
    if credited is not None:
        frame = Frame.of(None, credited)
    if qi is not None and qi not in ledger.taken:
        return _direct(art, ledger, v, lemma, qi, frame)
    if content is None or subj is None:
        return []
    return _reported(art, ledger, v, lemma, content, parenthetical, frame)


def _cue_words(art: ParsedArticle, v: Token, lemma: str, via: str | None
               ) -> tuple[Token | None, str | None, str, Span] | None:
    """The subject, outlet, cue text and cue span; `quoted X as saying` makes the outlet the
    subject's and X the speaker. None for the `saying` of `as saying`, a part of that cue."""
    subj = subject(art, v)
    cue_text, cue_span = v.text, (v.idx, v.idx + len(v.text))
    if lemma == "quote":
        obj = next((c for c in v.children if c.dep_ == "dobj"), None)
        if obj is not None and subj is not None:
            via = outlet(art, subj)
            subj = obj
            saying = next((t for t in v.subtree if t.lower_ == "saying"), None)
            if saying is not None:
                cue_text = f"{v.text} … as saying"
                cue_span = (v.idx, saying.idx + len(saying.text))
    elif lemma == "say" and v.lower_ == "saying" and v.head.lemma_.lower() == "as":
        return None
    if lemma == "tell":
        obj = next((c for c in v.children if c.dep_ in {"dative", "dobj"}), None)
        if obj is not None and via is None:
            via = _told_outlet(art, obj)
    return subj, via, cue_text, cue_span


def _told_outlet(art: ParsedArticle, obj: Token) -> str | None:
    """The outlet one speaks to: `told CNN`, and `told Fox News host X`, whose outlet is the
    name before the newsroom role; none for a person or a group (`told FBI agents`)."""
    words = [t for t in obj.subtree if t.i == obj.i or (t.i < obj.i and t.dep_ == "compound")]
    role = next((i for i, t in enumerate(words) if t.pos_ == "NOUN" and t.is_lower), None)
    if role is not None and role > 0 and words[role - 1].ent_type_ == "ORG" and \
            words[role].lemma_.lower() in _NEWSROOM:
        return outlet_name([t.text for t in words[:role] if t.ent_type_ == "ORG"])
    return outlet(art, obj) if obj.ent_type_ == "ORG" or masthead(obj) else None


def _content(art: ParsedArticle, ledger: Ledger, v: Token, lemma: str, subj: Token | None,
             cue_text: str, cue_span: Span) -> tuple[Token | None, bool, str, Span]:
    """The head of what the cue reports, whether the cue sits inside it (`The harbour, the
    mayor said, will reopen`), and the cue text and span (`warned of` takes its `of`)."""
    clauses = [c for c in v.children if c.dep_ in {"ccomp", "parataxis"}
               and c.i not in ledger.via_verbs]
    if len(clauses) > 1 and clauses[0].i < v.i and is_cue(clauses[0]):
        # `Rell fired back: “A,” he wrote, “B.”`: the clause before is a frame of its own.
        clauses = clauses[1:]
    elif len(clauses) > 1 and clauses[0].i < v.i < clauses[1].i and \
            art.token_quote[clauses[0].i] < 0:
        # `X isn't rattled … — in fact, she said it “humanizes” her`: the clause before the
        # frame is the writer's; what she said follows the cue.
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
    if content is None and subj is not None and subj.i > v.i and \
            v.i > 0 and art.doc[v.i - 1].text == ",":
        # `<clause>, said Christine Link`: the clause the parser took for a subject.
        content = next((c for c in v.children if c.dep_ in {"nsubj", "nsubjpass"}
                        and c.i < v.i), None)
    if content is None and lemma in lexicon.SPEECH_VERBS:
        # `mused in the debate that …`: the parser hung the that-clause on a noun.
        content = next((t.head for t in v.subtree if t.i > v.i and contents.that_opens(t)
                        and t.head.pos_ in {"VERB", "AUX"}
                        and t.head.dep_ in {"acl", "relcl", "advcl"}
                        and not is_cue(t.head)), None)
    if content is None and frames.misparsed_ing(art, v):
        content = v.head  # `said, mentioning the album is “…”`: the clause it heads
    parenthetical = False
    if content is None and v.dep_ == "parataxis" and v.head.pos_ in {"VERB", "AUX"} \
            and v.head.i != v.i and lemma in lexicon.SPEECH_VERBS:
        # `The harbour, the mayor said, will reopen`: the sentence around the cue.
        content, parenthetical = v.head, True
    return content, parenthetical, cue_text, cue_span


def _quote_for(art: ParsedArticle, ledger: Ledger, v: Token, lemma: str, content: Token | None,
               parenthetical: bool) -> tuple[int | None, Token | None] | None:
    """The quotation the cue frames (None in the pair when it frames none) and what is left
    of its content; None when the cue frames nothing at all."""
    qi = quoting.linked_quote(art, v, content) if not parenthetical else None
    if qi is None and content is not None and content.i < v.i and is_cue(content):
        # `X weighed in, telling Y, “Q,” he said`: the frame before the quote is a cue of
        # its own; the words are the quote that closes right before this one.
        quoted = {art.token_quote[t.i] for t in content.subtree} - {-1}
        if quoted and quoted <= ledger.taken:
            return None
        qi = quoting.quote_before(art, ledger, v)
        if qi is not None:
            content = None
    if lemma in lexicon.NAMING_VERBS and qi is None:
        # `“…,” read the statement`; otherwise ("called for a vote") a naming verb counts
        # only with its quotation.
        qi = quoting.adjacent_quote(art, ledger, v, before_only=True)
        if qi is None:
            return None
    if (lemma in lexicon.NAME_GIVING or _known_as(v)) and v.tag_ == "VBN" and (
            v.dep_ == "acl" or any(c.dep_ == "auxpass" for c in v.children)):
        return None  # `a class called “Perception”`, `is dubbed “the Rock”`: a name
    if qi is None and content is not None and art.token_quote[content.i] not in ledger.taken \
            and quoting.runs_past_quote(art, content, v):
        return None, content  # reported, with its quotation: a mixed statement
    if qi is None and (content is None or art.token_quote[content.i] >= 0):
        qi = quoting.adjacent_quote(art, ledger, v)
    elif qi is None and content is not None and not parenthetical and (
            content.i > v.i or quoting.between_quote_and(art, content, v)):
        # `“Q,” Sarandon told MSNBC when asked about …`: the quote before the frame is
        # the content; a clause after it is the question or the circumstance.
        qi = quoting.adjacent_quote(art, ledger, v, before_only=True)
    if qi is not None and art.owned_title(qi):
        qi = None  # `told ABC’s “Good Morning America” that …`: the words are the clause
    if qi is None or qi in ledger.taken:
        held = quoting.held_quote_before(art, ledger, v)
        more = quoting.continuation(art, ledger, held, v) if held is not None else []
        if held is not None and more and all(art.opens_sentence(art.quotes[g]) for g in more):
            # `“…¶“… distraction,” Obama said. “Not once …”`: the quote before this frame
            # is already attributed (it began paragraphs earlier); the frame's continuation
            # joins that statement.
            ledger.run_on(ledger.owner[held], more)
            return None
    return qi, content


def _known_as(v: Token) -> bool:
    """`known as …`: a name given, like `called`."""
    return v.lemma_.lower() == "know" and any(c.lower_ == "as" for c in v.children)


def _speaker_for(art: ParsedArticle, v: Token, lemma: str, subj: Token | None,
                 qi: int | None) -> Token | None:
    """The subject, or for a quotation whose cue has none, the speaker the frame names."""
    if subj is None and qi is not None and v.pos_ in {"NOUN", "PROPN"}:
        # The reads frame: what reads is the noun or pronoun right before the cue.
        subj = next((t for t in reversed(art.doc[max(0, v.i - 4):v.i])
                     if t.pos_ in {"NOUN", "PRON", "PROPN"} and art.token_quote[t.i] < 0), None)
    if subj is None and qi is not None and art.quotes[qi].end <= v.idx and \
            (lemma not in lexicon.ADDRESSING_CUES or lemma == "ask"):
        # `“…,” read the statement`, `“…?” asked Mr. Holm`: the parser may take the inverted
        # subject for an object.
        subj = next((c for c in v.children if c.dep_ == "dobj" and c.i > v.i
                     and c.i not in art.quote_tokens), None)
    if subj is None and qi is not None:
        subj = nearby_speaker(art, v)
    return subj


def _direct(art: ParsedArticle, ledger: Ledger, v: Token, lemma: str, qi: int,
            frame: Frame) -> list[Found]:
    """A quotation the cue frames, with the quotations that continue it; mixed when the
    words run on past its marks or a naming verb's object belongs to them."""
    group = [qi, *quoting.continuation(art, ledger, qi, v)]
    if art.quotes[qi].start > v.idx:
        # `“A,” she told Hewitt, “B.”`: the parser hung B on the cue; A opens the split.
        first = quoting.adjacent_quote(art, ledger, v, before_only=True)
        if first is not None and first < qi:
            group.insert(0, first)
    ledger.take(group)
    spans = [s for g in group for s in art.quote_spans(g)]
    obj = next((c for c in v.children if c.dep_ == "dobj"
                and c.idx < art.quotes[qi].start and c.i not in art.quote_tokens), None)
    if lemma in lexicon.NAMING_VERBS and len(group) == 1 and obj is not None:
        words = [t for t in obj.subtree if not t.is_punct]
        if len(words) <= NAMED_MAX_WORDS:
            # `called the plan “a disgrace”`: what was named belongs to the words.
            start = min(t.idx for t in obj.subtree)
            more = contents.joined_quote(art, ledger, v, qi)
            if more is not None:
                group.append(more)  # `called X “A” and someone who had “B”`
                ledger.take([more])
            span = trim(art, start, art.quotes[group[-1]].end)
            if span is not None:
                return [Found(kind="mixed", spans=[span], frame=frame, quotes=group)]
    if len(group) == 1 and len(art.quotes[qi].segments) == 1:
        rest = quoting.clause_after_quote(art, v, qi)
        if rest is not None:
            # `X says “the wind is at our backs” despite the loss`: one content.
            span = trim(art, art.quotes[qi].start, rest)
            if span is not None:
                return [Found(kind="mixed", spans=[span], frame=frame, quotes=group)]
    lead = contents.lead_in(art, v, qi) if len(group) == 1 else None
    if lead is not None:
        span = trim(art, lead, art.quotes[qi].end)
        if span is not None:
            return [Found(kind="mixed", spans=[span], frame=frame, quotes=group)]
    made = Found(kind="direct", spans=spans, frame=frame, quotes=group)
    ledger.own(made, group)
    return [made]


def _reported(art: ParsedArticle, ledger: Ledger, v: Token, lemma: str, content: Token,
              parenthetical: bool, frame: Frame) -> list[Found]:
    """Reported speech: the cue's content clause, mixed when it holds quotations."""
    # Another cue inside the content ("…, claiming that …") starts an attribution of its own.
    inner_cues = {t.i for c in content.subtree if c.i != content.i and c.i not in
                  art.quote_tokens and c.pos_ in {"VERB", "AUX"}
                  and c.lemma_.lower() in lexicon.CUE_VERBS
                  and c.dep_ in {"advcl", "conj", "relcl"} and contents.frames_own(art, c)
                  for t in c.subtree}
    if parenthetical or content.is_ancestor(v):
        inner_cues |= {t.i for t in v.subtree}  # the cue inside its own content
    span = subtree_span(art, content, exclude=inner_cues or None)
    lost = contents.lost_subject(art, v, content)
    if span is not None and lost is not None:
        # `said the days when … “…” … are gone`: the parser took the clause's subject for
        # the cue's object; the content starts there.
        span = trim(art, lost.left_edge.idx, span[1])
    if span is not None and (frame.cue_text or "").endswith(" of"):
        # "warned of a risk ... because of ...": the rest of the clause is the content.
        tail = max(t.idx + len(t.text) for t in v.subtree if t.i > content.i)
        span = trim(art, span[0], max(span[1], tail))
    if span is None or (len(art.text[span[0]:span[1]].split()) < 3 and lemma != "warn"):
        return []
    if v.dep_ == "ROOT" and content.i > v.i:
        span = to_sentence_end(art, ledger.taken, v, span)
    inner = {art.token_quote[t.i] for t in content.subtree if art.token_quote[t.i] >= 0
             and t.i not in inner_cues}
    inner |= {qi for qi, q in enumerate(art.quotes)
              if qi not in ledger.taken and span[0] <= q.start and q.end <= span[1] + 1}
    ledger.take(inner)
    if inner and not parenthetical:
        span = cut_after_quotes(art, span, inner)
    spans = [span]
    if parenthetical:
        # The words either side of `, the mayor said,`.
        words = list(v.subtree)
        left = trim(art, span[0], min(t.idx for t in words))
        right = trim(art, max(t.idx + len(t.text) for t in words), span[1])
        spans = [x for x in (left, right) if x is not None] or [span]
    return [Found(kind="mixed" if inner else "indirect", spans=spans, frame=frame,
                  quotes=sorted(inner))]
