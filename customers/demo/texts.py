"""Review, chat and note texts for the demo, composed from phrase pools.

Reviews are built from an opener, one or two body fragments, sometimes a service remark and a
closer, in a casual register ("bgt", "kak", emoji) or a formal one, with a few in English. The
kind of a review decides which pools it may draw from, so a 4-star "late courier only" review
never complains about the product and a 5-star review never complains at all.
"""

from __future__ import annotations

import random
import re

# Kinds of review the seeder asks for.
PRAISE = "praise"
PRAISE_NIT = "praise_nit"  # 4 stars, a small remark about the product (not the courier)
LATE_ONLY = "late_only"  # 4 stars: product fine, the courier was late (orders really late)
LATE_ANGRY = "late_angry"
DAMAGED = "damaged"
WRONG_SIZE = "wrong_size"
WRONG_ITEM = "wrong_item"
QUALITY = "quality"
EMPTY = "empty"

COMPLAINT_KINDS = (DAMAGED, WRONG_SIZE, WRONG_ITEM, QUALITY)

# fmt: off
_OPENERS_CASUAL = [
    "Alhamdulillah udah sampai", "Mantul kak", "Suka bangett", "Barangnya bagus", "Sesuai foto",
    "Ga nyesel beli di sini", "Repeat order lagi", "Udah langganan di sini", "Wah cakep",
    "Paket sudah diterima", "Akhirnya nyampe juga", "Seneng banget", "Cuss order lagi",
    "Kualitas oke punya", "Bagus bgt kak", "Real pict",
]
_OPENERS_FORMAL = [
    "Terima kasih, pesanan sudah saya terima dengan baik",
    "Barang sudah diterima dalam kondisi baik",
    "Pesanan sampai dengan selamat",
    "Produk sesuai dengan deskripsi",
    "Pembelian kedua di toko ini",
]
_PRODUCT_PRAISE_CASUAL = [
    "{noun}nya adem dan jatuh", "bahannya lembut, ga nerawang", "warnanya cantik sesuai foto",
    "jahitannya rapi", "dipakai seharian tetep nyaman", "warna {colour}nya kalem, cocok buat ngantor",
    "harga segini kualitasnya juara", "bahannya tebel tapi ga panas", "mudah dibentuk, ga licin",
    "dipake buat kondangan dipuji temen", "ga bau sama sekali pas dibuka",
]
_PRODUCT_PRAISE_FORMAL = [
    "kualitas bahan sangat baik", "warna sesuai dengan foto", "jahitan rapi dan kuat",
    "bahan nyaman dipakai seharian", "sesuai dengan harga", "model sesuai ekspektasi saya",
]
_SIZED_PRAISE = [
    "ukurannya pas di badan", "size chart-nya akurat", "panjangnya pas, ga ngelantai",
    "busui friendly beneran", "ukuran L pas buat BB 60",
]
_SERVICE_PRAISE = [
    "packing rapi pakai bubble wrap", "pengiriman cepat", "seller ramah dan fast respon",
    "dikasih bonus ciput, makasih kak", "admin sabar jawab pertanyaan", "dikirim hari itu juga",
    "kurirnya ramah", "packingnya aman banget",
]
# A late order's happy review does not praise the speed.
_SERVICE_PRAISE_NOT_SPEED = [
    "packing rapi pakai bubble wrap", "seller ramah dan fast respon",
    "dikasih bonus ciput, makasih kak", "admin sabar jawab pertanyaan", "packingnya aman banget",
]
_CLOSERS_CASUAL = [
    "Recommended seller!", "Bakal order lagi", "Makasih kak 🙏", "Sukses terus tokonya",
    "Next beli warna lain", "Pokoknya puas", "Love it ❤️", "Top markotop 👍", "Mantap jiwa",
    "Recommended pokoknya", "Bakal jadi langganan",
]
_CLOSERS_FORMAL = [
    "Sangat direkomendasikan.", "Terima kasih.", "Semoga sukses selalu.",
    "Akan berbelanja kembali.", "Penjual terpercaya.",
]
_NITS = [
    "warnanya agak beda dikit sama foto", "agak kusut pas dibuka, tinggal disetrika",
    "bahannya sedikit lebih tipis dari bayangan", "ada benang sisa dikit",
    "wanginya agak menyengat, dicuci dulu aman", "ukurannya sedikit kebesaran tapi masih oke",
]
_LATE_CASUAL = [
    "cuma kurirnya lama banget, telat {days} hari",
    "sayang pengirimannya lambat, telat {days} hari dari estimasi",
    "tapi {courier} lama bgt, paket nyangkut di gudang {days} hari",
    "minus di ekspedisi aja, molor {days} hari dari estimasi",
    "cuma kurirnya lelet, nyampe {days} hari lewat dari estimasi",
    "pengirimannya aja yang lama, telat {days} hari",
]
_LATE_FORMAL = [
    "Namun pengiriman terlambat {days} hari dari estimasi.",
    "Sayangnya paket tiba {days} hari lebih lambat dari jadwal.",
    "Hanya saja ekspedisi {courier} terlambat {days} hari.",
]
_LATE_TAIL = [
    "Bintang kurang satu buat kurirnya ya, bukan buat seller.",
    "Sellernya sih oke.", "Bukan salah seller kok.", "Barangnya tetep juara.",
    "Semoga next ekspedisinya lebih cepat.", "",
]
_LATE_ANGRY = [
    "Pengiriman lama banget, telat {days} hari, padahal buat dipakai acara.",
    "Estimasi sampai udah lewat {days} hari baru datang. Kecewa sama pengirimannya.",
    "Paket muter-muter di gudang {courier}, telat {days} hari. Chat admin juga lama balesnya.",
    "Telat {days} hari, hampir aja batal. Barangnya lumayan lah.",
]
_DAMAGED = [
    "Paket penyok dan {noun}nya kotor kena noda",
    "Plastiknya sobek, {noun}nya ada yang bolong",
    "Bros patah pas sampai", "Box-nya penyok parah, isinya lecek",
    "Ada noda kuning di bagian depan", "Kemasannya basah, kayaknya kehujanan di jalan",
]
_WRONG_SIZE = [
    "Pesan ukuran L yang datang M, kekecilan",
    "Ukurannya gak sesuai size chart, kebesaran banget",
    "Lingkar dada kekecilan padahal udah ikut size chart",
    "Panjangnya kurang, jadi cingkrang",
    "Size XL rasa L, kecewa",
]
_WRONG_ITEM = [
    "Pesan warna {colour} yang dikirim warna lain",
    "Barang yang datang beda sama yang dipesan",
    "Kurang 1 pcs, pesan 2 cuma datang 1",
    "Yang dikirim model lain, bukan {short}",
    "Salah kirim warna, udah chat admin belum dibalas",
]
_QUALITY = [
    "Bahannya tipis dan nerawang, beda sama foto",
    "Jahitan lepas di bagian lengan", "Luntur pas dicuci pertama kali",
    "Bahannya panas dan gampang kusut", "Ada bagian yang bolong kecil",
    "Warnanya pudar, kayak barang lama",
]
_NEGATIVE_TAILS = [
    "Kecewa.", "Tolong diperbaiki QC-nya.", "Sudah chat admin tapi belum dibalas.",
    "Mohon solusinya kak.", "Ga lagi-lagi deh.", "Minta retur ya kak.",
    "Semoga ke depan lebih teliti.", "Mohon ditindaklanjuti.", "",
]
_ENGLISH = {
    PRAISE: [
        "Love it! Exactly like the pictures, soft fabric and neat packaging.",
        "Great quality for the price, fast shipping. Will order again.",
        "Beautiful colour and very comfortable. Thank you!",
    ],
    PRAISE_NIT: ["Nice product, the colour is slightly different from the photo but still pretty."],
    LATE_ONLY: [
        "Product is great, exactly like the photos, but the courier was {days} days late.",
        "Good quality and well packed. Only the delivery took {days} days longer than promised.",
    ],
    LATE_ANGRY: ["Delivery was {days} days late and nobody answered my chat. Product is ok."],
    DAMAGED: ["The package arrived damaged and the {noun} has a stain. Disappointed."],
    WRONG_SIZE: ["Wrong size: I ordered L and received M. Please exchange."],
    WRONG_ITEM: ["I received a different colour from what I ordered."],
    QUALITY: ["The fabric is thin and see-through, not like the pictures."],
}
_EMOJI = ["😍", "🥰", "👍", "✨", "🙏", "❤️", "💕", ""]
_NEG_EMOJI = ["😞", "😡", "🙁", "😤", ""]
# fmt: on

