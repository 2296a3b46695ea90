"""Word lists behind attribution: cue verbs, titles, pronouns and outlet words."""

from __future__ import annotations

# Lemmas of verbs that introduce speech or writing. Kept broad on purpose: news uses many.
SPEECH_VERBS = frozenset(
    [
        "say",
        "tell",
        "demand",
        "plead",
        "beg",
        "implore",
        "grumble",
        "sneer",
        "taunt",
        "scold",
        "rebuke",
        "admonish",
        "rave",
        "add",
        "explain",
        "warn",
        "claim",
        "state",
        "announce",
        "argue",
        "insist",
        "note",
        "stress",
        "emphasize",
        "emphasise",
        "predict",
        "suggest",
        "assert",
        "acknowledge",
        "admit",
        "deny",
        "report",
        "write",
        "tweet",
        "post",
        "declare",
        "confirm",
        "reply",
        "respond",
        "answer",
        "ask",
        "complain",
        "comment",
        "remark",
        "observe",
        "point",
        "mention",
        "recall",
        "reiterate",
        "repeat",
        "caution",
        "urge",
        "vow",
        "promise",
        "pledge",
        "concede",
        "contend",
        "maintain",
        "testify",
        "allege",
        "charge",
        "estimate",
        "forecast",
        "quip",
        "sigh",
        "joke",
        "shout",
        "scream",
        "yell",
        "whisper",
        "mutter",
        "exclaim",
        "boast",
        "brag",
        "lament",
        "muse",
        "recount",
        "describe",
        "told",
        "reveal",
        "disclose",
        "indicate",
        "underline",
        "underscore",
        "proclaim",
        "predict",
        "counter",
        "retort",
        "rebut",
        "quote",
        "object",
        "protest",
        "threaten",
        "advise",
        "inform",
        "assure",
        "tout",
        "hail",
        "praise",
        "criticize",
        "criticise",
        "blast",
        "slam",
        "accuse",
        "blame",
        "thank",
        "acknowledge",
        "conclude",
        "continue",
        "elaborate",
        "opine",
        "bark",
        "press",
        "speculate",
        "interject",
        "chide",
        "scoff",
        "snap",
        "gush",
        "marvel",
        "confess",
        "react",
        "wonder",
        "laugh",
        "cry",
        "concur",
    ]
)

# Verbs that attribute words only when a quotation hangs off them: called it “a disaster”.
NAMING_VERBS = frozenset(
    {"call", "dub", "label", "brand", "term", "nickname", "chant", "deride", "mock", "bemoan",
     "question", "read"}
)

# Beliefs and intentions: attributions too ("X believes that ..."), found with a clause only.
BELIEF_VERBS = frozenset(
    {"think", "believe", "hope", "expect", "feel", "know", "fear", "doubt", "worry", "suspect",
     "agree", "disagree", "want", "wish", "predict", "anticipate", "assume", "figure", "guess",
     "recognize", "realize", "understand", "learn", "hear", "see", "find", "show", "suggest",
     "signal", "acknowledge", "conclude", "decide", "determine", "plan", "intend"}
)

CUE_VERBS = SPEECH_VERBS | NAMING_VERBS | BELIEF_VERBS

# Intentions whose content is an infinitive: "pledged to enact reform", "wants to build".
XCOMP_CUES = frozenset({"want", "plan", "intend", "hope", "expect", "promise", "vow", "pledge",
                        "threaten", "refuse", "offer", "agree", "decide", "wish"})

# Verbs that make their object say what their infinitive says: "prompted Rubio to call …",
# "led her to declare …". Not `urge` or `invite`: `urged Congress to pass “…”` quotes the
# one who urged.
OBJECT_CONTROL = frozenset({"prompt", "lead", "cause", "spur", "provoke", "drive", "inspire",
                            "move", "get"})

