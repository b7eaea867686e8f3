"""Review triage as a pure function: topics, sentiment, needs_care, priority and action."""

from __future__ import annotations

import pytest

from reviews.triage import ACTIONS, TOPICS, triage


def test_four_stars_on_an_order_three_days_late_is_a_delay_case_even_when_text_is_silent():
    r = triage(rating=4, text="Barang sesuai, terima kasih.", delay_days=3)
    assert r.topics == ["delivery_delay"]
    assert r.needs_care
    assert r.action == "delay_explanation"


def test_praise_with_a_late_courier_after_but_is_a_delivery_complaint():
    r = triage(rating=4, text="Bagus tapi kurirnya lama")
    assert set(r.topics) == {"delivery_delay", "courier_service"}
    assert r.needs_care
    assert r.sentiment != "positive"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("telat 3 hari", "delivery_delay"),
        ("lama bgt nyampenya", "delivery_delay"),
        ("lamaaa", "delivery_delay"),
        ("barang gak sesuai gambar", "product_quality"),
        ("kardusnya penyok", "packaging"),
        ("barangnya penyok", "damaged"),
        ("kekecilan", "size_fit"),
        ("kebesaran satu nomor", "size_fit"),
        ("salah kirim warna", "wrong_item"),
        ("pesan 3 yang datang cuma 2", "missing_item"),
        ("stok kosong padahal katanya ready", "stock"),
        ("chat gak dibales", "seller_response"),
        ("kemahalan", "price"),
        ("kurirnya kasar", "courier_service"),
        ("took three weeks to arrive", "delivery_delay"),
        ("arrived cracked", "damaged"),
        ("wrong colour sent", "wrong_item"),
        ("runs small", "size_fit"),
    ],
)
def test_topics_are_found_in_indonesian_slang_and_english(text, topic):
    assert topic in triage(rating=2, text=text).topics


@pytest.mark.parametrize(
    "text",
    [
        "Tidak telat, sesuai estimasi.",
        "Gak rusak sama sekali.",
        "Not damaged, arrived early.",
        "Tidak ada cacat.",
        "Gak pake lama langsung dikirim.",
        "Udah langganan lama di sini.",
        "Gak kekecilan, pas.",
        "Fast respon, mantap.",
    ],
)
def test_negated_complaints_are_praise(text):
    r = triage(rating=5, text=text)
    assert r.topics == []
    assert not r.needs_care
    assert r.sentiment == "positive"
    assert r.action == "thank"


def test_five_stars_and_praise_need_no_care():
    r = triage(rating=5, text="Mantap, barang bagus, pengiriman cepat!")
    assert (r.topics, r.sentiment, r.needs_care, r.priority, r.action) == (
        [],
        "positive",
        False,
        0,
        "thank",
    )


def test_one_star_without_text_needs_care_and_asks_for_details():
    r = triage(rating=1, text="")
    assert r.needs_care and r.sentiment == "negative"
    assert r.action == "ask_details"


def test_vague_complaint_is_other():
    r = triage(rating=2, text="Kecewa berat.")
    assert r.topics == ["other"]
    assert r.action == "ask_details"


def test_damage_asks_for_a_replacement_or_refund():
    assert triage(rating=2, text="Barang datang pecah").action == "replace_or_refund"


def test_quality_complaint_gets_an_apology_and_explanation():
    assert triage(rating=3, text="Bahannya tipis").action == "apology_explain"


def test_worse_reviews_rank_higher():
    mild = triage(rating=4, text="Bagus tapi agak lama").priority
    bad = triage(rating=1, text="Barang pecah, salah kirim, kecewa").priority
    late = triage(rating=4, text="Oke", delay_days=7).priority
    assert bad > late > mild > 0


def test_results_use_the_fixed_vocabularies():
    r = triage(rating=2, text="Lama, penyok, kemahalan, kurir kasar, kekecilan")
    assert set(r.topics) <= set(TOPICS)
    assert r.action in ACTIONS
    assert r.as_dict()["topics"] == r.topics


@pytest.mark.parametrize(
    "kwargs",
    [
        {"rating": 0, "text": "x"},
        {"rating": 6, "text": "x"},
        {"rating": True, "text": "x"},
        {"rating": 3, "text": None},
        {"rating": 3, "text": "x", "lang": "fr"},
    ],
)
def test_bad_input_is_refused(kwargs):
    with pytest.raises(ValueError):
        triage(**kwargs)
