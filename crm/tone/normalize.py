"""Turn raw chat text into a normalised token stream whose tokens remember where they came from.

Sellers and buyers write "gak", "lamaaa", "g0bl0k", "anj*ng", "b o d o h" and "bgst". Rules are
written once, against formal forms ("tidak", "lama", "goblok", "anjing", "bodoh", "bangsat"), and
this module maps every disguise onto them. Each normalised token keeps the character span of the
original text it came from, so findings can highlight exactly what the person typed.

Used by the tone guard (crm.tone) and by review triage (reviews.triage).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate, repeat
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
VOWELS = frozenset("aeiou")


def _read_lines(name: str) -> list[str]:
    lines = []
    for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def _read_tsv(name: str) -> dict[str, str]:
    pairs = {}
    for line in _read_lines(name):
        informal, _, formal = line.partition("\t")
        if formal:
            pairs[informal.strip().lower()] = formal.strip().lower()
    return pairs


def _read_sections(name: str) -> dict[str, frozenset[str]]:
    sections: dict[str, set[str]] = {}
    current = ""
    for line in _read_lines(name):
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections.setdefault(current, set())
        else:
            sections.setdefault(current, set()).add(line.lower())
    return {key: frozenset(words) for key, words in sections.items()}


# The team's own table wins over rule vocabulary, which wins over IndoCollex: IndoCollex maps
# some words our rules use verbatim ("diubah" -> "dirubah", "lebay" -> "berlebihan").
SLANG_EXTRA: dict[str, str] = _read_tsv("slang_extra.tsv")
SLANG_COLLEX: dict[str, str] = _read_tsv("slang_indocollex.tsv")
SLANG: dict[str, str] = {**SLANG_COLLEX, **SLANG_EXTRA}
_PROTECTED: set[str] = set()
_PROFANITY = _read_sections("profanity.txt")
PROFANITY_STRONG: frozenset[str] = _PROFANITY["strong"]
PROFANITY_DIRECTED: frozenset[str] = _PROFANITY["directed"]
PROFANITY_ALL: frozenset[str] = PROFANITY_STRONG | PROFANITY_DIRECTED

# Words the normaliser may turn a disguised token into. Rule modules add their vocabulary with
# add_known_words() at import time, so "lamaaa" collapses to "lama" and "maaaaf" to "maaf".
_KNOWN: set[str] = set(SLANG) | PROFANITY_ALL
for _formal in SLANG.values():
    _KNOWN.update(_formal.split())

_SUFFIXES = ("nya", "mu", "lah", "kah", "in", "kan", "an", "lu", "lo", "tuh", "nih", "i")
_LEET = str.maketrans(
    {
        "0": "o",
        "1": "i",
        "3": "e",
        "4": "a",
        "5": "s",
        "7": "t",
        "9": "g",
        "@": "a",
        "$": "s",
        "!": "i",
    }
)
_UNIT_RE = re.compile(r"\d+[a-z]{0,3}|[a-z]{1,2}\d+|\d+(?:[.,]\d+)*[a-z]*")
_RUN3_RE = re.compile(r"([a-z])\1{2,}")
_RUN2_RE = re.compile(r"([a-z])\1+")
_MASK_CHARS = "*#"

# Words, numbers, masked words ("anj*ng") and runs of sentence punctuation.
TOKEN_RE = re.compile(r"[\w*#@$'’]+(?:-[\w*#@$'’]+)*|[.,!?;:]+")
# Single letters separated by spaces or dots: "b o d o h", "t.o.l.o.l", "a-n-j-i-n-g".
_SPACED_RE = re.compile(r"(?<![\w*])(?:[^\W_][ .\-_*]{1,2}){2,}[^\W_](?![\w*])")


def add_known_words(words: object) -> None:
    """Register rule vocabulary so elongated spellings collapse onto it."""
    for word in words:  # type: ignore[attr-defined]
        word = str(word).lower()
        _KNOWN.add(word)
        if word not in SLANG_EXTRA:
            _PROTECTED.add(word)
    _norm_word.cache_clear()


def _skeleton(word: str) -> str:
    return word[0] + "".join(c for c in word[1:] if c not in VOWELS)


_SKELETONS: dict[tuple[str, str], list[tuple[str, str]]] = {}
for _word in PROFANITY_STRONG:
    if len(_word) >= 4:
        _SKELETONS.setdefault((_word[0], _word[-1]), []).append((_skeleton(_word), _word))


def _is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def _disemvowelled(word: str) -> str | None:
    """'bgst' -> 'bangsat', 'gblk' -> 'goblok': tokens with no vowels after the first letter."""
    if len(word) < 4 or any(c in VOWELS for c in word[1:]) or not word.isalpha():
        return None
    for skeleton, canonical in _SKELETONS.get((word[0], word[-1]), ()):
        if len(word) >= len(skeleton) - 1 and _is_subsequence(word, skeleton):
            return canonical
    return None


def _profane_stem(word: str) -> str | None:
    if word in PROFANITY_ALL:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in PROFANITY_ALL:
            return word[: -len(suffix)]
    return None


def _unmask(word: str) -> str:
    """'anj*ng' -> 'anjing', 'f**k' -> 'fuck'; an unknown masked word just loses its masks."""
    core = word.strip(_MASK_CHARS)
    pattern = re.compile(
        "".join("[a-z]" if c in _MASK_CHARS else re.escape(c) for c in core)
        + "(?:nya|mu|lah|in|kan|an)?"
    )
    if any(c not in _MASK_CHARS for c in core) and sum(c in _MASK_CHARS for c in core):
        for candidate in sorted(PROFANITY_ALL):
            if len(candidate) >= 3 and pattern.fullmatch(candidate):
                return candidate
    return "".join(c for c in core if c not in _MASK_CHARS)


def _known(word: str) -> bool:
    return word in _KNOWN or _profane_stem(word) is not None


@lru_cache(maxsize=65536)
def _norm_word(raw: str) -> str:
    """Normalise one lowercased word token; the result may hold several words ("gpp")."""
    if raw[0] in _PUNCT:
        return "?" if "?" in raw else raw[0]  # "!!!" -> "!", "?!" -> "?"
    word = raw.strip("*#'’_")  # decoration around a word: "*bodoh*", "'kak'"
    if not word:
        return raw
    word = word.replace("’", "'")
    # Reduplication: "kata2" -> "kata-kata", "hati2" -> "hati-hati".
    if len(word) > 2 and word[-1] == "2" and word[-2].isalpha() and word[:-1].isalpha():
        base = _norm_word(word[:-1])
        return f"{base}-{base}" if " " not in base else base
    if any(c in _MASK_CHARS for c in word):
        word = _unmask(word)
        if not word:
            return raw
    if (
        "-" not in word
        and any(c.isdigit() or c in "@$" for c in word)
        and not _UNIT_RE.fullmatch(word)
    ):
        letters = sum(c.isalpha() for c in word)
        if letters >= 2 and letters >= sum(c.isdigit() for c in word):
            deleet = word.translate(_LEET)
            if deleet.isalpha():
                word = deleet
    if "-" in word and word not in _KNOWN:
        head, _, tail = word.partition("-")
        if head and tail.startswith(head) and head in _PROTECTED:
            return _norm_word(tail)  # reduplication of a rule word: "lecet-lecet" -> "lecet"
    if word in SLANG_EXTRA:
        return SLANG_EXTRA[word]
    if word in _PROTECTED:
        return word
    if word in SLANG:
        return SLANG[word]
    if word in _KNOWN:
        return word
    if _RUN3_RE.search(word):
        double = _RUN3_RE.sub(r"\1\1", word)
        single = _RUN3_RE.sub(r"\1", word)
        for candidate in (double, single):
            if candidate in SLANG:
                return SLANG[candidate]
            if _known(candidate):
                return candidate
        word = single
    stem = _profane_stem(word)
    if stem is not None:
        return word
    collapsed = _RUN2_RE.sub(r"\1", word)
    if collapsed != word:
        if collapsed in SLANG:
            return SLANG[collapsed]
        if _known(collapsed):
            return collapsed
    return _disemvowelled(word) or word


class NormText:
    """A normalised text: `text` is tokens joined by single spaces, each traced to the original.

    `starts`/`ends` (each token's span in the original text) are worked out on first use: most
    checks find nothing and never need them.
    """

    __slots__ = ("_ends", "_raw", "_starts", "offsets", "original", "text", "tokens")

    def __init__(
        self,
        original: str,
        text: str,
        tokens: list[str],
        offsets: list[int],
        starts: list[int] | None = None,
        ends: list[int] | None = None,
        raw: list[str] | None = None,
    ) -> None:
        self.original = original
        self.text = text
        self.tokens = tokens
        self.offsets = offsets
        self._starts = starts
        self._ends = ends
        self._raw = raw  # the lowered words of the original, in order (fast path only)

    def _locate(self) -> None:
        spans = [m.span() for m in TOKEN_RE.finditer(self.original.lower())]
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._locate()
        return self._starts  # type: ignore[return-value]

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._locate()
        return self._ends  # type: ignore[return-value]

    def token_at(self, pos: int) -> int:
        return bisect_right(self.offsets, pos) - 1

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) range of the normalised text back onto the original text."""
        first = self.token_at(start)
        last = self.token_at(max(end - 1, start))
        return self.starts[first], self.ends[last]


_PUNCT = frozenset(".,!?;:")


def _raw_tokens(text: str) -> list[tuple[int, int, str]]:
    forced: list[tuple[int, int, str]] = []
    if _SPACED_RE.search(text):
        for m in _SPACED_RE.finditer(text):
            joined = "".join(c for c in m.group() if c.isalnum()).lower()
            norm = _norm_word(joined)
            if _profane_stem(norm) is not None:
                forced.append((m.start(), m.end(), joined))
    tokens: list[tuple[int, int, str]] = []
    fi = 0
    for m in TOKEN_RE.finditer(text):
        start, end = m.span()
        while fi < len(forced) and forced[fi][1] <= start:
            tokens.append(forced[fi])
            fi += 1
        if fi < len(forced) and forced[fi][0] <= start < forced[fi][1]:
            continue
        word = m.group()
        if word[0] in _PUNCT:
            tokens.append((start, end, "?" if "?" in word else word[0]))
            continue
        # Strip decoration around a word ("*bodoh*", "'kak'") but keep inner masks ("anj*ng").
        lead = len(word) - len(word.lstrip("*#'’_"))
        trail = len(word) - len(word.rstrip("*#'’_"))
        if lead or trail:
            word = word[lead : len(word) - trail]
            start, end = start + lead, end - trail
            if not word:
                continue
        tokens.append((start, end, word.lower()))
    tokens.extend(forced[fi:])
    return tokens


def _join_split_words(tokens: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """'go blok', 'bang sat': two short pieces that only make sense together as a strong insult."""
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens):
            (s1, e1, w1), (s2, e2, w2) = tokens[i], tokens[i + 1]
            if (
                len(w1) <= 4
                and len(w2) <= 4
                and s2 - e1 == 1
                and (w1 + w2) in PROFANITY_STRONG
                and w1.isalpha()
                and w2.isalpha()
            ):
                out.append((s1, e2, w1 + w2))
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return out


_DECOR = frozenset("*#'’_")
# First pieces of a strong insult split in two ("go blok", "bang sat", "an jing").
_SPLIT_HEADS = frozenset(
    w[:k] for w in PROFANITY_STRONG for k in range(2, len(w) - 1) if k <= 4 and len(w) - k <= 4
)


_SPLIT_PAIRS = frozenset(
    (w[:k], w[k:])
    for w in PROFANITY_STRONG
    for k in range(2, len(w) - 1)
    if k <= 4 and len(w) - k <= 4
)


def _split_insult(words: list[str]) -> bool:
    if _SPLIT_HEADS.isdisjoint(words):
        return False
    return not _SPLIT_PAIRS.isdisjoint(zip(words, words[1:], strict=False))


_THREE_SINGLES = b"\x01\x01\x01"


_TWOS = repeat(2)


def normalize(text: str) -> NormText:
    """Normalise `text` (slang, leetspeak, masks, spacing, repeated letters) keeping spans."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few Unicode letters change length when lowercased
        return _normalize_spaced(text)
    words = TOKEN_RE.findall(lowered)
    if _THREE_SINGLES in bytes(map(min, map(len, words), _TWOS)) or _split_insult(words):
        return _normalize_spaced(text)  # maybe "b o d o h" or "go blok": the general path decides
    # The hot path of every tone check, in C-level calls: no per-token Python loop.
    tokens = list(map(_norm_word, words))
    offsets = list(accumulate(map((1).__add__, map(len, tokens)), initial=0))
    offsets.pop()
    return NormText(text, " ".join(tokens), tokens, offsets, raw=words)


def _normalize_spaced(text: str) -> NormText:
    """The general path: spaced-out letters ("b o d o h", "t.o.l.o.l") and odd Unicode."""
    raw = _join_split_words(_raw_tokens(text))
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    offsets: list[int] = []
    pos = 0
    for start, end, word in raw:
        norm = _norm_word(word)
        tokens.append(norm)
        starts.append(start)
        ends.append(end)
        offsets.append(pos)
        pos += len(norm) + 1
    return NormText(text, " ".join(tokens), tokens, offsets, starts, ends)
