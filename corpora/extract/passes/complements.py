"""Pass: mixed quotes inside a verb's complement (`dismissed the plan as “absurd”`)."""

from __future__ import annotations

from spacy.tokens import Token

from corpora import lexicon
from corpora.extract.article import ParsedArticle
from corpora.extract.found import Found, Frame
from corpora.extract.frames import agent, finite_naming, passive_named
from corpora.extract.frames import subject as subject_of
from corpora.extract.ledger import Ledger
from corpora.extract.spans import NAMED_MAX_WORDS, cut_after_quotes, is_title, trim

_NOMINAL = frozenset({"NOUN", "PROPN"})


def quoted_complements(art: ParsedArticle, ledger: Ledger, found: list[Found]) -> list[Found]:
    """Mixed quotes inside a verb's complement: `X dismissed the plan as “absurd”`,
    `X called her “third-rate”`, `X accused Y of an “artful smear”`.

    The speaker is the verb's subject; the content runs from the verb's first complement
    through the phrase holding the quotation.
    """
    out = []
    for qi in range(len(art.quotes)):
        if qi in ledger.taken:
            continue
        toks = art.tokens_of_quote[qi]
        words = [i for i in toks if not art.doc[i].is_punct]
        if not words or len(words) > 40:
            continue
        # Where the quotation hangs in the parse: the first token whose head is outside.
        top = next((art.doc[i] for i in words if art.token_quote[art.doc[i].head.i] != qi
                    or art.doc[i].head.i == i), None)
        if top is None:
            continue
        # Up to the nearest verb with a subject: `accused Y of subjecting her to a “smear”`.
        verb, child = top.head, top
        subject = None
        for _ in range(7):
            naming = next((c for c in verb.children if c.dep_ == "acl" and c.i < top.i
                           and finite_naming(art, c)), None) if verb.pos_ in _NOMINAL else None
            if naming is not None:
                # `One lawmaker called Trump “…”`, parsed as a noun modified by `called`
                # with the quotation hung on the noun: the naming verb frames it.
                verb, child, subject = naming, top, subject_of(art, naming)
                break
            if verb.pos_ == "VERB" and verb.i not in toks:
                subject = subject_of(art, verb)
                if subject is not None or verb.dep_ not in {"xcomp", "pcomp", "acl"}:
                    break
            if verb.head.i == verb.i:
                break
            verb, child = verb.head, verb
        if subject is None or verb.pos_ != "VERB" or verb.lemma_.lower() in lexicon.NOT_FRAMES:
            continue
        if child.dep_ in {"nsubj", "nsubjpass", "csubj", "advcl", "conj", "ccomp",
                          "parataxis", "punct", "relcl", "npadvmod"} or child.i < verb.i:
            continue
        if subject.i in art.quote_tokens or subject.lower_ in lexicon.NOT_SPEAKERS:
            continue
        if subject.pos_ not in {"PROPN", "PRON", "NOUN"}:
            continue
        if verb.lemma_.lower() not in lexicon.CUE_VERBS and is_title(
                art.text[art.quotes[qi].start:art.quotes[qi].end]) and not \
                art.text[:art.quotes[qi].start].rstrip().endswith(" as"):
            continue  # `appeared on “The Evening Show”`: a title, not anyone's words
        # Inside what someone says (`X said that Y had called it “…”`), the words are
        # reported by the one who says it.
        outer = verb
        while outer.dep_ in {"ccomp", "xcomp", "advcl", "conj"} and outer.head.i != outer.i:
            beside = outer.dep_ == "conj"
            outer = outer.head
            if outer.pos_ in {"VERB", "AUX"} and outer.lemma_.lower() in lexicon.SPEECH_VERBS:
                if beside:
                    break  # `X said …, and he accused Y of “…”`: beside what X says, not in it
                reporter = subject_of(art, outer)
                if reporter is not None and reporter.i not in art.quote_tokens:
                    subject = reporter
                break
        if passive_named(subject, verb):
            # `the island was known as “…”`, `she is nicknamed “…”`, `executives are expected
            # to unveil “…”`: what is named or expected never speaks; whoever named it, when
            # the sentence says (`by X`), does.
            subject = agent(art, subject.head)
        comps = [c for c in verb.children if verb.i < c.i <= child.i
                 and c.dep_ in {"dobj", "dative", "prep", "oprd", "attr", "acomp", "xcomp",
                                "prt", "npadvmod", "advmod", "pobj"}]
        if not comps:
            continue
        start = min(t.idx for c in comps for t in c.subtree if c.dep_ not in {"advmod", "prt"})\
            if any(c.dep_ not in {"advmod", "prt"} for c in comps) else None
        if start is None:
            continue
        q = art.quotes[qi]
        # Quotations joined to this one are the same content (`called them “illegals” and
        # “thugs”`). So is the rest of the phrase that holds it, conjuncts and clauses too
        # (`questioned Y's “values” and his readiness to lead`, `blamed it on “sickos” and
        # suggested …`); a clause set beside it is not, nor an aside (`… “smear,” while Y
        # suggests …`: `cut_after_quotes`).
        joined = _joined_quotes(art, ledger, child, qi)
        cut = {t.i for d in child.subtree if d.i > toks[-1] and d.dep_ == "parataxis"
               for t in d.subtree}
        end = max(t.idx + len(t.text) for t in child.subtree if t.i not in cut)
        inner = {qi, *joined.values()}
        end = max(end, *(art.quotes[j].end for j in inner))
        first = art.token_at(start)
        if first is not None and first.pos_ == "ADP" and first.i + 1 < len(art.doc):
            start = art.doc[first.i + 1].idx  # `referred to him as “…”`: him as “…”
        if verb.lemma_.lower() in lexicon.NAMING_VERBS and \
                len(art.text[start:q.start].split()) > NAMED_MAX_WORDS:
            start = q.start  # `called Ford’s plans to … “a disgrace”`: the name alone
        span = trim(art, start, end)
        if span is None:
            continue
        span = cut_after_quotes(art, span, inner)
        ledger.take(inner)
        out.append(Found(kind="mixed", spans=[span], frame=Frame.of(verb, subject),
                         quotes=sorted(inner)))
    return out


def _joined_quotes(art: ParsedArticle, ledger: Ledger, child: Token, qi: int) -> dict[int, int]:
    """Untaken quotations that are conjuncts after quotation `qi` within `child`'s phrase,
    as {conjunct token: quotation}: `“illegals” and “thugs”`, `''genocide'' and ''…''`.
    A conjunct that is a verb starts a clause of its own and is not joined.
    """
    out: dict[int, int] = {}
    last = art.tokens_of_quote[qi][-1]
    for d in child.subtree:
        if d.dep_ != "conj" or d.i <= last or d.pos_ in {"VERB", "AUX"}:
            continue
        qj = art.token_quote[d.i]
        if qj < 0 or qj == qi or qj in ledger.taken:
            continue
        sub = {t.i for t in d.subtree}
        if all(i in sub for i in art.tokens_of_quote[qj] if not art.doc[i].is_punct):
            out[d.i] = qj
    return out