_NOUNS = {
    "Hijab Segi Empat": "hijab",
    "Pashmina": "pashmina",
    "Hijab Instan": "bergo",
    "Gamis": "gamis",
    "Tunik": "tunik",
    "Outer": "outer",
    "Setelan": "setelan",
    "Bawahan": "bahan",
    "Mukena": "mukena",
    "Aksesoris": "barang",
    "Tas": "tas",
    "Paket Hadiah": "hampers",
}


def _casualise(rng: random.Random, text: str) -> str:
    """The way people really type reviews: abbreviations, lower case, doubled letters."""
    for formal, casual in (
        ("banget", "bgt"),
        ("sudah", "udah"),
        ("tidak", "gak"),
        ("yang", "yg"),
        ("terima kasih", "makasih"),
    ):
        if rng.random() < 0.35:
            # Whole words only: "sayang" and "nyangkut" keep their "yang".
            text = re.sub(rf"\b{formal}\b", casual, text)
    if rng.random() < 0.25:
        text = text.lower()
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?🙏👍❤️" else text + "."


def review_text(
    rng: random.Random,
    *,
    kind: str,
    product_name: str,
    category: str,
    colour: str = "",
    sized: bool = False,
    delay_days: int = 0,
    courier: str = "",
) -> str:
    """One review text of the given kind; ``delay_days`` is the real lateness of the order."""
    if kind == EMPTY:
        return ""
    noun = _NOUNS.get(category, "barang")
    values = {
        "noun": noun,
        "colour": colour or rng.choice(["mocca", "hitam", "navy", "sage"]),
        "days": delay_days,
        "courier": courier or "ekspedisinya",
        "short": product_name.split(" - ")[0],
    }
    if rng.random() < 0.05 and kind in _ENGLISH:
        return rng.choice(_ENGLISH[kind]).format(**values)

    formal = rng.random() < 0.3
    parts: list[str] = []
    if kind in (PRAISE, PRAISE_NIT, LATE_ONLY):
        if rng.random() < 0.8:
            parts.append(rng.choice(_OPENERS_FORMAL if formal else _OPENERS_CASUAL))
        pool = _PRODUCT_PRAISE_FORMAL if formal else _PRODUCT_PRAISE_CASUAL
        praise = rng.sample(pool, k=rng.choice([1, 1, 2]))
        if sized and rng.random() < 0.5:
            praise.append(rng.choice(_SIZED_PRAISE))
        body = ", ".join(praise)
        if kind == PRAISE_NIT:
            body += f", cuma {rng.choice(_NITS)}"
        if kind == LATE_ONLY:
            if formal:
                parts.append(body)
                parts.append(rng.choice(_LATE_FORMAL))
            else:
                parts.append(f"{body}, {rng.choice(_LATE_CASUAL)}")
            parts.append(rng.choice(_LATE_TAIL))
        else:
            parts.append(body)
            if kind == PRAISE and rng.random() < 0.6:
                service = _SERVICE_PRAISE if not delay_days else _SERVICE_PRAISE_NOT_SPEED
                parts.append(rng.choice(service))
            parts.append(rng.choice(_CLOSERS_FORMAL if formal else _CLOSERS_CASUAL))
        emoji = rng.choice(_EMOJI) if not formal else ""
    else:
        pool = {
            LATE_ANGRY: _LATE_ANGRY,
            DAMAGED: _DAMAGED,
            WRONG_SIZE: _WRONG_SIZE,
            WRONG_ITEM: _WRONG_ITEM,
            QUALITY: _QUALITY,
        }[kind]
        parts.append(rng.choice(pool))
        if rng.random() < 0.3 and kind != LATE_ANGRY:
            parts.append(rng.choice(_QUALITY if kind != QUALITY else _DAMAGED))
        parts.append(rng.choice(_NEGATIVE_TAILS))
        emoji = rng.choice(_NEG_EMOJI) if not formal else ""
    text = " ".join(_sentence(part.format(**values)) for part in parts if part)
    if not formal:
        text = _casualise(rng, text)
    return f"{text} {emoji}".strip()