# Beliefs whose passive subject is what is believed, not who believes: "executives are
# expected to unveil …", "the plan is thought to be …".
PASSIVE_BELIEFS = frozenset({"expect", "believe", "think", "know", "consider", "suspect",
                             "assume", "understand", "fear", "predict", "anticipate"})

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
    [
        "mr",
        "mr.",
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "dr",
        "dr.",
        "sen",
        "sen.",
        "rep",
        "rep.",
        "gov",
        "gov.",
        "gen",
        "gen.",
        "lt",
        "lt.",
        "col",
        "col.",
        "sgt",
        "sgt.",
        "prof",
        "prof.",
        "rev",
        "rev.",
        "sir",
        "dame",
        "lord",
        "lady",
        "president",
        "vice",
        "minister",
        "foreign",
        "prime",
        "secretary",
        "secretary-general",
        "general",
        "senator",
        "representative",
        "governor",
        "mayor",
        "chair",
        "chairman",
        "chairwoman",
        "chairperson",
        "commissioner",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "ambassador",
        "director",
        "chief",
        "judge",
        "justice",
        "deputy",
        "speaker",
        "leader",
        "candidate",
        "nominee",
        "former",
        "acting",
        "senior",
        "official",
        "officer",
        "attorney",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "bishop",
        "captain",
        "professor",
        "doctor",
        "chancellor",
        "premier",
        "sheriff",
        "councillor",
        "councilor",
        "congressman",
        "congresswoman",
        "assemblyman",
        "assemblywoman",
        "engineer",
        "farmer",
        "physician",
        "librarian",
        "forecaster",
        "economist",
        "analyst",
        "lawyer",
        "teacher",
        "scientist",
        "researcher",
        "writer",
        "author",
        "activist",
        "resident",
        "owner",
        "worker",
        "nurse",
        "pilot",
        "manager",
        "executive",
        "founder",
        "member",
        "head",
        "adviser",
        "advisor",
        "aide",
        "strategist",
        "pollster",
        "consultant",
        "reporter",
        "editor",
    ]
)

# Words dropped from an outlet credit: "Interfax news agency" -> "Interfax". The words of
# OUTLET_NOISE_LOWER go only in lower case: they are part of "Fox News" and "the Daily Caller".
OUTLET_NOISE = frozenset({"agency", "newspaper", "the", "wire", "service"})
OUTLET_NOISE_LOWER = frozenset({"news", "daily"})
# Last words of newspaper names, which the entity tagger may take for a person's:
# "according to the Harbour Gazette".
MASTHEAD_WORDS = frozenset({"Times", "Post", "Gazette", "Herald", "Journal", "News", "Tribune",
                            "Chronicle", "Telegraph", "Guardian", "Observer", "Examiner",
                            "Courier", "Inquirer", "Dispatch", "Register", "Sentinel",
                            "Bulletin", "Enquirer", "Globe", "Mirror", "Express", "Star"})

# Newsroom roles: "told Fox News host X" speaks to Fox News (outlet nouns count too:
# "told El Universal newspaper").
MEDIA_ROLES = frozenset({"host", "anchor", "reporter", "correspondent", "interviewer",
                         "journalist", "editor", "columnist", "writer", "producer", "moderator",
                         "presenter", "commentator"})

# Nouns for an outlet, named by the words before them: "the Interfax news agency".
OUTLET_NOUNS = frozenset({"agency", "newspaper", "paper", "website", "site", "network",
                          "broadcaster", "channel", "station", "outlet", "magazine", "tabloid",
                          "wire", "daily"})

# Nouns that report a statement through a that-clause: "his warning that …".
CUE_NOUNS = frozenset({"claim", "warning", "assertion", "statement", "promise", "accusation",
                       "argument", "suggestion", "insistence", "remark", "comment", "charge",
                       "allegation", "prediction", "pledge", "vow", "admission", "contention",
                       "declaration", "announcement", "complaint", "boast", "threat"})

# Verbs that frame a quotation without anyone saying it ("it was a “disaster”").
NOT_FRAMES = frozenset({"be", "have", "seem", "become", "appear", "remain", "get", "make", "do"})

# Cues made of a verb and a particle: "shot back", "fired back", "chimed in".
PHRASAL_CUES = {"shoot": "back", "fire": "back", "hit": "back", "push": "back",
                "chime": "in", "weigh": "in", "lash": "out", "sound": "off", "go": "on",
                "point": "out", "put": "it"}

# Transcript labels that name no speaker: `CROSSTALK:`, `Q:`.
NOT_TURN_SPEAKERS = frozenset({"VIDEO", "AUDIO", "ANNOUNCER", "CROSSTALK", "BEGIN VIDEO CLIP",
                               "END VIDEO CLIP", "NARRATOR", "UNIDENTIFIED MALE",
                               "UNIDENTIFIED FEMALE", "Q", "A", "QUESTION", "ANSWER"})

# Words that may open a quoted sentence that goes on with the speaker before it.
CONNECTIVES = frozenset({"but", "and", "yet", "still", "instead", "so", "however", "also",
                         "then", "now", "and yet", "but then", "rather"})

# Cues whose object is the one spoken to (`told AFP`), never the speaker.
ADDRESSING_CUES = frozenset({"tell", "ask", "inform", "remind", "assure", "reassure", "urge",
                             "warn", "advise", "thank", "accuse", "blame", "instruct", "promise",
                             "email", "text", "call", "message", "brief", "answer", "press",
                             "chide"})

