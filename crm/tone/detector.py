"""The tone guard's engine: one pass of the combined rules over the normalised text, plus a few
checks that need the original characters (capitals, punctuation runs, emoji, personal data)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress
from math import prod

from crm.tone import rules as R
from crm.tone.channels import channel_rule
from crm.tone.dispatch import Dispatcher
from crm.tone.messages import MESSAGES
from crm.tone.normalize import SLANG, NormText, add_known_words, normalize

HOSTILE_SEVERITY = 0.6  # one finding at least this severe makes the reply hostile
HOSTILE_SCORE = 0.75  # or several milder ones adding up to this

add_known_words(R.VOCABULARY)

# One combined regex per first character (see dispatch.py), built once at import.
_RULES = Dispatcher([f"(?:{R.expand(rule.pattern)})(?![\\w'-])" for rule in R.RULES], prefix="r")
# _lexical looks rules up by first word only; every tone rule must start with a listable word.
if not _RULES.words_only:
    raise RuntimeError("a tone rule starts with an unlisted word; see crm/tone/dispatch.py")
# Slang that expands to several words ("gpp" -> "tidak apa-apa") starts where its first word does.
_RULES.alias_phrases(v for v in SLANG.values() if " " in v)

NEGATORS = frozenset(
    [
        "tidak",
        "bukan",
        "jangan",
        "tanpa",
        "belum",
        "tak",
        "never",
        "not",
        "no",
        "don't",
        "dont",
        "didn't",
        "won't",
        "doesn't",
        "isn't",
        "aren't",
        "wasn't",
        "cannot",
        "can't",
        "nothing",
        "none",
        "nor",
        "neither",
        "bukannya",
    ]
)
CONDITIONALS = frozenset(
    [
        "kalau",
        "jika",
        "bila",
        "apabila",
        "if",
        "seandainya",
        "misalnya",
        "andaikan",
        "kalaupun",
        "jikalau",
        "when",
        "whether",
        "misal",
    ]
)
CLAUSE_BREAKS = frozenset(
    [".", ",", "!", "?", ";", ":", "tapi", "namun", "tetapi", "but", "however", "melainkan"]
)
SUBJECT_OK = frozenset(
    [
        "dan",
        "tapi",
        "namun",
        "jadi",
        "maka",
        "terus",
        "lalu",
        "nanti",
        "awas",
        "and",
        "but",
        "so",
        "ya",
        "sekarang",
        "pokoknya",
        "atau",
        "or",
        "biar",
        "supaya",
        "agar",
    ]
)
SELF = frozenset(["kami", "saya", "aku", "kita", "we", "i"])
SELF_DEPRECATING = frozenset(
    [
        "bodoh",
        "bego",
        "tolol",
        "goblok",
        "oon",
        "dungu",
        "bloon",
        "idiot",
        "stupid",
        "dumb",
        "fool",
        "ceroboh",
    ]
)
QUOTE_SUPPRESSED = frozenset({"insult", "blame", "sarcasm", "dismissive", "threat"})
_LAUGH_HINT_RE = re.compile(r"haha|hehehe|wkwk|lol|lmao|rofl|xixi")
LAUGHTER_RE = re.compile(r"(?:ha){2,}h?|(?:he){3,}|(?:wk){2,}w?|lol|lmao|rofl|xi(?:xi)+")

# --- Checks on the original characters -------------------------------------------------------
_CAPS_WORD_RE = re.compile(r"(?<![\w'’-])[A-Z][A-Z'’-]*[A-Z](?![\w'’-])")
ACRONYMS = frozenset(
    [
        "JNE",
        "JNT",
        "SPX",
        "COD",
        "SKU",
        "PO",
        "WA",
        "CS",
        "OK",
        "OKE",
        "TIKI",
        "POS",
        "SMS",
        "QC",
        "RT",
        "RW",
        "NO",
        "ID",
        "DM",
        "USB",
        "LED",
        "HP",
        "PC",
        "TV",
        "AC",
        "XL",
        "XXL",
        "XXXL",
        "XS",
        "SPF",
        "UV",
        "ML",
        "KG",
        "CM",
        "MM",
        "BPOM",
        "SNI",
        "SOP",
        "ASAP",
        "FAQ",
        "PIN",
        "OTP",
        "ATM",
        "BCA",
        "BRI",
        "BNI",
        "BSI",
        "QRIS",
        "OVO",
        "DANA",
        "VA",
        "USD",
        "IDR",
        "RP",
        "WIB",
        "WITA",
        "WIT",
        "PM",
        "AM",
        "DP",
        "PT",
        "CV",
        "UD",
        "MUI",
        "SMS",
        "GB",
        "MB",
        "TB",
        "SSD",
        "RAM",
        "CPU",
        "LCD",
        "HD",
        "ADM",
        "CEO",
        "RGB",
        "READY",
        "STOCK",
        "STOK",
        "PROMO",
        "SALE",
        "FREE",
        "ONGKIR",
        "NEW",
        "ORI",
        "PRE",
        "PREORDER",
        "PRE-ORDER",
        "ORDER",
        "BEST",
        "REG",
        "YES",
        "EMS",
        "SICEPAT",
        "ANTERAJA",
        "GOSEND",
        "GRABEXPRESS",
        "GRAB",
        "GOJEK",
        "NINJA",
        "LION",
        "IDEXPRESS",
        "SAP",
        "JX",
        "DHL",
        "FEDEX",
        "UPS",
        "HALAL",
        "ISO",
        "MP3",
        "MP4",
        "USB-C",
        "LTE",
        "NFC",
        "GPS",
        "BNIB",
        "BNWT",
        "OOTD",
        "PM",
        "DM",
        "FYI",
        "BTW",
    ]
)
WARM_RE = re.compile(
    r"terima ?kasih|makasih|thank|thanks|selamat|semoga|maaf|sorry|apolog|congrat|welcome|enjoy|"
    r"happy|senang|seneng|yay|hore|mantap|sehat|ditunggu|sukses|love|glad|great|hebat|keren|suka",
    re.IGNORECASE,
)
_PUNCT_RE = re.compile(r"[!?]{2,}")
_CAPS2_RE = re.compile(r"[A-Z]{2}")
_LOUD_HINT_RE = re.compile(r"[A-Z][A-Z]|[!?][!?]")
_SENTENCE_START_RE = re.compile(r"[.!?\n][^.!?\n]*$")
_EMOJI_MOCK_RE = re.compile(
    "[\U0001f644\U0001f612\U0001f60f\U0001f928\U0001f611\U0001f923\U0001f602]"
)
_EMOJI_HINT_RE = re.compile(
    "[\U0001f921\U0001f595\U0001f4a9\U0001f644\U0001f612\U0001f60f\U0001f928\U0001f611\U0001f923\U0001f602]"
)
_EMOJI_INSULT_RE = re.compile("[\U0001f921\U0001f595\U0001f4a9]")

_PHONE_RE = re.compile(r"(?<![\w+])(?:\+62|62|0)[\s.-]?8\d(?:[\s.-]?\d){6,11}(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\w)\(0\d{2,3}\)\s?\d{3,4}[\s.-]?\d{3,4}(?!\d)")
# Cheap tests first: most replies hold no long number, no "@" and no address word.
_DIGITS_HINT_RE = re.compile(r"\d\d\d\d|\d\d\d[\s.-]\d")
_ADDRESS_HINT_RE = re.compile(
    r"(?:Jl|Jln|Jalan|Gg|Gang|Komp|Kompleks|Komplek|Perum|Perumahan|Apartemen|Apt|Dusun|Dsn|RT|"
    r"Blok|Blk)\b"
)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ADDRESS_RE = re.compile(
    r"\b(?:(?:Jl|Jln|Jalan|Gg|Gang|Komp|Kompleks|Komplek|Perum|Perumahan|Apartemen|Apt|Dusun|Dsn)\.?"
    r"\s+[A-Z0-9][\w.'-]*(?:\s+[A-Z0-9][\w.'-]*){0,4}"
    r"(?:\s*,?\s*(?:No|Nomor|Blok|Blk)\.?\s*[A-Z0-9][\w/-]*)*"
    r"|RT\.?\s*\d{1,3}\s*/\s*RW\.?\s*\d{1,3}"
    r"|(?:Blok|Blk)\.?\s+[A-Z]{1,2}\d{0,3}\s*(?:No\.?\s*\d+)?)"
)
_BUYER_CUE_RE = re.compile(
    r"\b(?:kakak|kak|anda|kamu|bapak|ibu|bu|pak|your|you|customer|pembeli|buyer)\W+(?:\w+\W+)?$",
    re.IGNORECASE,
)
_OWN_CONTACT_RE = re.compile(
    r"(?:hubungi|kontak|contact|call|telepon|telp|wa|whatsapp|admin|cs|customer service|"
    r"nomor kami|email kami|our|us at|kami di|toko)\W+(?:\w+\W+){0,4}$",
    re.IGNORECASE,
)


class Finding:
    """One problem in a text: category, span [start, end) of the original text, severity 0..1.

    `explanation` and `hint` are rendered when read, in the interface language active then.
    """

    __slots__ = ("category", "end", "kind", "severity", "start")

    def __init__(self, category: str, start: int, end: int, severity: float, kind: str) -> None:
        self.category = category
        self.start = start
        self.end = end
        self.severity = severity
        self.kind = kind

    @property
    def explanation(self) -> str:
        return str(MESSAGES[self.kind][0])

    @property
    def hint(self) -> str:
        return str(MESSAGES[self.kind][1])

    def __repr__(self) -> str:
        return (
            f"Finding({self.category!r}, {self.start}, {self.end}, {self.severity}, {self.kind!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Finding):
            return NotImplemented
        return (self.category, self.start, self.end, self.severity, self.kind) == (
            other.category,
            other.start,
            other.end,
            other.severity,
            other.kind,
        )

    __hash__ = None  # type: ignore[assignment]

    def as_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "start": self.start,
            "end": self.end,
            "explanation": self.explanation,
            "hint": self.hint,
            "severity": round(self.severity, 2),
        }


@dataclass(slots=True)
class Verdict:
    verdict: str  # "hostile" | "caution" | "ok"
    score: float
    findings: list[Finding] = field(default_factory=list)
    lang: str = "id"

    @property
    def hostile(self) -> bool:
        return self.verdict == "hostile"

    def as_dict(self) -> dict[str, object]:
        return {
            "verdict": self.verdict,
            "hostile": self.hostile,
            "score": round(self.score, 3),
            "findings": [f.as_dict() for f in self.findings],
        }


def _finding(category: str, kind: str, severity: float, start: int, end: int) -> Finding:
    return Finding(category, start, end, severity, kind)


_QUOTE_HINT_RE = re.compile("[\"“«]|(?<!\\w)'")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(
        r"\"[^\"]{1,200}\"|“[^”]{1,200}”|«[^»]{1,200}»|(?<!\w)'[^']{2,120}'(?!\w)", text
    ):
        spans.append(m.span())
    return spans


def _previous(norm: NormText, index: int, n: int) -> list[str]:
    """Up to n tokens before `index`, stopping at a clause break."""
    out = []
    for i in range(index - 1, max(index - 1 - n, -1), -1):
        token = norm.tokens[i]
        if token in CLAUSE_BREAKS:
            break
        out.append(token)
    return out


def _words_of(tokens: list[str]) -> set[str]:
    words: set[str] = set()
    for token in tokens:
        words.update(token.split())
    return words


def _sentence_tokens(norm: NormText, first: int, last: int) -> list[str]:
    start = first
    while start > 0 and norm.tokens[start - 1] not in (".", "!", "?", ";"):
        start -= 1
    end = last
    while end + 1 < len(norm.tokens) and norm.tokens[end] not in (".", "!", "?", ";"):
        end += 1
    return norm.tokens[start : end + 1]


def _rating_kind(
    norm: NormText, first: int, last: int, matched: str, channel: str | None, after_resolution: bool
) -> tuple[str, float]:
    sentence = _sentence_tokens(norm, first, last)
    words = _words_of(sentence)
    joined = " ".join(sentence)
    if R.INCENTIVE.search(joined):
        return "rating_bargain", 0.9
    if _words_of([matched]) & R.DELETE_WORDS:
        return "rating_demand", 0.85
    asks_top = bool(re.search(r"\b(?:5|lima|five)\b", joined))
    polite = any(marker in joined for marker in R.POLITE_INVITE)
    if polite and not asks_top and not R.DEMAND_MARKERS.search(joined) and "!" not in words:
        if not after_resolution:
            return "rating_invite_unresolved", 0.7
        if channel_rule(channel).rating_request_allowed:
            return "rating_invite_ok", 0.4
        return "rating_invite_forbidden", 0.75
    return "rating_demand", 0.85


def _lexical(norm: NormText, channel: str | None, after_resolution: bool) -> list[Finding]:
    findings: list[Finding] = []
    quotes: list[tuple[int, int]] | None = None  # found on first need
    text = norm.text
    offsets = norm.offsets
    # Which rules may start at each token, in one C-level pass; most tokens start none.
    regexes = list(map(_RULES.by_word, norm.tokens))
    resume = 0  # tokens before this were consumed by an earlier match
    for i in compress(range(len(regexes)), regexes):
        if i < resume:
            continue
        m = regexes[i].match(text, offsets[i])
        if m is None:
            continue
        rule = R.RULES[int(m.lastgroup[1:])]  # type: ignore[index]
        last = norm.token_at(m.end() - 1)
        next_i = max(last + 1, i + 1)
        if rule.safe:
            resume = next_i
            continue
        if rule.negatable and NEGATORS & _words_of(_previous(norm, i, rule.neg_window)):
            resume = next_i
            continue
        if rule.conditional and CONDITIONALS & _words_of(_previous(norm, i, 5)):
            resume = next_i
            continue
        if rule.subject_start and i > 0:
            prev = norm.tokens[i - 1]
            if prev not in CLAUSE_BREAKS and prev not in SUBJECT_OK:
                continue  # another rule may still start later
        start, end = norm.starts[i], norm.ends[last]
        if rule.category in QUOTE_SUPPRESSED:
            if quotes is None:
                original = norm.original
                quotes = _quoted_spans(original) if _QUOTE_HINT_RE.search(original) else []
            quoted = any(qs <= start and end <= qe for qs, qe in quotes)
        else:
            quoted = False
        if quoted:
            resume = next_i
            continue
        kind, severity = rule.kind, rule.severity
        if (
            kind == "insult"
            and i > 0
            and norm.tokens[i - 1] in SELF
            and m.group() in SELF_DEPRECATING
        ):
            resume = next_i  # "kami bodoh sekali, lupa kirim bonusnya": the shop blaming itself
            continue
        if kind == "rating":
            kind, severity = _rating_kind(norm, i, last, m.group(), channel, after_resolution)
        findings.append(_finding(rule.category, kind, severity, start, end))
        resume = next_i
    return findings


def _shouting(text: str) -> list[Finding]:
    findings: list[Finding] = []
    if not _LOUD_HINT_RE.search(text):
        return findings
    runs: list[list[re.Match[str]]] = []
    for m in _CAPS_WORD_RE.finditer(text) if _CAPS2_RE.search(text) else ():
        if runs and not any(c.islower() for c in text[runs[-1][-1].end() : m.start()]):
            runs[-1].append(m)
        else:
            runs.append([m])
    if runs:
        letters = sum(map(str.isalpha, text))
        mostly_caps = letters >= 8 and sum(map(str.isupper, text)) >= 0.8 * letters
    for run in runs:
        loud = [m for m in run if m.group().replace("’", "'") not in ACRONYMS]
        if not loud:
            continue
        start, end = run[0].start(), run[-1].end()
        sentence_start = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
        sentence_end = min(
            (i for i in (text.find(c, end) for c in ".!?\n") if i >= 0), default=len(text)
        )
        warm = bool(WARM_RE.search(text[sentence_start:sentence_end]))
        if len(loud) >= 3:
            # Four or more loud words shout; three may be a name ("TOKO MAJU JAYA").
            severity = 0.4 if warm else (0.7 if len(loud) >= 4 or mostly_caps else 0.5)
            findings.append(_finding("shouting", "caps", severity, start, end))
        elif any(len(m.group()) >= 4 for m in loud) and not warm:
            findings.append(
                _finding("shouting", "caps_word", 0.35, loud[0].start(), loud[-1].end())
            )
    for m in _PUNCT_RE.finditer(text):
        marks = m.group()
        if "?" in marks:
            loud = "!" in marks or len(marks) >= 3
            findings.append(_finding("shouting", "punct", 0.5 if loud else 0.4, *m.span()))
        elif len(marks) >= 3:
            before = text[: m.start()]
            sentence = (
                before[_SENTENCE_START_RE.search(before).start() :]
                if _SENTENCE_START_RE.search(before)
                else before
            )
            if not WARM_RE.search(sentence):
                findings.append(_finding("shouting", "punct", 0.35, *m.span()))
    return findings


def _personal_data(text: str) -> list[Finding]:
    findings: list[Finding] = []
    regexes = []
    if _DIGITS_HINT_RE.search(text):
        regexes += [(_PHONE_RE, "phone"), (_LANDLINE_RE, "phone")]
    if "@" in text:
        regexes.append((_EMAIL_RE, "email"))
    if _ADDRESS_HINT_RE.search(text):
        regexes.append((_ADDRESS_RE, "address"))
    for regex, kind in regexes:
        for m in regex.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            own = _OWN_CONTACT_RE.search(before) and not _BUYER_CUE_RE.search(before)
            if kind != "address" and own:
                findings.append(_finding("personal_data", "own_contact", 0.35, *m.span()))
            else:
                findings.append(_finding("personal_data", kind, 0.75, *m.span()))
    return findings


def _emoji(text: str, has_other: bool) -> list[Finding]:
    findings = []
    for m in _EMOJI_INSULT_RE.finditer(text):
        findings.append(_finding("insult", "insult", 0.8, *m.span()))
    for m in _EMOJI_MOCK_RE.finditer(text):
        # Laughing faces are friendly on their own; next to another finding they mock.
        if m.group() in "\U0001f644\U0001f612\U0001f60f\U0001f928\U0001f611" or has_other:
            findings.append(_finding("sarcasm", "mocking", 0.45, *m.span()))
    return findings


def _laughter(norm: NormText, has_other: bool) -> list[Finding]:
    if not has_other or not _LAUGH_HINT_RE.search(norm.text):
        return []
    return [
        _finding("sarcasm", "mocking", 0.45, norm.starts[i], norm.ends[i])
        for i, token in enumerate(norm.tokens)
        if LAUGHTER_RE.fullmatch(token)
    ]


_EN_WORDS = frozenset(
    [
        "the",
        "you",
        "your",
        "we",
        "our",
        "is",
        "are",
        "was",
        "be",
        "to",
        "of",
        "and",
        "for",
        "with",
        "not",
        "this",
        "that",
        "it",
        "please",
        "sorry",
        "thank",
        "thanks",
        "will",
        "have",
        "has",
        "can",
    ]
)


def detect_lang(norm: NormText) -> str:
    english = sum(map(_EN_WORDS.__contains__, norm.tokens))
    return "en" if english * 4 >= max(len(norm.tokens), 1) else "id"


def check(
    text: str,
    lang: str | None = None,
    channel: str | None = None,
    after_resolution: bool = False,
) -> Verdict:
    """Check one outgoing text. See crm.tone for the contract."""
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    if lang not in (None, "id", "en"):
        raise ValueError("lang must be 'id', 'en' or None")
    norm = normalize(text)
    findings = _lexical(norm, channel, after_resolution)
    findings += _shouting(text)
    if channel_rule(channel).public:
        findings += _personal_data(text)
    has_other = any(f.severity >= 0.4 for f in findings)
    if not text.isascii() and _EMOJI_HINT_RE.search(text):
        findings += _emoji(text, has_other)
    findings += _laughter(norm, has_other)
    findings.sort(key=lambda f: (f.start, -f.severity))
    score = 1.0 - prod(1.0 - f.severity for f in findings) if findings else 0.0
    if not findings:
        return Verdict("ok", 0.0, findings, lang or detect_lang(norm))
    if max(f.severity for f in findings) >= HOSTILE_SEVERITY or score >= HOSTILE_SCORE:
        verdict = "hostile"
    elif findings:
        verdict = "caution"
    else:
        verdict = "ok"
    return Verdict(verdict, score, findings, lang or detect_lang(norm))