# fmt: off
_CHAT_LATE = [
    "Kak, paket saya kok belum sampai ya? Resi {tracking}",
    "Min, estimasinya kemarin tapi belum datang juga 🙏",
    "Kak tolong dicek dong, di tracking {courier} masih di gudang",
    "Permisi kak, pesanan saya sudah lewat estimasi. Mohon info.",
]
_CHAT_RETURN = [
    "Kak, mau retur, ukurannya kekecilan. Gimana caranya?",
    "Kak barangnya cacat, bisa tukar?",
    "Kak yang dikirim salah warna, mohon dibantu tukar ya",
]
_CHAT_BEFORE = [
    "Kak, {short} ready warna lain?", "Bisa COD gak kak?",
    "Kak bisa kirim hari ini? Mau dipakai kondangan Sabtu",
    "Kak, ada size chart-nya? Tinggi 158 BB 55 cocok ukuran apa?",
    "Kak, beli 3 bisa dapat harga grosir?", "Kak, bisa dibungkus kado sekalian?",
]
_NOTES_BUYER = [
    "Langganan, suka warna-warna pastel.",
    "Reseller dari Garut, biasanya ambil 1 kodi pashmina.",
    "Minta paket dibungkus rapi, sering buat kado.",
    "Pernah komplain ukuran: kirim size chart sebelum checkout.",
    "Alamat kantor, kirim hanya hari kerja.",
    "Dropshipper, jangan cantumkan nama toko di paket.",
    "Suka tanya stok lewat WA dulu sebelum checkout di Shopee.",
    "Pelanggan lama dari Instagram, tanggal lahir dicatat untuk ucapan.",
]
_NOTES_ORDER = [
    "Minta dikirim pakai bubble wrap tebal.",
    "Bonus ciput diselipkan, pelanggan lama.",
    "Alamat diganti lewat chat sebelum dikirim.",
    "Ganti ekspedisi atas permintaan pembeli.",
]
_CALLS = [
    "Telepon: konfirmasi alamat, patokan dekat masjid.",
    "Telepon dari kurir: rumah kosong, paket dititip tetangga.",
    "Telepon: pembeli tanya kapan restock.",
]
_REPLIES_BUYER_NOTE = [
    "Sudah dijelaskan cara retur, pembeli kirim balik lewat {courier}.",
    "Dikirim ulang barang pengganti, ongkir ditanggung toko.",
]
# fmt: on


