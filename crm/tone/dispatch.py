"""Split a big list of rule patterns into one combined regex per first character.

Both the tone guard and triage try their rules at every token start. One alternation of ~80
rules costs ~8 µs per token, because the engine enters every branch; most rules cannot even start
with the token's first letter. Here each rule's possible first characters are read from the
parsed pattern (re's own parser), and for every first character a combined regex holds only the
rules that can start with it, in the original order, with the same group names. Built at import.
"""

from __future__ import annotations

import re
import string
from re import _constants as C  # stdlib internals, stable since 3.11
from re import _parser as P

_ANY = None  # "could start with any character"


def _first(items) -> tuple[set[str] | None, bool]:
    chars: set[str] = set()
    for op, av in items:
        found, nullable = _first_item(op, av)
        if found is _ANY:
            return _ANY, False
        chars |= found
        if not nullable:
            return chars, False
    return chars, True


def _first_item(op, av) -> tuple[set[str] | None, bool]:
    if op is C.LITERAL:
        return {chr(av)}, False
    if op is C.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is C.LITERAL:
                chars.add(chr(value))
            elif kind is C.RANGE:
                chars.update(chr(c) for c in range(value[0], value[1] + 1))
            else:
                return _ANY, False
        return chars, False
    if op is C.BRANCH:
        chars = set()
        nullable = False
        for branch in av[1]:
            found, empty = _first(branch)
            if found is _ANY:
                return _ANY, False
            chars |= found
            nullable |= empty
        return chars, nullable
    if op is C.SUBPATTERN:
        return _first(av[-1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
        found, empty = _first(av[2])
        return found, empty or av[0] == 0
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True
    return _ANY, False


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of `pattern` can start with; None if any (or empty) is possible."""
    found, nullable = _first(P.parse(pattern))
    if found is _ANY or nullable:
        return None
    return frozenset(found)


_LIMIT = 4000


def _words(items, open_: set[str]) -> tuple[set[str], set[str]] | None:
    """Enumerate the first word of every match: (still open prefixes, finished first words)."""
    closed: set[str] = set()
    for op, av in items:
        if not open_:
            break
        if op is C.LITERAL:
            c = chr(av)
            if c == " ":
                closed |= open_
                open_ = set()
            else:
                open_ = {s + c for s in open_}
        elif op is C.IN:
            chars = set()
            for kind, value in av:
                if kind is C.LITERAL:
                    chars.add(chr(value))
                elif kind is C.RANGE:
                    chars.update(chr(c) for c in range(value[0], value[1] + 1))
                else:
                    return None
            if " " in chars:
                return None
            open_ = {s + c for s in open_ for c in chars}
        elif op is C.BRANCH:
            next_open: set[str] = set()
            for branch in av[1]:
                result = _words(branch, set(open_))
                if result is None:
                    return None
                next_open |= result[0]
                closed |= result[1]
            open_ = next_open
        elif op is C.SUBPATTERN:
            result = _words(av[-1], open_)
            if result is None:
                return None
            open_, sub_closed = result
            closed |= sub_closed
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, high, sub = av
            if high > 3:
                return None
            current, next_open = open_, set()
            for count in range(high + 1):
                if count >= low:
                    next_open |= current
                if count == high or not current:
                    break
                result = _words(sub, set(current))
                if result is None:
                    return None
                current = result[0]
                closed |= result[1]
            open_ = next_open
        elif op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue
        else:
            return None
        if len(open_) + len(closed) > _LIMIT:
            return None
    return open_, closed


def first_words(pattern: str) -> frozenset[str] | None:
    """Every first word a match of `pattern` can have, if there are few; else None."""
    result = _words(P.parse(pattern), {""})
    if result is None:
        return None
    open_, closed = result
    words = open_ | closed
    if "" in words:
        return None
    return frozenset(words)


class Dispatcher:
    """`match(text, pos)` tries, at `pos`, only the rules that can start with the word there.

    Rules whose first words can be listed are indexed by word; the others by first character.
    Words sharing the same rules share one compiled regex. Everything is built at import.
    """

    def __init__(self, patterns: list[str], prefix: str = "r") -> None:
        self._patterns = patterns
        self._prefix = prefix
        by_word: dict[str, set[int]] = {}
        by_char: dict[str, set[int]] = {}
        anywhere: set[int] = set()
        for i, pattern in enumerate(patterns):
            words = first_words(pattern)
            if words is not None:
                for word in words:
                    by_word.setdefault(word, set()).add(i)
                continue
            chars = first_chars(pattern)
            if chars is None:
                anywhere.add(i)
            else:
                for c in chars:
                    by_char.setdefault(c, set()).add(i)
        self._by_char_rules = by_char
        self._anywhere = anywhere
        compiled: dict[frozenset[int], re.Pattern[str] | None] = {}
        self._by_char: dict[str, re.Pattern[str] | None] = {}
        self._by_word: dict[str, re.Pattern[str] | None] = {}
        for c in set(by_char) | set(string.ascii_lowercase + string.digits):
            self._by_char[c] = self._compile(by_char.get(c, set()) | anywhere, compiled)
        for word, rules in by_word.items():
            char_rules = by_char.get(word[0], set()) | anywhere
            self._by_word[word] = self._compile(rules | char_rules, compiled)
        self.regex_count = len(compiled)
        # When every rule starts with a listable word, dispatch is one dict lookup: by_word(word).
        self.words_only = not by_char and not anywhere
        self.by_word = self._by_word.get

    def alias_phrases(self, phrases: object) -> None:
        """Let multi-word tokens ("tidak apa-apa") dispatch on their first word."""
        for phrase in phrases:  # type: ignore[attr-defined]
            first = phrase.split(" ", 1)[0]
            if phrase not in self._by_word and first in self._by_word:
                self._by_word[phrase] = self._by_word[first]

    def _regex_for_words(self, token: str) -> re.Pattern[str] | None:
        # Every rule is indexed by its first words: one dict lookup decides.
        regex = self._by_word.get(token)
        if regex is None and " " in token:
            regex = self._by_word.get(token.split(" ", 1)[0])
        return regex

    def _compile(self, rules: set[int], cache: dict) -> re.Pattern[str] | None:
        key = frozenset(rules)
        if key not in cache:
            parts = [f"(?P<{self._prefix}{i}>{self._patterns[i]})" for i in sorted(rules)]
            cache[key] = re.compile("|".join(parts)) if parts else None
        return cache[key]

    def regex_for(self, token: str) -> re.Pattern[str] | None:
        """The combined regex to try where `token` starts (None: no rule can start there)."""
        regex = self._by_word.get(token, False)
        if regex is not False:
            return regex
        word = token.split(" ", 1)[0]
        regex = self._by_word.get(word, False)
        if regex is not False:
            return regex
        c = token[0]
        regex = self._by_char.get(c, False)
        if regex is False:
            regex = self._by_char[c] = self._compile(
                self._by_char_rules.get(c, set()) | self._anywhere, {}
            )
        return regex

    def match(self, text: str, pos: int) -> re.Match[str] | None:
        end = text.find(" ", pos)
        word = text[pos:] if end < 0 else text[pos:end]
        regex = self._by_word.get(word, False)
        if regex is False:
            c = text[pos]
            regex = self._by_char.get(c, False)
            if regex is False:
                regex = self._by_char[c] = self._compile(
                    self._by_char_rules.get(c, set()) | self._anywhere, {}
                )
        return regex.match(text, pos) if regex is not None else None
