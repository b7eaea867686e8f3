"""The reply templates every shop starts with, per recommended action and language.

Copied into a shop's ReplyTemplate rows on first use (``reply_templates_ensure``), then the
shop's own. Written in a seller's warm voice; each sentence that needs a fact the order may lack
(delay, dates, offer) stands alone so it is left out cleanly when the fact is missing. Every text
here must read "ok" to the tone guard (tests/reviews/test_templates_defaults.py).
"""

from __future__ import annotations

DEFAULT_TEMPLATES: dict[tuple[str, str], str] = {
    ("thank", "id"): (
        "Halo Kak {buyer_name}, terima kasih banyak sudah berbelanja di {shop_name}. "
        "Senang sekali {product} sudah sampai dan sesuai harapan Kakak. "
        "Semoga bermanfaat ya, Kak. Kami tunggu kedatangan Kakak berikutnya."
    ),
    ("thank", "en"): (
        "Hi {buyer_name}, thank you so much for shopping at {shop_name}. "
        "We are glad {product} arrived safely and lived up to your expectations. "
        "We hope you enjoy it, and we look forward to seeing you again."
    ),
    ("apology_explain", "id"): (
        "Halo Kak {buyer_name}, terima kasih sudah berbelanja di {shop_name} dan sudah "
        "menyampaikan masukannya.\n\n"
        "Mohon maaf atas kendala yang Kakak alami dengan {product}. "
        "Pesanan Kakak kami kirim pada {shipped_date} melalui {courier}, namun baru tiba "
        "pada {delivered_date}, {delay_days} hari lewat dari estimasi {promised_date}.\n\n"
        "Masukan ini sudah kami catat supaya ke depannya lebih baik. "
        "Sebagai permintaan maaf, kami berikan {offer}. "
        "Kalau masih ada yang bisa kami bantu, silakan chat kami kapan saja ya, Kak."
    ),
    ("apology_explain", "en"): (
        "Hi {buyer_name}, thank you for shopping at {shop_name} and for telling us about "
        "your experience.\n\n"
        "We are sorry about the trouble with {product}. "
        "We sent your order on {shipped_date} with {courier}, but it only arrived on "
        "{delivered_date}, {delay_days} days after the estimated {promised_date}.\n\n"
        "We have noted your feedback so we can do better. "
        "As an apology, we would like to offer you {offer}. "
        "If there is anything else we can help with, just send us a chat."
    ),
    ("delay_explanation", "id"): (
        "Halo Kak {buyer_name}, terima kasih sudah berbelanja di {shop_name}, dan mohon maaf "
        "pesanannya datang lebih lama dari yang dijanjikan.\n\n"
        "Pesanan Kakak sudah kami serahkan ke {courier} pada {shipped_date}. "
        "Estimasi tiba {promised_date}, namun paket baru sampai {delivered_date}, "
        "terlambat {delay_days} hari. "
        "Kami akan sampaikan masukan ini ke pihak {courier} agar tidak terulang.\n\n"
        "Sebagai permintaan maaf, kami berikan {offer}. "
        "Terima kasih atas kesabarannya, semoga {product} bermanfaat ya, Kak."
    ),
    ("delay_explanation", "en"): (
        "Hi {buyer_name}, thank you for shopping at {shop_name}, and we are sorry your order "
        "took longer than promised.\n\n"
        "We handed your order to {courier} on {shipped_date}. "
        "It was expected on {promised_date} but only arrived on {delivered_date}, "
        "{delay_days} days late. "
        "We will pass this feedback on to {courier} so it does not happen again.\n\n"
        "As an apology, we would like to offer you {offer}. "
        "Thank you for your patience, and we hope you enjoy {product}."
    ),
    ("replace_or_refund", "id"): (
        "Halo Kak {buyer_name}, mohon maaf sekali {product} yang Kakak terima tidak sesuai "
        "harapan. Terima kasih sudah memberi tahu kami.\n\n"
        "Kami siap bantu tukar barang atau pengembalian dana, sesuai pilihan Kakak. "
        "Silakan kirim foto barangnya lewat chat toko ya, Kak, supaya bisa langsung kami proses. "
        "Sebagai permintaan maaf, kami juga berikan {offer}."
    ),
    ("replace_or_refund", "en"): (
        "Hi {buyer_name}, we are very sorry that {product} was not what you expected, "
        "and thank you for letting us know.\n\n"
        "We are happy to send a replacement or give you a refund, whichever you prefer. "
        "Please send us a photo of the item in the shop chat so we can sort it out right away. "
        "As an apology, we would also like to offer you {offer}."
    ),
    ("ask_details", "id"): (
        "Halo Kak {buyer_name}, terima kasih sudah berbelanja di {shop_name} dan sudah "
        "meluangkan waktu untuk menulis ulasan.\n\n"
        "Kami ingin memahami kendalanya dengan {product} supaya bisa membantu. "
        "Boleh Kakak ceritakan lebih detail atau kirimkan fotonya lewat chat toko? "
        "Kami akan segera menindaklanjutinya. Terima kasih atas kesabarannya, Kak."
    ),
    ("ask_details", "en"): (
        "Hi {buyer_name}, thank you for shopping at {shop_name} and for taking the time to "
        "write a review.\n\n"
        "We would like to understand what went wrong with {product} so we can help. "
        "Could you tell us a little more, or send a photo in the shop chat? "
        "We will follow up right away. Thank you for your patience."
    ),
}

# {offer} wording per shop setting and language; {amount} and {code} come from the settings.
OFFER_TEXTS: dict[str, dict[str, str]] = {
    "voucher": {
        "id": "voucher belanja {amount} untuk pesanan berikutnya",
        "en": "a {amount} voucher for your next order",
    },
    "voucher_code": {
        "id": "voucher belanja {amount} (kode {code}) untuk pesanan berikutnya",
        "en": "a {amount} voucher (code {code}) for your next order",
    },
    "free_shipping": {
        "id": "gratis ongkir untuk pesanan berikutnya",
        "en": "free shipping on your next order",
    },
    "exchange": {
        "id": "penukaran barang tanpa biaya bila Kakak membutuhkannya",
        "en": "a free exchange if you need one",
    },
}
