"""Review triage: what a buyer's review is about, how it feels, and what the seller should do.

A pure function (no database), so the same rule serves the signal on creation, the bulk import,
the `triage_reviews` command and the evaluation:

    triage(rating=4, text="Bagus tapi kurirnya lama", delay_days=3)

Topics are the problems a review raises (praise adds none). The order's facts count when the
text is silent: an order delivered after its promised date is a delivery-delay case whatever the
stars say. Text is normalised first (slang, repeated letters, leetspeak) by crm.tone.normalize.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from crm.tone.dispatch import Dispatcher
from crm.tone.normalize import add_known_words, normalize

TOPICS = (
    "delivery_delay",
    "courier_service",
    "product_quality",
    "damaged",
    "wrong_item",
    "missing_item",
    "packaging",
    "size_fit",
    "stock",
    "seller_response",
    "price",
    "other",
)
SENTIMENTS = ("positive", "neutral", "negative")
ACTIONS = ("thank", "apology_explain", "delay_explanation", "replace_or_refund", "ask_details")

SFX = "(?:-?(?:nya|in|kan|an|lah))?"
G2 = "(?:[^ .,!?;]+ ){0,2}"  # up to two words, inside one clause
G3 = "(?:[^ .,!?;]+ ){0,3}"
NUM = r"(?:\d+|se|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|beberapa|berapa|one|two|three|four|five|six|several|a few)"

SLOW = (
    "telat|terlambat|keterlambatan|lambat|kelambatan|lama|kelamaan|lelet|ngaret|molor|delay|"
    "delayed|late|slow|slowly|lama sekali|lambat sekali"
)
SLOW_WORDS = frozenset(SLOW.split("|")) | {"ngaret"}
PACK_NOUN = (
    "packing|packingan|packaging|kemasan|pengemasan|bungkus|bungkusan|pembungkus|kardus|dus|box|"
    "karton|plastik|bubble wrap|bubble|bubblewrap|wrapping|envelope|amplop|the box|the package|"
    "the packaging|packaging was|segel"
)
PACK_BAD = (
    "bekas|jelek|asal|asal-asalan|seadanya|tipis|kurang|tidak aman|kurang aman|rusak|penyok|peyok|sobek|"
    "robek|basah|hancur|ringkih|minim|cuma|hanya|doang|tidak rapi|kurang rapi|berantakan|terbuka|"
    "tidak disegel|poor|thin|flimsy|crushed|damaged|torn|wet|cheap|ripped|opened|just|only|bad|"
    "gepeng|remuk|lecek"
)
PACK_ABSENT = (
    "tanpa|tidak pakai|tidak dikasih|tidak diberi|tidak ada|tidak di|tidak pake|no|without|"
    "didn't use|did not use|not even"
)
DAMAGE = (
    "rusak|pecah|retak|penyok|peyok|remuk|hancur|gepeng|sobek|robek|bocor|tumpah|patah|lecet|"
    "tergores|goresan|gores|baret|cacat|gompal|bengkok|somplak|dent|dented|cracked|crack|broken|"
    "shattered|smashed|crushed|leaked|leaking|torn|ripped|scratched|scratch|scratches|damaged|bent|"
    "dents|busuk|basi|berjamur|kempes"
)
QUALITY_OBJ = "gambar|foto|deskripsi|ekspektasi|harapan|iklan|keterangan|spesifikasi|spek|display|judul|katalog|video"
ORDER_OBJ = "pesanan|orderan|order|yang dipesan|yang saya pesan|pilihan|yang diorder|checkout"
ACCESSORY = (
    "bonus|hadiah|aksesoris|charger|kabel|adaptor|baterai|free gift|freebie|sparepart|tutup|"
    "remote|buku manual|manual|sendok|sedotan|tali|strap|baut|sekrup|stiker|cable|battery|"
    "screws|gift|accessories|lid|case"
)
COUNTED = "isi|item|barang|pcs|unit|biji|buah|botol|lusin|pasang"
ITEM_WORD = (
    "bonus|hadiah|aksesoris|charger|kabel|adaptor|baterai|free gift|freebie|sparepart|tutup|"
    "remote|buku manual|manual|sendok|sedotan|tali|strap|baut|sekrup|stiker|isi|item|barang|"
    "pcs|unit|biji|buah|botol|lusin|pasang"
)
RESP_NOUN = (
    "respon|respons|response|balasan|balas|chat|chatnya|admin|seller|penjual|cs|customer service|"
    "pelayanan|service|komplain|keluhan|pesan saya|pertanyaan"
)
SHIP_VERBS = (
    "kirim|mengirim|ngirim|dikirim|proses|diproses|memproses|packing|kemas|dikemas|ship|send|"
    "dispatch|process|pack|deliver"
)
RESP_BAD = (
    f"(?:lama|lambat|lelet|slow)(?! (?:to |dalam |buat |untuk )?(?:{SHIP_VERBS}))|tidak dibalas|tidak direspon|tidak ditanggapi|tidak ditanggepin|"
    "tidak dijawab|tidak ada respon|tidak ada balasan|tidak responsif|kurang responsif|tidak ramah|"
    "kurang ramah|jutek|judes|ketus|cuek|kasar|galak|diabaikan|dicuekin|tidak dibaca|tidak digubris|"
    "susah dihubungi|sulit dihubungi|tidak bisa dihubungi|buruk|jelek|mengecewakan|tidak membantu|"
    "rude|unhelpful|unresponsive|ignored"
)


@dataclass(frozen=True, slots=True)
class TopicRule:
    topic: str
    pattern: str
    negatable: bool = True
    safe: bool = False


TOPIC_RULES: list[TopicRule] = [
    # Praise and negated complaints consumed first.
    TopicRule(
        "safe",
        f"(?:tidak|bukan|belum pernah|never|not|no|tanpa) (?:ada )?(?:yang )?(?:{SLOW}|{DAMAGE}|kurang|masalah|problem|issues?|complaints?|cacat|kecewa)",
        safe=True,
    ),
    TopicRule("safe", "tidak (?:pakai|pake|perlu|usah) (?:lama|menunggu|nunggu)", safe=True),
    TopicRule(
        "safe",
        f"(?:tidak sampai|kurang dari|less than|under|within) {NUM} ?(?:hari|minggu|jam|days?|weeks?|hours?)",
        safe=True,
    ),
    TopicRule(
        "safe",
        "(?:sudah|udah|dari) lama (?:pakai|langganan|jadi pelanggan|beli|belanja|order|cari|mencari|incar|ngincer|pengen|ingin|mau)|(?:langganan|pelanggan) lama|lama (?:pakai|dipakai|awet|tahan)|tahan lama|awet",
        safe=True,
    ),
    TopicRule(
        "safe",
        "(?:fast|quick|cepat|cepet) (?:respon|response|respons|reply|delivery|shipping|pengiriman|sampai|datang)",
        safe=True,
    ),
    TopicRule(
        "safe", "(?:murah|cheap) (?:tapi|but) (?:<G2>)?(?:tidak|not) (?:murahan|cheap)", safe=True
    ),
    # Stock (before delay: "nunggu restock lama" is a stock problem).
    TopicRule(
        "stock",
        f"(?:stok|stock|persediaan)(?:nya)? {G2}(?:habis|kosong|tidak ada|tidak tersedia|abis|ternyata kosong)",
        negatable=False,
    ),
    TopicRule(
        "stock",
        "(?:restock|restok|pre-order|preorder|pre order|out of stock|sold out|backorder|back order|no stock|not in stock|ternyata (?:kosong|habis)|(?:katanya|tulisannya|bilangnya|dibilang|tertulis|statusnya|keterangannya) (?:stok )?(?:ready|tersedia|ada)|ready (?:stock|stok) (?:tapi|padahal|ternyata)|dibatalkan sepihak|dibatalin sepihak|cancel sepihak|cancel(?:led|ed|s)? (?:my |the )?order|order (?:was |got )?cancel(?:led|ed)|(?:pesanan|orderan) (?:saya |aku |kami )?(?:dibatalkan|dibatalin|dicancel|di-cancel))",
    ),
    TopicRule(
        "stock",
        f"(?:kosong|habis) (?:padahal|tapi|namun) {G2}(?:ready|tersedia|masih dijual|masih ada|ada)",
    ),
    TopicRule(
        "stock",
        f"(?:warna|ukuran|varian|size|model|motif|tipe|colour|color)(?:nya)? {G3}(?:kosong|habis|tidak ada stok|tidak tersedia|out of stock|sold out)",
        negatable=False,
    ),
    # Seller response.
    TopicRule(
        "seller_response",
        f"ditanya {G2}(?:tidak|malah|belum|tidak pernah) (?:jawab|dijawab|dibalas|balas|direspon|respon|marah|ketus)|took (?:days|ages|forever|so long|a week|{NUM} days) to (?:reply|respond|answer|get back)|(?:reply|replies|response|responses|answer) (?:was |were |is |are )?(?:slow|late|rude)",
        negatable=False,
    ),
    TopicRule("seller_response", f"(?:{RESP_NOUN}){SFX} {G3}(?:{RESP_BAD})"),
    TopicRule(
        "seller_response",
        "(?:slow|lama|lambat) (?:respon|response|respons|reply|balas|balasnya|dibalas|membalas|jawab|dijawab)|(?:never|didn't|did not|doesn't|does not|won't|never once) (?:reply|replied|respond|responded|answer|answered|get back)|(?:no|zero) (?:reply|response|answer)|unresponsive|ignored (?:my|me|all)|(?:rude|unhelpful|unfriendly|slow|terrible|bad) (?:seller|customer service|cs|staff|support|admin|service)|tidak (?:ditanggapi|ditanggepin|direspon|dibalas|dijawab|digubris|dibaca)|(?:seller|penjual|admin|toko) (?:tidak|kurang) (?:responsif|respon|ramah|membalas|balas|jawab|menanggapi)",
        negatable=False,
    ),
    # Courier behaviour.
    TopicRule(
        "courier_service",
        "nyasar|tersesat|salah antar|diantar ke (?:alamat|rumah) (?:lain|orang)|dikirim ke alamat lain|misdelivered|wrong address|delivered to the wrong|dropped at the wrong",
        negatable=False,
    ),
    TopicRule(
        "courier_service",
        f"(?:kurir|courier|driver|delivery guy|delivery man|abang kurir|ekspedisi)(?:nya)? {G3}(?:kasar|jutek|judes|galak|marah|marah-marah|tidak ramah|ketus|bohong|menipu|nipu|malas|kurang ramah|kurang sopan|tidak bertanggung jawab|kurang teliti|males|lempar|melempar|ngaku|mengaku|minta|meminta|tarik|narik|tidak mau|tidak sopan|ngasal|asal|seenaknya|tidak profesional|was rude|rude|threw|left|lied|refused|careless|salah alamat|nyasar|tersesat)",
        negatable=False,
    ),
    TopicRule(
        "courier_service", f"(?:kurir|courier)(?:nya)? {G2}(?:{SLOW}|ngaret)", negatable=False
    ),
    TopicRule(
        "courier_service",
        "(?:paket|barang|parcel|package)(?:nya)? (?:di)?(?:lempar|lemparkan|dilempar|dibanting|ditinggal|ditaruh|taruh|dilemparkan)|(?:dilempar|dibanting) (?:kurir|ke)|threw the (?:parcel|package|box)|thrown over|over the fence|status (?:sudah )?(?:diterima|terkirim|delivered|sampai|selesai) (?:tapi|padahal|namun)|(?:ongkos|biaya|uang) tambahan|minta ongkir|marked (?:as )?delivered but|claimed (?:he|she|they|it) (?:had )?(?:delivered|was delivered)|(?:driver|courier) (?:<G2>)?(?:lied|never came|never showed|never turned up)|ngaku (?:sudah|udah) (?:nganter|antar|mengantar|dikirim)",
        negatable=False,
    ),
    # Delivery delay.
    TopicRule(
        "delivery_delay",
        f"(?:makan|memakan|butuh|membutuhkan|perlu) waktu (?:{NUM} ?(?:hari|minggu|bulan)|lama|berhari-hari|seminggu|sebulan)|(?:belum|tidak) ada (?:kabar|update|info|informasi|resi|nomor resi|tracking|pergerakan)|no (?:tracking|updates?|shipping updates?)|(?:lama|lambat|lelet|slow) (?:to |dalam |buat |untuk )?(?:{SHIP_VERBS})",
        negatable=False,
    ),
    TopicRule(
        "delivery_delay",
        f"never (?:showed up|came|turned up|arrived|got here|delivered)|(?:didn't|did not) (?:show up|turn up)|{NUM} (?:days?|weeks?) late|(?:masih|still) (?:dikemas|diproses|dalam proses|processing|pending|in transit|not shipped|belum dikirim|menunggu pickup|menunggu kurir)|status (?:masih )?(?:dikemas|diproses|belum dikirim|menunggu pickup|menunggu dikirim)",
        negatable=False,
    ),
    TopicRule(
        "delivery_delay",
        "(?:belum|tidak|blm) (?:juga )?(?:sampai|datang|diterima|tiba|dikirim|diproses|arrive|arrived|nyampe)(?:-[a-z]+)?(?: juga)?",
        negatable=False,
    ),
    TopicRule(
        "delivery_delay",
        f"(?:menunggu|nunggu|tunggu|waited|waiting|wait) (?:<G2>)?(?:lama|berhari-hari|berminggu-minggu|seminggu|sebulan|{NUM} ?(?:hari|minggu|bulan|days|weeks|months)|forever|ages|so long)",
    ),
    TopicRule(
        "delivery_delay",
        f"{NUM} ?(?:hari|minggu|bulan) (?:baru|just) (?:sampai|datang|tiba|diterima|dikirim)|(?:hampir|almost|nearly|over|lebih dari|more than) {NUM} ?(?:minggu|bulan|weeks?|months?)|took (?:forever|ages|so long|too long|{NUM} (?:days|weeks|months)|almost {NUM} weeks|over a week|a month)|(?:weeks|months) to (?:arrive|ship|come)|(?:still )?(?:hasn't|has not|haven't|have not|never|didn't|did not) (?:yet )?(?:arrived|arrive|come|been delivered|been shipped|shipped)|still (?:not|hasn't) (?:arrived|here|delivered)|arrived late",
    ),
    TopicRule("delivery_delay", f"(?:{SLOW}){SFX}"),
    # Packaging before damage: "kardusnya penyok" is a packaging problem.
    TopicRule("packaging", f"(?:{PACK_NOUN}){SFX} {G3}(?:{PACK_BAD})", negatable=False),
    TopicRule("packaging", f"(?:{PACK_ABSENT}) {G2}(?:{PACK_NOUN}){SFX}", negatable=False),
    TopicRule(
        "packaging",
        "(?:packing|kemasan|packaging|bungkus)(?:nya)? (?:asal|asal-asalan|seadanya|jelek|buruk|minim|kurang)",
    ),
    # Size and fit.
    TopicRule(
        "size_fit", "ke(?:kecil|besar|sempit|panjang|pendek|longgar|gede|ketat|lebar)an|kegedean"
    ),
    TopicRule(
        "size_fit",
        f"(?:ukuran|size|sizenya|ukurannya|size chart|sizing)(?:nya)? {G3}(?:tidak sesuai|beda|berbeda|kecil|besar|salah|tidak pas|kurang pas|tidak cocok|kurang akurat|tidak akurat|meleset|wrong|off|inaccurate|misleading|too small|too big|is small|is big|runs small|runs big)",
        negatable=False,
    ),
    TopicRule(
        "size_fit",
        "(?:terlalu|too|agak|kebanyakan) (?:kecil|besar|sempit|panjang|pendek|longgar|ketat|small|big|large|tight|loose|short|long)|(?:doesn't|does not|didn't|did not|don't|do not) fit|runs (?:small|large|big|a bit small|a bit large)|(?:order|size) (?:one )?size (?:up|down)|tidak muat|sempit|longgar",
    ),
    TopicRule(
        "size_fit",
        "(?:ukuran|size|ukurannya|sizenya) [a-z0-9]{1,4} (?:kok |malah |tapi |but )?(?:kayak|kaya|seperti|jadi|like|feels like|fits like) (?:ukuran |size )?[a-z0-9]{1,4}",
        negatable=False,
    ),
    # Wrong and missing items ("pesan 3 yang datang 2" is missing, so it goes first).
    TopicRule(
        "missing_item",
        f"(?:pesan|order|beli|memesan|ordered|bought) {NUM} (?:pcs |biji |buah |items? |unit )?(?:tapi |cuma |hanya |yang |but |only )?(?:datang|dateng|dikirim|sampai|dapat|dapet|diterima|came|arrived|received|got) {NUM}",
        negatable=False,
    ),
    TopicRule(
        "missing_item",
        f"(?:pesan|order|beli|memesan|ordered|bought) {G3}(?:cuma|hanya|only|just) (?:yang )?(?:datang|dateng|dikirim|sampai|dapat|diterima|came|arrived|received|got)",
        negatable=False,
    ),
    TopicRule(
        "missing_item",
        f"(?:pesan|order|beli|memesan|ordered|bought) {G3}(?:yang )?(?:datang|dateng|dikirim|sampai|dapat|diterima|came|arrived|received|got) (?:cuma|hanya|only|just) (?:{NUM}|[^ .,!?;]+)",
        negatable=False,
    ),
    TopicRule(
        "missing_item",
        f"(?<!bintang )(?<!bintangnya )(?<!rating )(?<!nilai )(?<!star )kurang (?:satu|1|dua|2|sebiji|item|barang|jumlah|pcs|unit|lengkap|{NUM} (?:pcs|biji|buah|item|barang))|(?:paket|box|kotak|kardus|parcel|package)(?:nya)? (?:<G2>)?(?:kosong|was empty|is empty|came empty|arrived empty)|isi(?:nya)? (?:kosong|kurang|cuma|hanya)|(?:cuma|hanya|only|just) (?:datang|dikirim|sampai|dapat|received|got) {NUM}\\b",
        negatable=False,
    ),
    TopicRule(
        "missing_item",
        f"(?:{ACCESSORY}){SFX} {G2}(?:tidak ada|hilang|tidak dikirim|tidak dapat|tidak dikasih|tidak disertakan|tidak termasuk|lupa dikirim|belum dikirim|kurang|was missing|were missing|is missing|are missing|missing)|(?:{COUNTED}){SFX} {G2}(?:tidak ada|hilang|kurang|was missing|were missing|is missing|are missing|missing)",
        negatable=False,
    ),
    TopicRule(
        "missing_item",
        f"(?:tidak ada|tidak dapat|tidak dikasih|tidak dikirim|tidak disertakan|tanpa|hilang|lupa|without|came without|arrived without) {G2}(?:{ITEM_WORD}){SFX}|missing (?:from|in|one|two|an item|items|the|a|parts?)|(?:didn't|did not|doesn't|does not) (?:include|come with)|not included|empty (?:box|parcel|package)|nothing inside|(?:paket|barang|parcel|package)(?:nya)? (?:<G2>)?(?:tidak ada|hilang|lost)",
        negatable=False,
    ),
    TopicRule(
        "wrong_item",
        f"(?:dapat|dapet|dapatnya|dapetnya|datang|datangnya|dateng|dikirim|dikirimnya|dikasih|received|got|came|arrived) {G3}(?:padahal|sedangkan|tapi|but|while|whereas) (?:saya |aku |gue |i )?(?:pesan|order|memesan|minta|pilih|ordered|asked for|chose)|mismatched|tidak sepasang|beda sebelah|not a (?:matching )?pair",
        negatable=False,
    ),
    TopicRule(
        "wrong_item",
        f"salah (?:kirim|barang|item|warna|ukuran|size|varian|model|produk|pesanan|tipe|type|motif|kode)|wrong (?:item|size|colour|color|model|product|one|variant|thing|order)|(?:received|got|sent|sent me|delivered) (?:a |the )?(?:wrong|different)|not what i ordered|bukan yang (?:saya |aku |gue )?(?:pesan|order|minta|pilih|beli)|(?:tidak sesuai|beda|berbeda|lain) (?:total |jauh |sama sekali )?(?:dari |dengan |sama )?(?:{ORDER_OBJ})|different (?:colour|color|model|size|item|product) (?:than|from) (?:what )?(?:i )?(?:ordered|pictured in my order)|than pictured in my order|(?:dikirim|dapat|datang|dikasih|dapatnya) (?:barang|item|produk|warna|ukuran|model|tipe|varian) (?:lain|berbeda|beda|yang lain)|bukan (?:pesanan|orderan) (?:saya|aku|gue|kami)|yang (?:dikirim|datang|dateng|sampai|dikasih) (?:<G3>)?(?:, )?(?:padahal |sedangkan )?(?:saya|aku|gue) (?:pesan|order|memesan|minta|pilih)",
    ),
    TopicRule(
        "wrong_item",
        f"(?:pesan|order|beli|memesan|ordered|pilih) (?:ukuran |warna |size |model |varian |tipe |motif |color |colour )?[a-z][a-z0-9-]* (?:tapi |malah |eh |but )?(?:dikirim|datang|dateng|dapat|dapet|dikasih|sent|got|received|came) (?:ukuran |warna |size |yang )?[a-z0-9-]+|(?:pesan|order|beli|memesan|ordered|pilih) {G3}(?:yang|tapi yang|tapi|malah|eh|but) (?:datang|dateng|dikirim|sampai|dapat|diterima|dikasih)(?= [^ .,!?;])",
        negatable=False,
    ),
    # Product quality.
    TopicRule(
        "product_quality",
        f"(?:tidak sesuai|tidak seperti|beda|berbeda|lain) (?:jauh |banget |sekali )?(?:dengan |dari |sama |kayak |seperti )?(?:di )?(?:{QUALITY_OBJ})|not as (?:described|pictured|advertised|shown)|(?:different|nothing like) (?:from )?(?:the )?(?:picture|photo|description|pictures|photos)",
        negatable=False,
    ),
    TopicRule(
        "product_quality",
        f"(?:kualitas|kwalitas|quality|bahan|material|jahitan|finishing|build|warna|color|colour|rasa|aroma)(?:nya)? {G3}(?:jelek|buruk|kurang|rendah|murahan|tipis|kasar|parah|tidak bagus|tidak rapi|kurang rapi|berantakan|lepas|poor|bad|cheap|terrible|awful|flimsy|thin|pudar|pucat|luntur|feels cheap|lebih gelap|lebih terang|aneh|tidak enak)",
    ),
    TopicRule(
        "product_quality",
        "(?:cepat|mudah|gampang) (?:habis|panas|drop|soak|rusak|sobek|robek|patah|mati|jebol|copot|lepas)|(?:rusak|mati|patah|jebol|broke|broken) (?:setelah|after|dalam|within|baru) |tidak (?:awet|tahan lama|berfungsi|nyala|bisa nyala|menyala|jalan|bisa dinyalakan|original|ori|bekerja|work)|bukan original|not original|not genuine|stopped working|doesn't work|does not work|not working|dead on arrival",
    ),
    TopicRule(
        "product_quality",
        "jelek|buruk|murahan|luntur|berbau|bau|menyengat|apek|kw|palsu|abal-abal|fake|counterfeit|flimsy|cheap (?:plastic|material|fabric|quality|feel)|will (?:snap|break|fall apart)|poor quality|bad quality|terrible quality|low quality|cheap quality|feels cheap|defective|faulty|melar|berbulu|tipis|kasar|error|tidak sesuai|mengelupas|berkarat|rembes",
    ),
    # Damage.
    TopicRule(
        "product_quality",
        "nerawang|menerawang|transparan|tembus pandang|see-through|smells? (?:weird|bad|strange|awful|funny|off|like)|smelly|stinks|(?:barang|produk) bekas|bekas pakai|second|refurbished|rekondisi|used (?:item|product|one)|faded|fades|shrunk|shrank|pilling|peeling|fell apart|falls apart|(?:broke|died|stopped|tore|ripped|snapped)(?: working)? (?:on day|after|within|in the first|the first|on the first)|menyusut|mengkerut|berbulu",
    ),
    TopicRule("damaged", f"(?:{DAMAGE})(?:-(?:{DAMAGE}))?{SFX}"),
    # Price.
    TopicRule(
        "price",
        f"mahal|kemahalan|overprice|overpriced|expensive|pricey|harga(?:nya)? {G2}(?:naik|tidak sesuai|beda|mahal|kemahalan|tidak masuk akal|ketinggian|tidak sebanding)|ongkir(?:nya)? {G2}(?:mahal|kemahalan)|tidak (?:worth|worth it|sebanding|sepadan)|not worth|(?:waste|wasted) (?:of )?money|buang(?:-buang)? uang|rip ?off|rugi",
    ),
    # Complaints without a specific topic.
    TopicRule(
        "other",
        f"refund(?:nya)? {G2}(?:tidak jelas|belum|tidak diproses|lama|tidak ada kabar|ditolak|dipersulit)|penipu|tipu|menipu|penipuan|scam|scammer|kapok|zonk|worst|never again|jangan beli|don't buy|do not buy|tidak recommended|not recommended|tidak rekomendasi",
    ),
]

COMPLAINT_WORDS = frozenset(
    [
        "kecewa",
        "mengecewakan",
        "menyesal",
        "parah",
        "buruk",
        "jelek",
        "kapok",
        "zonk",
        "kesal",
        "kesel",
        "marah",
        "disappointed",
        "disappointing",
        "terrible",
        "awful",
        "bad",
        "worst",
        "poor",
        "hate",
        "sad",
        "angry",
        "upset",
        "annoyed",
    ]
)
POSITIVE_WORDS = {
    **dict.fromkeys(
        [
            "bagus",
            "mantap",
            "mantul",
            "keren",
            "puas",
            "rapi",
            "rapih",
            "cepat",
            "cepet",
            "kilat",
            "sesuai",
            "recommended",
            "rekomendasi",
            "rekomen",
            "oke",
            "good",
            "great",
            "love",
            "suka",
            "senang",
            "seneng",
            "top",
            "jos",
            "awet",
            "lembut",
            "original",
            "worth",
            "murah",
            "ramah",
            "amanah",
            "nice",
            "excellent",
            "perfect",
            "amazing",
            "happy",
            "fast",
            "best",
            "pas",
            "adem",
            "nyaman",
            "aman",
            "selamat",
            "lengkap",
            "alhamdulillah",
            "enak",
            "cantik",
            "lucu",
            "wangi",
            "berfungsi",
            "sukses",
            "thanks",
            "mantab",
            "terbaik",
            "memuaskan",
            "kece",
            "jempol",
            "gercep",
            "trusted",
            "works",
            "recommend",
            "fits",
        ],
        1.0,
    ),
    "terima kasih": 1.0,
    "lumayan": 0.5,
    "cukup": 0.3,
    "ok": 0.5,
    "oke": 0.7,
}
PRAISE_RE = re.compile(
    r"\b(?:tepat waktu|on time|arrived early|came early|(?:buy|order|beli|belanja|pesan) (?:again|lagi)|"
    r"repeat order|sesuai (?:jadwal|estimasi|pesanan|deskripsi|gambar|foto|ekspektasi|harapan)|"
    r"komunikatif|as described|as pictured)\b"
)
NEGATORS = frozenset(
    ["tidak", "bukan", "tanpa", "belum", "kurang", "never", "not", "no", "nothing", "tak", "jangan"]
)
SOFTENERS = frozenset(
    ["agak", "sedikit", "dikit", "kurang", "lumayan", "slightly", "bit", "little"]
)
CONTRAST = frozenset(
    [
        "tapi",
        "tetapi",
        "namun",
        "sayang",
        "sayangnya",
        "cuma",
        "hanya",
        "but",
        "however",
        "although",
        "though",
        "sadly",
        "unfortunately",
        "padahal",
    ]
)
RATING_PRIOR = {5: 1.6, 4: 0.9, 3: -0.3, 2: -1.6, 1: -2.6}
SEVERE = frozenset({"damaged", "wrong_item", "missing_item"})
REPLACE_TOPICS = frozenset({"damaged", "wrong_item", "missing_item", "size_fit"})
DELAY_TOPICS = frozenset({"delivery_delay", "courier_service"})
RESPONSE_CONTEXT = frozenset(
    [
        "respon",
        "respons",
        "response",
        "balas",
        "balasan",
        "dibalas",
        "membalas",
        "chat",
        "admin",
        "seller",
        "penjual",
        "cs",
        "jawab",
        "dijawab",
        "reply",
        "replied",
        "answer",
        "service",
        "pelayanan",
    ]
)
SHIP_CONTEXT = frozenset(SHIP_VERBS.split("|")) | {"shipping", "pengiriman", "pengemasan"}
STOCK_CONTEXT = frozenset(
    ["restock", "restok", "stok", "stock", "pre-order", "preorder", "po", "pre", "ready"]
)
COURIER_CONTEXT = frozenset(["kurir", "kurirnya", "courier", "driver"])
USE_CONTEXT = frozenset(
    ["dipakai", "pakai", "digunakan", "dicuci", "dipake", "used", "use", "washing", "wash"]
)
PACK_CONTEXT = frozenset(
    [
        "packing",
        "packingnya",
        "kemasan",
        "kemasannya",
        "kardus",
        "kardusnya",
        "dus",
        "dusnya",
        "box",
        "boxnya",
        "bungkus",
        "bungkusnya",
        "plastik",
        "packaging",
        "envelope",
    ]
)

# One combined regex per first character (see crm/tone/dispatch.py), built once at import.
_RULES = Dispatcher(
    [
        f"(?:{rule.pattern.replace('<G2>', G2).replace('<G3>', G3)})(?![\\w'-])"
        for rule in TOPIC_RULES
    ],
    prefix="t",
)
add_known_words(
    {w for rule in TOPIC_RULES for w in re.findall(r"[a-z]{3,}(?:-[a-z]+)*", rule.pattern)}
    | set(POSITIVE_WORDS)
)


@dataclass(frozen=True, slots=True)
class Triage:
    topics: list[str] = field(default_factory=list)
    sentiment: str = "neutral"
    needs_care: bool = False
    priority: int = 0
    action: str = "thank"

    def as_dict(self) -> dict[str, object]:
        return {
            "topics": list(self.topics),
            "sentiment": self.sentiment,
            "needs_care": self.needs_care,
            "priority": self.priority,
            "action": self.action,
        }


def _clause_window(tokens: list[str], first: int, last: int, reach: int = 4) -> set[str]:
    words: set[str] = set()
    for i in range(first - 1, max(first - 1 - reach, -1), -1):
        if tokens[i] in (".", ",", "!", "?", ";") or tokens[i] in CONTRAST:
            break
        words.update(tokens[i].split())
    for i in range(last + 1, min(last + 1 + reach, len(tokens))):
        if tokens[i] in (".", ",", "!", "?", ";") or tokens[i] in CONTRAST:
            break
        words.update(tokens[i].split())
    return words


NEGATION_STOPS = frozenset(
    [
        "jadi",
        "sehingga",
        "karena",
        "terus",
        "lalu",
        "dan",
        "makanya",
        "akhirnya",
        "so",
        "and",
        "because",
        "then",
    ]
)


def _negated(tokens: list[str], index: int) -> bool:
    """A negator up to three words back, inside the clause ("gak rapet jadi bocor": no)."""
    for i in range(index - 1, max(index - 4, -1), -1):
        token = tokens[i]
        if token in (".", ",", "!", "?", ";") or token in CONTRAST or token in NEGATION_STOPS:
            return False
        if NEGATORS & set(token.split()):
            return True
    return False


def _find_topics(
    tokens: list[str], text: str, offsets: list[int]
) -> tuple[list[str], list[int], int]:
    """Topics found, the token index of each complaint cue, and how many praise phrases."""

    found: list[str] = []
    cue_at: list[int] = []
    praised = 0
    i = 0
    n = len(offsets)
    while i < n:
        m = _RULES.match(text, offsets[i])
        if m is None:
            i += 1
            continue
        rule = TOPIC_RULES[int(m.lastgroup[1:])]  # type: ignore[index]
        last = bisect_right(offsets, m.end() - 1) - 1
        next_i = max(last + 1, i + 1)
        if rule.safe or (rule.negatable and _negated(tokens, i)):
            praised += 1  # "tidak telat", "gak rusak", "fast respon": praise in disguise
            i = next_i
            continue
        topic = rule.topic
        window = _clause_window(tokens, i, last) | set(m.group().split())
        if topic == "delivery_delay":
            slow = m.group().split()[0] in SLOW_WORDS
            if window & STOCK_CONTEXT:
                topic = "stock"
            elif slow and window & RESPONSE_CONTEXT and not window & SHIP_CONTEXT:
                topic = "seller_response"
            elif slow and window & COURIER_CONTEXT:
                found.append("courier_service")
        elif topic == "damaged":
            if window & USE_CONTEXT:
                topic = "product_quality"
            elif window & PACK_CONTEXT and not (window - PACK_CONTEXT) & {
                "isi",
                "isinya",
                "barang",
                "barangnya",
                "item",
            }:
                topic = "packaging"
        elif (
            topic == "courier_service"
            and m.group().split()[0]
            in (
                "kurir",
                "kurirnya",
                "courier",
            )
            and set(m.group().split()) & SLOW_WORDS
        ):
            found.append("delivery_delay")
        found.append(topic)
        cue_at.append(i)
        i = next_i
    return found, cue_at, praised


def _sentiment(
    rating: int, tokens: list[str], cue_at: list[int], praised: int = 0
) -> tuple[str, bool]:
    """Sentiment from the words (complaint cues, praise, negated praise) and the stars.

    Words after a contrast ("bagus tapi ...") weigh more than words before it. Also returns
    whether the text complains at all (a cue, a complaint word or negated praise).
    """
    contrast_at = max((i for i, t in enumerate(tokens) if t in CONTRAST), default=-1)
    score = 0.0
    cues = set(cue_at)
    signal = complains = bool(cues)
    for i, token in enumerate(tokens):
        weight = 1.5 if i > contrast_at >= 0 else (0.7 if contrast_at >= 0 else 1.0)
        if i in cues:
            soft = i > 0 and tokens[i - 1] in SOFTENERS
            score -= weight * (0.5 if soft else 1.0)
            continue
        value = POSITIVE_WORDS.get(token)
        if value is None and token in COMPLAINT_WORDS:
            value = -1.0
        if value is None:
            continue
        signal = True
        if _negated(tokens, i):
            value = -value * (0.7 if value > 0 else 0.3)
        complains = complains or value < 0
        score += weight * value
    joined = " ".join(tokens)
    if PRAISE_RE.search(joined):
        starts = list(accumulate((len(t) + 1 for t in tokens), initial=0))
        for m in PRAISE_RE.finditer(joined):
            at = bisect_right(starts, m.start()) - 1
            if _negated(tokens, at):
                score -= 1.0
                complains = True
            else:
                score += 1.5 if at > contrast_at >= 0 else (0.7 if contrast_at >= 0 else 1.0)
            signal = True
    score += 0.7 * praised
    signal = signal or praised > 0
    prior = RATING_PRIOR.get(rating, 0.0)
    if prior > 0 and not signal and any(t not in ".,!?;:" for t in tokens):
        prior /= 2  # "Sudah sampai." says little; the stars alone say less than usual
    total = score + prior
    if total >= 1.0:
        return "positive", complains
    if total <= -1.5:
        return "negative", complains
    return "neutral", complains


def triage(
    *, rating: int, text: str, delay_days: int | None = 0, lang: str | None = None
) -> Triage:
    """Triage one review: topics, sentiment, needs_care, priority and the recommended action."""
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValueError("rating must be an integer from 1 to 5")
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    if lang not in (None, "id", "en"):
        raise ValueError("lang must be 'id', 'en' or None")
    delay = max(int(delay_days or 0), 0)
    norm = normalize(text)
    found, cue_at, praised = _find_topics(norm.tokens, norm.text, norm.offsets)
    if delay > 0:
        found.append("delivery_delay")
    topics = [t for t in TOPICS if t in found]
    sentiment, complains = _sentiment(rating, norm.tokens, cue_at, praised)
    if not topics and complains and rating <= 3:
        topics = ["other"]  # a complaint no specific topic covers ("Kecewa", "Kurang puas")
    elif "other" in topics and len(topics) > 1:
        topics.remove("other")
    needs_care = (rating <= 4 and bool(topics)) or delay > 0 or sentiment == "negative"
    action = _action(topics, needs_care)
    priority = _priority(rating, topics, sentiment, delay, needs_care)
    return Triage(topics, sentiment, needs_care, priority, action)


def _action(topics: list[str], needs_care: bool) -> str:
    if not needs_care:
        return "thank"
    present = set(topics)
    if present & REPLACE_TOPICS:
        return "replace_or_refund"
    if "delivery_delay" in present and present <= DELAY_TOPICS:
        return "delay_explanation"
    if not present or present == {"other"}:
        return "ask_details"
    return "apology_explain"


def _priority(rating: int, topics: list[str], sentiment: str, delay: int, needs_care: bool) -> int:
    if not needs_care:
        return 0
    value = 20 + (5 - rating) * 12 + 10 * len(SEVERE.intersection(topics)) + 2 * min(delay, 10)
    if sentiment == "negative":
        value += 10
    return min(value, 100)
