"""Word lists behind attribution: cue verbs, titles, pronouns and outlet words."""

from __future__ import annotations

# Lemmas of verbs that introduce speech or writing. Kept broad on purpose: news uses many.
CUE_VERBS = frozenset(
    """
    say tell add explain warn claim state announce argue insist note stress emphasize emphasise
    predict suggest assert acknowledge admit deny report write tweet post declare confirm
    reply respond answer ask complain comment remark observe point mention recall reiterate
    repeat caution urge vow promise pledge concede contend maintain testify allege charge
    estimate forecast quip sigh joke shout scream yell whisper mutter exclaim boast brag lament
    muse recount describe told reveal disclose indicate underline underscore proclaim predict
    counter retort rebut quote object protest threaten advise inform assure tout hail praise
    criticize criticise blast slam accuse blame thank acknowledge conclude continue
    """.split()
)

# Cues that take "of" + noun phrase as their content: "warned of a risk".
OF_CUES = frozenset({"warn", "speak", "talk", "complain", "boast", "caution"})

# Verbs that credit an outlet when their subject is one: "Tass reported", "Interfax quoted X".
VIA_VERBS = frozenset({"report", "quote", "cite", "say", "write", "carry"})

# Verbs whose non-person subject is an outlet crediting another statement: "Tass reported".
REPORT_VERBS = frozenset({"report", "carry", "cite"})

PRONOUNS_PERSON = {"he": "m", "she": "f", "him": "m", "her": "f", "i": "self", "we": "group"}
PRONOUNS_GROUP = frozenset({"they", "it", "we"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom"})

# Words that are part of a title, not a name ("Foreign Minister Ararat Mirzoyan").
TITLE_WORDS = frozenset(
    """
    mr mr. mrs mrs. ms ms. dr dr. sen sen. rep rep. gov gov. gen gen. lt lt. col col. sgt sgt.
    prof prof. rev rev. sir dame lord lady president vice minister foreign prime secretary
    secretary-general general senator representative governor mayor chair chairman chairwoman
    chairperson commissioner spokesperson spokesman spokeswoman ambassador director chief judge
    justice deputy speaker leader candidate nominee former acting senior official officer
    attorney king queen prince princess pope bishop captain professor doctor chancellor
    premier sheriff councillor councilor congressman congresswoman assemblyman assemblywoman
    engineer farmer physician librarian forecaster economist analyst lawyer teacher scientist
    researcher writer author activist resident owner worker nurse pilot manager executive
    founder member head adviser advisor aide strategist pollster consultant reporter editor
    """.split()
)

# Words dropped from an outlet credit: "Interfax news agency" -> "Interfax".
OUTLET_NOISE = frozenset({"news", "agency", "newspaper", "daily", "the", "wire", "service"})

NEGATIONS = frozenset({"not", "no", "never", "n't", "nobody", "nothing", "none", "neither", "nor",
                       "cannot", "without"})
