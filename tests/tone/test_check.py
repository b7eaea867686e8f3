"""The tone guard: categories, kind negations, channels, spans and the output format."""

from __future__ import annotations

import pytest
from django.utils import translation

from crm import tone


def categories(text: str, **kwargs) -> set[str]:
    return {f.category for f in tone.check(text, **kwargs).findings}


def test_issue_example_is_hostile_with_rating_findings():
    text = "Kok cuma bintang 4? Tolong diubah jadi 5!"
    v = tone.check(text)
    assert v.verdict == "hostile" and v.hostile
    assert {f.category for f in v.findings} == {"rating_pressure"}
    assert [text[f.start : f.end] for f in v.findings] == ["Kok cuma bintang 4", "diubah jadi 5"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Dasar pembeli g0bl0k", "insult"),
        ("anj*ng, paket udah sampai", "insult"),
        ("bgst lu", "insult"),
        ("kamu t o l o l", "insult"),
        ("Goblooog banget", "insult"),
        ("Salah kakak sendiri tidak baca deskripsi", "blame"),
        ("Makanya baca dulu sebelum order", "blame"),
        ("You should have read the size chart", "blame"),
        ("Hapus ulasan ini ya kak", "rating_pressure"),
        ("Voucher 50rb asal ratingnya diganti bintang 5", "rating_pressure"),
        ("Akun kakak kami laporkan ke Shopee", "threat"),
        ("Kami akan tempuh jalur hukum", "threat"),
        ("We will report your account", "threat"),
        ("Masa gitu aja gak ngerti", "sarcasm"),
        ("Ada harga ada rupa kak", "sarcasm"),
        ("Terserah kakak mau kasih bintang berapa", "dismissive"),
        ("Bodo amat", "dismissive"),
        ("Whatever, not our problem", "dismissive"),
        ("KAMI SUDAH KIRIM SESUAI ALAMAT KAKAK", "shouting"),
        ("Paket sudah sampai kan???", "shouting"),
        ("Nomor kakak 0812-3456-7890 tidak aktif", "personal_data"),
        ("Diantar ke Jl. Kenanga No. 12 RT 03/RW 05", "personal_data"),
        ("We emailed budi.s@gmail.com", "personal_data"),
    ],
)
def test_each_category_is_found(text, category):
    assert category in categories(text)


@pytest.mark.parametrize(
    "text",
    [
        "Jangan khawatir kak, kami ganti hari ini.",
        "Tidak masalah kak, bisa tukar ukuran.",
        "Gak papa kak, kami bantu klaim.",
        "No problem, we'll swap it.",
        "Don't worry, a replacement is on its way.",
        "Bukan salah kakak kok, labelnya tertukar.",
        "It's not your fault at all.",
        "Kami tidak akan melaporkan akun kakak.",
        "Klaim kakak sudah kami laporkan ke ekspedisi.",
        "Terserah kakak mau pilih warna yang mana.",
        "Kalau kakak salah pilih ukuran, bisa ditukar kok.",
        "Terima kasih sudah kasih bintang 5 kak!",
        'Maaf kak, kakak sampai menyebut kami "toko bodoh". Kami perbaiki.',
        "Kami bodoh sekali lupa kirim bonusnya, maaf ya kak.",
        "Halo kak, mohon maaf barangnya penyok. Kami kirim ulang ya.",
        "Terima kasih kak!!!",
        "Pesanan dikirim via JNE YES dan SiCepat BEST.",
    ],
)
def test_caring_replies_and_kind_negations_raise_nothing(text):
    v = tone.check(text)
    assert v.verdict == "ok", v.as_dict()


def test_polite_invitation_after_resolution_is_a_caution_where_the_channel_allows_it():
    text = "Jika berkenan, kakak bisa memperbarui ulasannya sesuai pengalaman sekarang."
    allowed = tone.check(text, channel="tokopedia", after_resolution=True)
    assert allowed.verdict == "caution"
    forbidden = tone.check(text, channel="trustpilot", after_resolution=True)
    assert forbidden.verdict == "hostile"
    unresolved = tone.check(text, channel="tokopedia", after_resolution=False)
    assert unresolved.verdict == "hostile"


def test_demanding_five_stars_is_hostile_even_after_resolution_on_tokopedia():
    v = tone.check(
        "Masalah sudah beres, ubah ulasan jadi bintang 5 ya",
        channel="tokopedia",
        after_resolution=True,
    )
    assert v.hostile


def test_rating_request_table_is_readable_by_other_code():
    assert tone.rating_request_allowed("tokopedia")
    assert tone.rating_request_allowed("shopee")
    assert not tone.rating_request_allowed("trustpilot")
    assert not tone.rating_request_allowed("google")
    assert tone.channel_rule("Tokopedia").edits == "once"
    assert tone.channel_rule("unknown-site").channel == "default"


def test_personal_data_is_only_flagged_on_public_channels():
    text = "Kami kirim ke Jl. Kenanga No. 12 ya kak, nomor kakak 0812-3456-7890."
    assert "personal_data" in categories(text, channel="tokopedia")
    assert "personal_data" not in categories(text, channel="whatsapp")


def test_shops_own_contact_number_is_only_a_caution():
    v = tone.check("Hubungi admin kami di WA 0813-1111-2222 ya kak")
    assert v.verdict == "caution"
    assert v.findings[0].category == "personal_data"


def test_spans_index_the_original_text():
    text = "Halo kak, dasar   G0BL0KKK!!"
    v = tone.check(text)
    excerpts = {text[f.start : f.end] for f in v.findings}
    assert "G0BL0KKK" in {e.split()[-1] for e in excerpts}
    assert all(0 <= f.start < f.end <= len(text) for f in v.findings)


def test_verdict_dict_has_the_check_reply_format():
    data = tone.check("Bodo amat!!!").as_dict()
    assert set(data) == {"verdict", "hostile", "score", "findings"}
    assert 0 <= data["score"] <= 1
    assert set(data["findings"][0]) >= {"category", "start", "end", "explanation", "hint"}


def test_ok_text_scores_zero_and_hostile_scores_high():
    assert tone.check("Terima kasih kak").score == 0
    assert tone.check("Dasar goblok, awas kamu").score > 0.9


def test_explanations_are_rendered_in_the_active_language():
    with translation.override("en"):
        finding = tone.check("Bodo amat").findings[0]
    assert isinstance(finding.explanation, str) and finding.explanation
    assert isinstance(finding.hint, str) and finding.hint


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError):
        tone.check(None)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        tone.check("halo", lang="fr")


def test_language_is_detected_when_not_given():
    assert tone.check("Thank you for your order, we will ship it today").lang == "en"
    assert tone.check("Terima kasih kak, pesanan dikirim hari ini").lang == "id"
