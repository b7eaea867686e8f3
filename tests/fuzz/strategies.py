"""Text strategies shared by the fuzz tests: any Unicode, and the tricky corners of it."""

from __future__ import annotations

from hypothesis import strategies as st

# Any code point except lone surrogates (they cannot be encoded, so no browser sends them).
any_char = st.characters(blacklist_categories=("Cs",))
any_text = st.text(any_char, max_size=300)

# Corners that have broken span arithmetic elsewhere: characters whose lowercase is longer
# ("İ" -> "i̇"), ligatures, combining marks, right-to-left text and marks, zero-width joiners,
# emoji sequences (skin tones, families, flags), full-width and mathematical letters, odd line
# breaks, the BOM.
SPECIALS = [
    "İ",
    "ẞ",
    "ß",
    "ﬁ",
    "ﬃ",
    "ŉ",
    "ǅ",
    "Σ",
    "\u0301",
    "\u0308",
    "\u0345",
    "e\u0301",
    "\u200d",
    "\u200c",
    "\u200f",
    "\u202e",
    "\ufeff",
    "\u00a0",
    "\u2028",
    "\u0085",
    "\r\n",
    "\t",
    "مرحبا يا",
    "שלום",
    "สวัสดี",
    "你好",
    "ＢＯＤＯＨ",
    "𝐛𝐨𝐝𝐨𝐡",
    "😡",
    "🖕",
    "🤡",
    "😂😂",
    "🙄",
    "👍🏽",
    "👨\u200d👩\u200d👧",
    "🇮🇩",
    "0812-3456-7890",
    "+62 812 3456 7890",
    "a@b.co",
    "Jl. Merdeka No. 5",
    "!!!",
    "?!?",
    "...",
    "*",
    "'",
    '"',
    "“",
    "”",
]

# Words the guard and triage look for, so the fuzzing reaches the rules and their spans.
WORDS = [
    "bodoh",
    "b o d o h",
    "b.o.d.o.h",
    "go blok",
    "anj*ng",
    "4nj1ng",
    "t0l0l",
    "goblok",
    "kamu",
    "salah",
    "sendiri",
    "baca",
    "dong",
    "makanya",
    "bintang",
    "5",
    "hapus",
    "review",
    "ulasan",
    "tolong",
    "kasih",
    "kami",
    "tidak",
    "gak",
    "jangan",
    "lapor",
    "polisi",
    "wkwkwk",
    "hahaha",
    "Kak",
    "terima",
    "kasih",
    "maaf",
    "rusak",
    "telat",
    "lama",
    "banget",
    "kurir",
    "paket",
    "pecah",
    "bocor",
    "ukuran",
    "kekecilan",
    "tapi",
    "bagus",
    "mantap",
    "kecewa",
    "tidak sesuai",
    "refund",
    "penipu",
    "YOU",
    "STUPID",
    "please",
    "delete",
    "stars",
    "your",
    "fault",
    "kata2",
    "hati2",
    "gpp",
    "bgt",
    "bangsat",
    "bang sat",
]

repeated_letters = st.builds(
    lambda ch, n: ch * n,
    st.sampled_from(list("aAhHwkW!?.") + ["🤣", "ha", "wk"]),
    st.integers(2, 400),
)
piece = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(SPECIALS),
    st.text(any_char, max_size=8),
    repeated_letters,
)
separator = st.sampled_from([" ", "", "  ", ", ", ". ", "\n", "!", "-", "_", "*"])

tricky_text = st.lists(st.tuples(piece, separator), max_size=25).map(
    lambda parts: "".join(p + s for p, s in parts)
)
# The mix the tests draw from: structured tricky text most of the time, raw Unicode too.
fuzz_text = st.one_of(tricky_text, any_text, tricky_text.map(str.upper))