def chat_late(rng: random.Random, *, tracking: str, courier: str) -> str:
    return rng.choice(_CHAT_LATE).format(tracking=tracking, courier=courier)


def chat_return(rng: random.Random) -> str:
    return rng.choice(_CHAT_RETURN)


def chat_before(rng: random.Random, *, product_name: str) -> str:
    return rng.choice(_CHAT_BEFORE).format(short=product_name.split(" - ")[0])


def note_buyer(rng: random.Random) -> str:
    return rng.choice(_NOTES_BUYER)


def note_order(rng: random.Random) -> str:
    return rng.choice(_NOTES_ORDER)


def call_note(rng: random.Random) -> str:
    return rng.choice(_CALLS)


def return_note(rng: random.Random, *, courier: str) -> str:
    return rng.choice(_REPLIES_BUYER_NOTE).format(courier=courier)


# fmt: off
_REPLY_THANKS = [
    "Terima kasih banyak kak {name} sudah belanja di {shop}. Ditunggu order berikutnya ya 🙏",
    "Makasih kak {name}, senang sekali kakak suka. Sehat selalu ya kak!",
    "Alhamdulillah, terima kasih ulasannya kak {name}. Semoga berkah dipakainya.",
]
_REPLY_SORRY = [
    "Mohon maaf atas ketidaknyamanannya kak {name}. Admin sudah hubungi kakak lewat chat untuk solusinya ya.",
    "Maaf sekali kak {name}, kami akan cek ke tim packing. Silakan chat kami untuk tukar barang ya kak.",
]
# fmt: on


def reply_text(rng: random.Random, *, positive: bool, name: str, shop: str) -> str:
    pool = _REPLY_THANKS if positive else _REPLY_SORRY
    return rng.choice(pool).format(name=name.split()[0], shop=shop)
