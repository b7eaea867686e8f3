"""The stock-answer and playbook texts every shop starts with, per situation and language.

Copied into a shop's MessageTemplate rows on first use (``stock_templates_ensure``). Each
sentence that needs a fact the product or order may lack (restock date, substitute) stands alone
so it is left out cleanly. Every text must read "ok" to the tone guard
(tests/stock/test_templates.py).
"""

from __future__ import annotations

DEFAULT_TEMPLATES: dict[tuple[str, str], str] = {
    ("in_stock", "id"): (
        "Halo Kak {buyer_name}, {product} ready ya. Stoknya masih ada {stock} pcs, "
        "harganya {price}."
    ),
    ("in_stock", "en"): ("Hi {buyer_name}, {product} is in stock: {stock} left, at {price}."),
    ("variants", "id"): (
        "Pilihan yang ready: {variants}.\nYang sedang kosong: {sold_out_variants}."
    ),
    ("variants", "en"): (
        "Available options: {variants}.\nCurrently sold out: {sold_out_variants}."
    ),
    ("sold_out", "id"): (
        "Halo Kak {buyer_name}, terima kasih sudah bertanya. Mohon maaf, {product} sedang "
        "kosong. Perkiraan restok sekitar {restock_date}."
    ),
    ("sold_out", "en"): (
        "Hi {buyer_name}, thank you for asking. We are sorry, {product} is sold out at the "
        "moment. We expect new stock around {restock_date}."
    ),
    ("alternatives", "id"): (
        "Sebagai pilihan lain yang ready, mungkin Kakak suka:\n{alternatives}"
    ),
    ("alternatives", "en"): ("If you like, these similar items are in stock:\n{alternatives}"),
    ("waitlist_offer", "id"): (
        "Kalau Kakak mau, kami bisa kabari begitu {product} ready lagi. "
        "Cukup balas chat ini ya, Kak."
    ),
    ("waitlist_offer", "en"): (
        "If you like, we can let you know as soon as {product} is back. Just reply to this message."
    ),
    ("apologise", "id"): (
        "Halo Kak {buyer_name}, sebelumnya kami mohon maaf. Pesanan #{order_id} ({product}) "
        "belum bisa kami kirim karena {reason}. Kami menyesal sudah membuat Kakak menunggu."
    ),
    ("apologise", "en"): (
        "Hi {buyer_name}, first of all, we are sorry. We cannot send order #{order_id} "
        "({product}) because {reason}. We regret keeping you waiting."
    ),
    ("substitute", "id"): (
        "Sebagai gantinya, kami bisa kirimkan {substitute} dengan harga yang sama, "
        "{substitute_price}. Kalau Kakak setuju, kami proses hari ini juga."
    ),
    ("substitute", "en"): (
        "Instead, we could send you {substitute} at the same price, {substitute_price}. "
        "If that suits you, we will ship it today."
    ),
    ("ask_buyer_cancel", "id"): (
        "Kalau Kakak lebih memilih membatalkan, boleh dibantu ajukan pembatalan dari aplikasi "
        "{marketplace} ya, Kak. Dananya kembali utuh dan prosesnya lebih cepat."
    ),
    ("ask_buyer_cancel", "en"): (
        "If you would rather cancel, could you please request the cancellation in the "
        "{marketplace} app? You get your money back in full, and it is quicker that way."
    ),
    ("marketplace_support", "id"): (
        "Halo tim {marketplace}, kami dari {shop_name}. Pesanan #{order_id} ({product}) tidak "
        "bisa kami kirim karena {reason}. Mohon bantuannya untuk membatalkan pesanan ini dan "
        "mengembalikan dana pembeli. Terima kasih."
    ),
    ("marketplace_support", "en"): (
        "Hello {marketplace} support, this is {shop_name}. We cannot send order #{order_id} "
        "({product}) because {reason}. Could you please help us cancel it and refund the "
        "buyer? Thank you."
    ),
    ("refund", "id"): (
        "Dana Kakak kami kembalikan penuh, {refund_amount}, termasuk ongkos kirim. "
        "Sekali lagi mohon maaf atas ketidaknyamanannya, Kak."
    ),
    ("refund", "en"): (
        "We will refund you in full, {refund_amount}, shipping included. "
        "Again, we are sorry for the trouble."
    ),
}

# The words for {reason} in the playbook, per cancellation reason and language.
REASON_WORDS: dict[tuple[str, str], str] = {
    ("out_of_stock", "id"): "stoknya ternyata habis",
    ("out_of_stock", "en"): "the item turned out to be out of stock",
    ("buyer_request", "id"): "ada permintaan pembatalan",
    ("buyer_request", "en"): "a cancellation was requested",
    ("address_problem", "id"): "alamat pengirimannya belum bisa dijangkau kurir",
    ("address_problem", "en"): "the courier cannot reach the delivery address",
    ("other", "id"): "ada kendala di pihak kami",
    ("other", "en"): "of a problem on our side",
}