# Naming verbs that, passive or as a modifier, give a name rather than report words.
NAME_GIVING = frozenset({"call", "dub", "label", "brand", "term", "nickname", "title"})

# Subjects that are never a speaker.
# People who speak for someone else: "Brandvik's spokeswoman", "a lawyer for Brandvik" is not
# Brandvik (an institution that speaks for them, "Brandvik's campaign", still is).
AGENT_NOUNS = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokespeople",
                         "representative", "lawyer", "attorney", "counsel", "aide", "adviser",
                         "advisor", "strategist", "pollster", "manager", "chairman",
                         "chairwoman", "director", "secretary", "deputy", "staffer", "wife",
                         "husband", "son", "daughter", "brother", "sister", "father", "mother",
                         "friend", "ally", "official", "surrogate",
                         "biographer", "doctor", "physician", "accountant", "agent"})

# Verbs that give a document's or a sign's words (`a statement saying …`).
WORDING_VERBS = frozenset({"say", "read", "state", "declare", "proclaim", "announce"})

# Nouns for what people write or publish: "a report from X" speaks for X.
DOCUMENT_NOUNS = frozenset({"article", "report", "poll", "polling", "survey", "email", "e-mail",
                            "letter", "statement", "memo", "release", "paper", "study",
                            "editorial", "column", "post", "tweet", "video", "ad", "analysis",
                            "filing", "document", "story", "interview", "projection", "data",
                            "piece", "book", "op-ed", "message", "note", "record", "transcript"})

# What people carry or put up, whose words are theirs: "a sign that read …".
DISPLAY_NOUNS = frozenset({"sign", "banner", "placard", "poster", "billboard", "caption",
                           "headline", "slogan", "resolution", "shirt", "t-shirt", "hat"})

NOT_SPEAKERS = frozenset({"it", "this", "that", "there", "which", "what", "who"})

# Words left lower-case in a title ("Vote No On 3", "The State of the Union").
MINOR_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for",
                         "by", "with", "from", "as", "is", "no", "not", "vs"})

# Abbreviations whose full stop ends no sentence ("Gov.", "(D-Calif.)").
ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "Gov", "Sen", "Rep", "Gen", "Lt", "Col", "Sgt", "Capt",
                 "Prof", "Rev", "St", "Jr", "Sr", "Inc", "Corp", "Co", "Ltd", "No", "Jan", "Feb",
                 "Mar", "Apr", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "Ala", "Ariz", "Ark",
                 "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind", "Kan", "Ky", "La",
                 "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore",
                 "Pa", "Penn", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo", "vs", "etc")

# Honorifics: part of how a person is addressed, never a role ("Ms. Jensen", "Dr. Holt").
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "messrs", "mmes", "mme", "mlle", "dr",
                        "sir", "dame", "madam", "madame"})

# Words that, in lowercase, begin a surname ("de Blasio", "van Hollen", "bin Salman").
NAME_PARTICLES = frozenset({"de", "del", "della", "der", "den", "di", "da", "dos", "du", "la",
                            "le", "van", "von", "al", "el", "bin", "ibn", "abu", "ben"})

# Given names and their common nicknames that start with another letter ("Bill" for William,
# "Peggy" for Margaret). A nickname table pairs many more, some old or rare ("Bill" for
# Robert): between different letters, speaker linking only trusts these.
CROSS_LETTER_NICKNAMES = frozenset(frozenset(pair) for pair in (
    ("william", "bill"), ("william", "billy"), ("robert", "bob"), ("robert", "bobby"),
    ("roberta", "bobbie"), ("richard", "dick"), ("edward", "ted"), ("edward", "ned"),
    ("edmund", "ted"), ("edmund", "ned"), ("theodore", "ted"), ("john", "jack"),
    ("charles", "chuck"), ("henry", "hank"), ("margaret", "peggy"), ("elizabeth", "betsy"),
    ("elizabeth", "betty"), ("elizabeth", "beth"), ("elizabeth", "bess"),
    ("elizabeth", "liz"), ("elizabeth", "libby"), ("mary", "polly"), ("anthony", "tony"),
    ("patricia", "trish"), ("patricia", "tricia"), ("catherine", "kate"),
    ("catherine", "kathy"), ("catherine", "katie"), ("christopher", "kit"),
    ("alexander", "sandy"), ("rebecca", "becky"), ("eleanor", "nell"), ("helen", "nell"),
    ("ellen", "nell"), ("virginia", "ginny"), ("veronica", "ronnie"), ("ann", "nancy"),
    ("anne", "nancy"), ("augustus", "gus"), ("gerald", "jerry"), ("gerard", "jerry"),
    ("geoffrey", "jeff"), ("ezekiel", "zeke"), ("isabel", "bella"), ("isabella", "bella"),
))
