"""The normaliser maps slang and disguises onto plain words and keeps the original spans."""

from __future__ import annotations

import pytest

from crm.tone.normalize import normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("gak", "tidak"),
        ("nyampe", "sampai"),
        ("bgt", "sekali"),
        ("lamaaa", "lama"),
        ("maaaaf", "maaf"),
        ("g0bl0k", "goblok"),
        ("anj*ng", "anjing"),
        ("b*ngs*t", "bangsat"),
        ("f**k", "fuck"),
        ("bgst", "bangsat"),
        ("gblk", "goblok"),
        ("kntl", "kontol"),
        ("goblooook", "goblok"),
        ("kata2", "kata-kata"),
    ],
)
def test_disguised_and_slang_words_normalise_to_their_plain_form(raw, expected):
    assert normalize(raw).text == expected


def test_spaced_letters_join_into_one_word_with_the_whole_span():
    text = "dasar b o d o h ya"
    norm = normalize(text)
    assert "bodoh" in norm.tokens
    i = norm.tokens.index("bodoh")
    assert text[norm.starts[i] : norm.ends[i]] == "b o d o h"


def test_split_insult_is_joined():
    assert "goblok" in normalize("dasar go blok").tokens


def test_spaced_ordinary_letters_stay_apart():
    assert normalize("ukuran S M L tersedia").tokens[:4] == ["ukuran", "s", "m", "l"]


def test_numbers_and_units_are_not_read_as_leetspeak():
    assert normalize("harga 100rb 5kg 2x").tokens == ["harga", "100rb", "5kg", "2x"]


def test_spans_map_back_to_the_original_text_for_multiword_expansions():
    text = "Gpp kak, lamaaa bgt"
    norm = normalize(text)
    start = norm.text.index("apa-apa")
    assert norm.original_span(start, start + 7) == (0, 3)
    start = norm.text.index("lama")
    assert text[slice(*norm.original_span(start, start + 4))] == "lamaaa"
