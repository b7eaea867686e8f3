"""Rule families of the tone guard, written against normalised text (see normalize.py).

Patterns are built from vocabularies (who is addressed, verbs with their affixes, stems) rather
than from whole sentences, so unseen wordings still match. Placeholders in <ANGLE> brackets are
expanded by `expand()`. Every pattern is tried only at token starts; a word boundary is added at
its end.

Rule flags:
- negatable: a negator shortly before ("bukan salah kakak", "tidak akan melaporkan") cancels it;
- conditional: "kalau/jika/if" shortly before cancels it ("kalau kakak salah pilih, bisa tukar");
- subject_start: the match must begin a clause, so "klaim kakak kami laporkan" (the buyer's claim)
  is not read as "kakak kami laporkan" (reporting the buyer).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crm.tone.normalize import PROFANITY_DIRECTED, PROFANITY_STRONG


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    kind: str
    severity: float
    pattern: str
    negatable: bool = False
    neg_window: int = 3  # how many words back a negator cancels the rule
    conditional: bool = False
    subject_start: bool = False
    safe: bool = False  # consumes reassurance phrases so no other rule fires inside them


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


YOU = (
    "kakak|kak|ka|kk|kakk|kamu|anda|lu|lo|elu|situ|agan|gan|sis|sist|sista|bro|bang|mbak|mba|"
    "mas|bu|ibu|pak|bapak|om|tante|bos|bosku|kalian|dirimu|kau|engkau|ente|you|u|ya'll|yall|you're|youre|ur"
)
WE = "kami|saya|aku|gue|gua|kita|admin|seller|penjual|pihak toko|toko|we|i|we'll|i'll|we've|i've"
SFX = "(?:-?(?:nya|mu|lah|kah|in|kan|an|lu|lo|tuh|nih))?"
G2 = "(?:[^ .!?;]+ ){0,2}"
G3 = "(?:[^ .!?;]+ ){0,3}"
G5 = "(?:[^ .!?;]+ ){0,5}"

READ = (
    "baca|membaca|dibaca|bacanya|teliti|cermat|lihat|melihat|dilihat|cek|mengecek|dicek|"
    "perhatikan|memperhatikan|diperhatikan|ukur|mengukur|diukur|tanya|bertanya|konfirmasi|paham|"
    "mengerti"
)
REVIEW_NOUN = (
    "(?:ulasan|review|rating|bintang|penilaian|komentar|komen|testimoni|feedback|"
    "ripiu|star|stars)" + SFX
)
RATE_ACTIVE = (
    "ubah|mengubah|ubahin|ganti|mengganti|gantiin|naikkan|menaikkan|naikin|naikan|tambah|tambahin|"
    "menambah|revisi|merevisi|edit|mengedit|hapus|menghapus|hapusin|apus|apusin|cabut|mencabut|"
    "tarik|menarik|perbarui|memperbarui|update|koreksi|mengoreksi|ralat|benerin|turunkan|take down"
)
RATE_PASSIVE = (
    "diubah|diganti|dinaikkan|dinaikin|dinaikan|ditambah|ditambahin|direvisi|diedit|dihapus|"
    "diapus|dihapusin|dicabut|ditarik|diperbarui|diupdate|dikoreksi|diralat|dibenerin"
)
DELETE_WORDS = frozenset(
    [
        "hapus",
        "menghapus",
        "hapusin",
        "apus",
        "apusin",
        "cabut",
        "mencabut",
        "tarik",
        "menarik",
        "dihapus",
        "diapus",
        "dihapusin",
        "dicabut",
        "ditarik",
        "delete",
        "remove",
        "take",
        "withdraw",
        "deleted",
        "removed",
    ]
)
THREAT_VERB = (
    "laporkan|melaporkan|lapor|laporin|adukan|mengadukan|polisikan|memolisikan|tuntut|menuntut|"
    "gugat|menggugat|somasi|mensomasi|blokir|memblokir|block|blok|blacklist|banned|ban|sebarkan|"
    "menyebarkan|sebar|sebarin|viralkan|memviralkan|viralin|spill|bongkar|membongkar|report|"
    "tandai|tandain|menandai|"
    "reportkan|repot"
)
THREAT_PASSIVE = (
    "dilaporkan|dilaporin|diadukan|dipolisikan|dituntut|digugat|disomasi|diblokir|diblock|diblok|"
    "diblacklist|dibanned|diban|disebarkan|disebar|disebarin|diviralkan|diviralin|dispill|dibongkar|"
    "diposting|diupload|diunggah|diumumkan"
)
THREAT_TARGET = (
    "(?:<YOU>|akun|nama|data|identitas|alamat|nomor|nomer|no hp|chat|foto|muka|wajah|pembeli|"
    "buyer|customer|ulasan ini|review ini|orang ini|orang seperti)" + SFX
)
INSULT_STRONG = "(?:" + _alt(PROFANITY_STRONG) + ")" + SFX
INSULT_DIRECTED = "(?:" + _alt(PROFANITY_DIRECTED) + ")" + SFX
PERSON = "(?:<YOU>|pembeli|customer|buyer|konsumen|orang|manusia|bocah|emak-emak|people)"
INCENTIVE = re.compile(
    r"\b(?:voucher|vocer|refund|refun|diskon|cashback|hadiah|bonus|gratis|ganti rugi|uang kembali|"
    r"free (?:gift|shipping|item|product|replacement|sample)|discount|gift|replacement|compensation|"
    r"potongan|kompensasi|kupon|coupon|poin|points|pengganti|penggantian|dikembalikan|kembalikan|"
    r"\d+ ?(?:rb|ribu|k|%))(?!\w)"
)
POLITE_INVITE = (
    "berkenan",
    "bersedia",
    "tidak wajib",
    "tanpa paksaan",
    "sukarela",
    "tidak memaksa",
    "bila puas",
    "jika puas",
    "kalau puas",
    "apabila puas",
    "sudah puas",
    "if you feel",
    "if you're happy",
    "if you are happy",
    "you're welcome to",
    "you are welcome to",
    "feel free",
    "no pressure",
    "only if",
    "entirely up to you",
    "totally optional",
)
DEMAND_MARKERS = re.compile(
    r"(?<!tidak )(?<!bukan )\b(?:harus|wajib)\b|\b(?:segera|dong|donk|cepetan|sekarang juga|must|"
    r"right now|immediately|asap)\b"
)
BARGAIN_MARKERS = frozenset(
    [
        "asal",
        "asalkan",
        "syarat",
        "setelah",
        "sesudah",
        "kalau",
        "jika",
        "bila",
        "apabila",
        "baru",
        "once",
        "if",
        "after",
        "unless",
        "provided",
    ]
)

RULES: list[Rule] = [
    # --- Reassurance and kind negations: consumed first so nothing fires inside them. --------
    Rule(
        "safe",
        "safe",
        0,
        "(?:jangan|tidak usah|tidak perlu|tak perlu|no need to) (?:khawatir|cemas|risau|takut|sungkan|ragu|repot|bingung|worry)",
        safe=True,
    ),
    Rule(
        "safe", "safe", 0, "tidak (?:masalah|apa-apa|apa apa|papa|kenapa-kenapa|salah)", safe=True
    ),
    Rule(
        "safe",
        "safe",
        0,
        "(?:no|not a|not any) (?:problem|problems|worries|worry|issue)",
        safe=True,
    ),
    Rule("safe", "safe", 0, "(?:don't|do not|dont) (?:worry|be sorry|apologi[sz]e)", safe=True),
    Rule(
        "safe",
        "safe",
        0,
        "(?:bukan|tidak|sama sekali bukan) (?:salah|kesalahan|tanggung jawab) (?:<YOU>|pembeli)",
        safe=True,
    ),
    Rule("safe", "safe", 0, "(?:not|never) (?:your|the buyer's|the customer's) fault", safe=True),
    Rule(
        "safe",
        "safe",
        0,
        "(?:terima kasih|thank you|thanks) (?:sudah |telah |for )?(?:sabar|bersabar|patience|your patience)",
        safe=True,
    ),
    # --- Insults and profanity. -------------------------------------------------------------
    Rule("insult", "insult", 0.9, INSULT_STRONG, negatable=True),
    Rule(
        "insult",
        "insult_directed",
        0.8,
        f"dasar {G2}(?:{INSULT_DIRECTED}|{INSULT_STRONG}|{PERSON})",
    ),
    Rule(
        "insult",
        "insult_directed",
        0.8,
        f"(?:{PERSON})(?:nya)? (?:(?:itu|memang|emang|yang|ini|saja|aja|sih|tuh|sendiri|so|is|are|such|an?|benar-benar|sangat|really) ){{0,3}}{INSULT_DIRECTED}",
        negatable=True,
    ),
    Rule(
        "insult",
        "insult_phrase",
        0.85,
        f"(?:otak (?:udang|dengkul|kosong|<YOU>)|otak{SFX} (?:ditaruh|taruh|di mana|dimana|ke mana|kemana|dipakai|dipake)|tidak (?:punya|pakai|berotak) otak|pakai otak|pake otak|tidak berotak|kurang ajar|tidak tahu diri|tidak tahu malu|muka tembok|tutup mulut|diam (?:<YOU>)|shut up|screw you|piss off|get lost|go to hell|what the hell|the hell|mikir dong|mikir dulu|punya otak)",
        negatable=True,
    ),
    # --- Blaming the buyer. -------------------------------------------------------------------
    Rule("blame", "blame", 0.75, "salah (?:<YOU>)(?: sendiri)?", negatable=True, conditional=True),
    Rule(
        "blame",
        "blame",
        0.75,
        "(?:kesalahan|salah|kelalaian|kecerobohan|keteledoran) (?:ada )?(?:di |pada |dari )?(?:pihak )?(?:pembeli|customer|buyer|konsumen)",
        negatable=True,
    ),
    Rule(
        "blame",
        "blame",
        0.75,
        "(?:<YOU>)(?: sendiri| saja| juga| memang)?(?: yang)? (?:salah|keliru|ceroboh|lalai|teledor|asal-asalan|kurang teliti|tidak teliti|salah pilih|salah pesan|salah input|salah ketik|salah ukur|salah alamat)",
        negatable=True,
        conditional=True,
        subject_start=True,
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        f"(?:<YOU>)(?:nya)?(?: sendiri| saja| juga| memang)?(?: yang)? (?:tidak|kurang|belum|malas|males|tidak mau) (?:{READ})",
        negatable=False,
        conditional=True,
        subject_start=True,
    ),
    Rule(
        "blame",
        "blame",
        0.75,
        f"makanya (?:lain kali |besok-besok |next time |kalau |kalo )?(?:{READ}|jangan|hati-hati|pilih|pesan|order|beli|belanja|pakai|dibaca|teliti)",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "(?:kan|jelas-jelas|sudah jelas|padahal sudah|padahal) (?:sudah |kami |jelas |ada )*(?:tertulis|ditulis|dicantumkan|tercantum|dijelaskan|kami tulis|kami jelaskan|kami cantumkan|ada tulisan|ada keterangan|di deskripsi|dibilang|kami bilang|diinfo|kami info|diberitahu|diingatkan)",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "(?:sudah |kan )?(?:kami |saya )?(?:bilang|dibilang|dibilangin|dibilangi|diinfokan|diinfoin|jelaskan|dijelaskan|dijelasin|dikasih tahu|dikasih tau|diberitahu|diingatkan|diingetin) (?:dari awal|berkali-kali|berulang kali|berulang-ulang|dari kemarin|dari tadi|ratusan kali|puluhan kali)",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "dari awal (?:(?:sudah|kami|saya|kan|juga|memang) )*(?:bilang|info|kasih tahu|jelaskan|tulis|infokan|sampaikan)",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "teliti sebelum (?:membeli|beli|belanja|checkout|order|memesan|pesan)",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "(?:jangan|tidak usah|don't|do not) (?:salahkan|menyalahkan|nyalahin|disalahkan|blame) (?:kami|toko|seller|penjual|us|the shop|saya|kurir)",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "(?:gara-gara|akibat|karena ulah|salahnya) (?:<YOU>)(?: sendiri)?",
        negatable=True,
    ),
    Rule("blame", "blame", 0.7, "karena (?:<YOU>) sendiri"),
    Rule(
        "blame",
        "blame",
        0.65,
        "bukan (?:salah|kesalahan) (?:kami|toko|seller|penjual|saya|pihak kami|kita|kurir kami)",
    ),
    Rule(
        "blame",
        "blame",
        0.75,
        "(?:your|ur) (?:own )?(?:fault|mistake|problem|responsibility)",
        negatable=True,
    ),
    Rule(
        "blame",
        "blame",
        0.75,
        "(?:you|u) (?:should(?:'ve| have)|could(?:'ve| have)) (?:read|checked|measured|looked|asked|known|ordered|chosen|paid attention)",
    ),
    Rule(
        "blame",
        "blame",
        0.75,
        "(?:you|u) (?:didn't|did not|never|don't|do not|failed to|forgot to|clearly didn't) (?:read|check|look|bother|measure|follow|pay attention)",
        conditional=True,
    ),
    Rule(
        "blame",
        "blame",
        0.65,
        "(?:read|check) the (?:description|listing|size chart|product page|product description|policy|details|instructions) (?:first|before|next time|properly|carefully|again)",
    ),
    Rule(
        "blame",
        "blame",
        0.75,
        "(?:learn to read|that's on you|it's on you|that is on you|user error|blame yourself|not our fault|not my fault|you only have yourself)",
    ),
    Rule(
        "blame",
        "blame",
        0.75,
        "(?:you|u) (?:ordered|chose|picked|entered|typed|selected|gave|bought|put) (?:the |a )?wrong",
        conditional=True,
    ),
    # --- Pressure about the rating (context decides demand, bargain or polite invitation). ----
    Rule(
        "rating_pressure",
        "rating",
        0.85,
        f"(?:{RATE_ACTIVE}) {G3}{REVIEW_NOUN}",
        negatable=True,
        neg_window=6,
    ),
    Rule(
        "rating_pressure",
        "rating",
        0.85,
        "(?:once|after|when|if|until|as soon as|unless|the moment) (?:the |your |this |that )?(?:(?:[1-4]|one|two|three|four)(?:-| )?stars? |bad |negative |low )?(?:review|rating|feedback|comment|reviews|ratings) (?:is |are |gets |get |has been |have been |to be )?(?:gone|removed|deleted|taken down|changed|updated|revised|edited|raised)",
        negatable=True,
        neg_window=6,
    ),
    Rule(
        "rating_pressure",
        "rating",
        0.85,
        f"{REVIEW_NOUN} {G3}(?:{RATE_PASSIVE}|jadi (?:bintang )?(?:5|lima)|menjadi (?:bintang )?(?:5|lima))",
        negatable=True,
    ),
    Rule(
        "rating_pressure",
        "rating",
        0.85,
        f"(?:{RATE_ACTIVE}|{RATE_PASSIVE}) {G2}(?:jadi|menjadi|ke|to) (?:bintang |rating )?(?:5|lima|five)(?: bintang| stars?)?",
    ),
    Rule(
        "rating_pressure",
        "rating",
        0.85,
        "(?<!terima )(?<!sudah )(?<!telah )(?<!udah )(?<!yang )(?:kasih|kasi|beri|berikan|memberi|memberikan|give|leave) (?:kami |kita |us |we |toko |ya |lagi )?(?:bintang|rating) ?(?:5|lima)(?! (?:dari|from))",
    ),
    Rule(
        "rating_pressure", "rating", 0.85, "(?:give|leave) (?:us |me )?(?:a )?(?:5|five)[ -]stars?"
    ),
    Rule(
        "rating_pressure",
        "rating_guilt",
        0.75,
        "(?:kok|kenapa|mengapa|why|masa|masak) (?:cuma |hanya |cuman |only |just |sih |kakak |kak |you |ya )*(?:kasih |kasi |memberi |beri |give |gave |rate |rated )?(?:us )?(?:(?:bintang|rating|star|stars) ?(?:[1-4]|satu|dua|tiga|empat|one|two|three|four)|(?:[1-4]|satu|dua|tiga|empat|one|two|three|four) ?(?:bintang|stars?))",
    ),
    Rule(
        "rating_pressure",
        "rating",
        0.85,
        "(?:change|update|edit|remove|delete|raise|revise|amend|take down|withdraw|reconsider|improve|bump up) (?:your |the |this |that |my |our )?(?:(?:[1-4]|one|two|three|four)(?:-| )?stars? |bad |negative |low |poor )?(?:review|rating|feedback|comment|stars|star rating)",
        neg_window=6,
        negatable=True,
    ),
    Rule(
        "rating_pressure",
        "rating",
        0.85,
        "(?:review|rating) (?:to|into) (?:5|five) stars?|(?:bintang|rating) ?(?:5|lima) (?:dulu|baru|nanti)|(?:ulasan|review|rating|bintang)(?:nya)? (?:<G2>)?dulu(?: ,)? (?:baru|nanti|then)",
    ),
    # --- Threats. ----------------------------------------------------------------------------
    Rule(
        "threat",
        "threat",
        0.9,
        f"(?:<WE>) (?:akan |bakal |sudah |telah |langsung |siap |tidak segan |tak segan |pasti |terpaksa |will |are going to |have |already |gonna )*(?:{THREAT_VERB}) (?:balik |juga |semua |para )?{THREAT_TARGET}",
    ),
    Rule(
        "threat",
        "threat",
        0.9,
        f"{THREAT_TARGET} {G3}(?:akan |bakal |sudah |telah |langsung |pasti )*(?:(?:kami|saya|kita|admin) (?:{THREAT_VERB})|(?:kami |saya |kita )?(?:{THREAT_PASSIVE}))(?! ke (?:kurir|ekspedisi|jne|pihak ekspedisi|pihak kurir))",
        negatable=True,
        subject_start=True,
    ),
    Rule(
        "threat",
        "threat_legal",
        0.9,
        "(?:jalur hukum|ranah hukum|proses hukum|pengacara|kuasa hukum|lapor polisi|ke polisi|kantor polisi|uu ite|pencemaran nama baik|somasi|pidana|penjara|dipenjara|polisikan|dipolisikan|legal action|lawyer|lawyers|sue you|sued|suing|see you in court|call the police|defamation)",
        negatable=True,
    ),
    Rule(
        "threat",
        "threat",
        0.85,
        "(?:awas (?:ya|kamu|<YOU>|saja|aja|lho|lo)|siap-siap|tunggu (?:saja |aja )?(?:akibatnya|pembalasan|balasan kami|surat|kabar dari)|lihat (?:saja|aja) nanti|kamu akan menyesal|you'll regret|you will regret|watch out|or else|we know where you live|you will pay|you'll pay for)",
    ),
    Rule(
        "threat",
        "threat",
        0.9,
        "(?:we|i)(?:'ll|'ve| will| are going to| have| had| already| are gonna)? (?:report|block|ban|blacklist|expose|sue|post|share|publish|name and shame|flag|reported|blocked|banned|blacklisted|exposed|flagged) (?:you|your|this account|the buyer|this buyer|people like you)",
    ),
    Rule(
        "threat",
        "threat",
        0.85,
        "(?:<WE>) (?:akan |bakal |sudah |telah |langsung |siap |pasti |will |gonna )*(?:viralkan|viralin|memviralkan|spill|polisikan|memolisikan|somasi|mensomasi|tuntut|menuntut|gugat|menggugat|laporkan balik|laporin balik|go viral with this|take this viral)",
        negatable=True,
    ),
    Rule(
        "threat",
        "threat",
        0.8,
        "(?:daftar hitam|pembeli bermasalah|buyer bermasalah|kena karma|tunggu karma|karma (?:itu )?(?:nyata|ada|berlaku)|kualat|ngajak ribut|mengajak ribut|cari ribut|cari masalah|mau ribut|nantang|menantang|see you in court|you'll be sorry|you will be sorry)",
        negatable=True,
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "(?:jangan|stop|tidak usah) (?:fitnah|memfitnah|bohong|berbohong|ngarang|mengarang|mengada-ada|playing victim|drama)|(?:<YOU>) (?:itu |memang |jelas )?(?:bohong|berbohong|ngarang|mengarang|memfitnah|fitnah|mengada-ada|pembohong)|(?:stop|quit) (?:lying|making things up)|you(?:'re| are) lying",
        negatable=True,
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "(?:di)?baca (?:dong|donk|dulu dong|yang benar|yang bener|baik-baik|pelan-pelan|makanya)|jangan main (?:komen|komentar|kasih bintang|kasih rating|asal)|(?:maybe |try to |just )?learn (?:how )?to (?:measure|read|use|follow|check|count)|before (?:blaming|accusing) (?:us|the shop|the seller)|stop blaming (?:us|the shop|the seller)",
    ),
    # --- Sarcasm and condescension. ----------------------------------------------------------
    Rule(
        "sarcasm",
        "condescension",
        0.7,
        "(?:baru pertama kali|pertama kali|tidak pernah|belum pernah|jarang) (?:belanja|beli|membeli|order|pesan) (?:online|daring|di marketplace|di internet)",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.7,
        "(?:first time|never) (?:shopping|bought|buying|ordered|ordering) (?:online|anything online)",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.75,
        "(?:masa |masak )?(?:begitu|begini|hal sepele|hal kecil|hal (?:semudah|segampang) (?:itu|ini)|yang gampang|yang mudah|semudah (?:itu|ini)|segampang (?:itu|ini)|gampang (?:begitu|begini)) (?:saja |doang |pun )?(?:tidak|belum|kok tidak|masa tidak) (?:bisa|tahu|paham|mengerti|ngerti|bisa pakai|bisa baca)",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.7,
        "(?:masa|masak) (?:sih )?(?:<YOU> )?(?:tidak|belum) (?:bisa|tahu|paham|mengerti|ngerti|baca|lihat)",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.75,
        "(?:bisa|dapat) (?:baca|membaca) (?:kan|tidak|ya|nggak|dong)",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.75,
        "(?:can(?:'t| not|not)? (?:you|u) (?:even )?read|do (?:you|u) (?:even )?(?:know how|read)|it's not rocket science|not rocket science|even a child|any child could|as anyone can see|obviously you|clearly you)",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.75,
        "(?:ada harga ada (?:rupa|kualitas|barang)|harga (?:segitu|segini|murah|semurah itu|murah begini|murah begitu|[0-9.]+ ?(?:ribu|rb|k)) (?:<G2>)?(?:mau|minta|berharap|ngarep|mengharapkan|expect)(?: minta)? (?:kualitas|apa|yang bagus|bagus|barang bagus|sempurna|original|ori|mewah|premium)|(?:makanya|kalau mau (?:bagus|kualitas)) (?:beli|belanja) (?:yang )?(?:mahal|original|ori)|you get what you pay for|what (?:did|do) you expect (?:for|at))",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.7,
        "(?:lebay|lebai|baper|baperan|drama queen|sensitif amat|sensi amat|alay amat|begitu saja marah|gitu aja marah|begitu saja ngamuk|santai saja kali|santai aja kali|woles|calm down|chill out|relax,? it's|sok tahu|sok tau|sok pintar|sok pinter|sok jago|sok kaya|sok ngerti|ngaca|bercermin dulu|berkaca dulu|(?:kayak|seperti) (?:anak kecil|bocah)|kalau tidak mampu (?:beli|bayar)|tidak mampu beli|orang miskin|emang enak|memang enak|rasain|rasakan|syukurin|mampus|kapok kan|kasihan deh|kata siapa|situ sehat|sweetie)",
        negatable=True,
    ),
    Rule(
        "sarcasm",
        "sarcasm",
        0.75,
        "(?:terima kasih|thanks|thank you|makasih) (?:(?:loh|lho|ya|yah|banyak|kak|kakak|so much|a lot|sekali) )*(?:atas |for |buat |untuk |sudah |udah )?(?:the |your )?(?:kasih |memberi )?(?:bintang|star|rating)(?:nya)? ?(?:1|2|satu|dua|one|two)(?:-nya| star| stars| bintang|nya)?",
    ),
    Rule(
        "sarcasm",
        "sarcasm",
        0.55,
        "(?:membantu sekali ya|very helpful indeed|great job|well done|good job|bravo|congrats|congratulations|selamat ya|hebat ya|hebat sekali|pintar sekali|pintar ya|pinter banget|jenius|genius|brilliant|impressive|berhasil juga|(?:is |was )?so hard|so difficult|susah banget ya|susah sekali ya)(?= [,.!?🙄]| ?$)",
    ),
    Rule(
        "sarcasm",
        "sarcasm",
        0.55,
        "(?:you managed to|oh (?:sure|great|wow|really|of course|tentu)|yeah right|sure,? because|as if|wah hebat|wow hebat|hebat ya <YOU>|pintar ya <YOU>|selamat ya <YOU>,? (?:sudah|berhasil))",
    ),
    Rule(
        "sarcasm",
        "sarcasm",
        0.6,
        "(?:wah |wow |waduh )?(?:pintar|pinter|hebat|jenius|cerdas|canggih) (?:sekali |banget |amat )?(?:ya|yah|deh|sih) (?:<YOU>)",
    ),
    Rule(
        "sarcasm",
        "sarcasm",
        0.7,
        "(?:great|good|nice|amazing) job (?:reading|checking|ordering|measuring|following)|not(?= [.!]| ?$)",
        subject_start=True,
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.75,
        "(?:(?:situ|<YOU>) (?:itu |ini )?(?:waras|normal)(?: tidak| nggak| kan)? \\?|(?:tidak|belum) (?:mengerti|ngerti|paham|bisa|tahu)-(?:mengerti|ngerti|paham|bisa|tahu)|(?:<YOU>) (?:ini |itu )?(?:kok )?(?:tidak|belum) (?:mengerti|paham|ngerti)(?:-[a-z]+)? (?:juga|lagi|juga ya|sih))",
        subject_start=True,
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.7,
        "(?:kalau|jika|kalo) (?:tidak|belum) mampu|(?:ngapain|buat apa|untuk apa) (?:beli|belanja|order|pesan)(?: di sini)?(?: kalau| kalo| jika)|masih (?:saja |aja )?(?:tanya|nanya|bertanya|komplain|ngeyel|protes) (?:lagi|terus|juga)?",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.7,
        "(?:you people|impossible to please|(?:you|u) (?:can't|cannot|can not|couldn't) afford|(?:sudah|udah) murah (?:, )?(?:masih|kok|tapi) (?:minta|mau|protes|komplain|ngeluh|mengeluh)|(?:maunya|mau(?:nya)? serba) (?:gratisan|gratis|murah tapi bagus|enak sendiri)|pembeli (?:zaman|jaman) (?:sekarang|now)|(?:kok|jangan|tidak usah) (?:nyolot|ngegas|sewot|ngotot)|(?:kalau|kalo) mau (?:cepat|cepet|bagus|kualitas|murah|original|aman|sempurna) (?:ya|yah) (?:pakai|pake|beli|bayar|pilih|jangan))",
        negatable=True,
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.65,
        ", (?:sweetheart|sweetie|darling|honey|hun|dear|buddy|pal|mate|sayang|say)(?= [.!?]| ?$)",
    ),
    Rule(
        "sarcasm",
        "sarcasm",
        0.5,
        "(?:serius|seriously|really|beneran|yang benar saja|yang bener aja|are you serious|are you kidding|kidding me)(?: nih| kak| kakak)? \\?",
    ),
    Rule(
        "rating_pressure",
        "rating_guilt",
        0.7,
        "(?:bintang|rating|star|stars) (?:[1-3]|satu|dua|tiga|one|two|three)(?: nih| doang| saja| aja| kak| kakak)? \\?",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        f"(?:<YOU>) (?:seharusnya|harusnya|semestinya|mestinya|sebaiknya|wajib|harus) (?:lebih )?(?:{READ}|memilih|pilih|bertanya|cek dulu|baca dulu)|(?:kami )?(?:sarankan|menyarankan) (?:<YOU> )?(?:untuk )?(?:lebih |agar lebih |supaya lebih )(?:teliti|cermat|hati-hati|berhati-hati|jeli)|lebih (?:teliti|cermat|jeli) (?:lain kali|ke depannya|next time|lagi)|(?:tidak|jangan) asal (?:memberi|memberikan|kasih|beri|komen|berkomentar|menilai|review|klik|pilih|pesan|order|checkout|bintang)",
    ),
    Rule(
        "blame",
        "blame",
        0.7,
        "(?:try|start) (?:reading|checking|measuring|looking) (?:before|first|next time|the)|next time,? (?:try |please )?(?:read|reading|check|measure)|(?:ulasan|review|komentar|tuduhan|klaim) (?:<YOU> )?(?:itu |ini )?(?:tidak berdasar|menyesatkan|fitnah|bohong|palsu|ngawur|asal-asalan|mengada-ada)|your (?:review|claim|complaint) is (?:false|fake|misleading|baseless|a lie|nonsense)|(?:merusak|ngerusak|menghancurkan|ngancurin|menjatuhkan|rusak) (?:rating|nama|reputasi|bintang) (?:toko|kami)",
    ),
    Rule(
        "sarcasm",
        "condescension",
        0.75,
        "(?:you clearly|clearly you) (?:have no idea|don't know|do not know)|no idea what you(?:'re| are) talking about|(?:don't|do not) know what you(?:'re| are) talking about|(?:the )?(?:second|third|fourth|fifth|(?:[1-9]|1[0-9])(?:st|nd|rd|th)) time you(?:'ve| have)? (?:asked|said|complained|messaged)|sudah (?:kesekian|ke-?[0-9]+|berkali-kali) (?:kali )?(?:<YOU> )?(?:tanya|bertanya|nanya|komplain)|(?:ngotot|nyolot|sewot|rewel|bawel|cerewet|lebay|baper|ribet|rese|nyebelin|menyebalkan|aneh|sensitif|galak) (?:banget |sekali |amat )?(?:sih |deh )?jadi orang|(?:emangnya|memangnya|memang|emang) (?:kami|saya|kita|toko) (?:dukun|peramal|cenayang|tukang sihir|pembantu|babu|pesuruh)|(?:kami|saya|kita) bukan (?:pembantu|babu|budak|pesuruh|dukun|peramal|cenayang|tukang sihir)|(?:tidak|nggak|jangan) usah (?:belanja|beli|order) (?:online )?(?:kalau|kalo|jika) (?:tidak|nggak) (?:sabar|mau|mampu|bisa|ngerti|mengerti)",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.7,
        "(?:stop|quit) (?:spamming|complaining|whining|nagging|messaging)|(?:berhenti|stop) (?:komplain|spam|nyepam|spamming|mengeluh|ngeluh|chat terus)|(?:tidak|no|nggak) (?:menerima|melayani|terima|layani|ladeni|meladeni) (?:komplain|keluhan|protes|complaints)|(?:tidak|nggak) (?:menerima|melayani) (?:retur|refund|pengembalian) (?:dalam bentuk )?apa pun",
    ),
    # --- Dismissiveness. ---------------------------------------------------------------------
    Rule(
        "dismissive",
        "dismissive",
        0.75,
        "terserah(?! (?:[^ .!?]+ ){0,3}(?:pilih|memilih|mana|warna|ukuran|varian|opsi|refund|tukar|retur|ganti|kapan|jadwal|jam|cara|solusi|mau dikirim))",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.75,
        "(?:whatevs|whatever)(?! (?:you|your|works|is|size|colour|color|option|suits|day|time))",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.8,
        "(?:bodo amat|bodoh amat|masa bodoh|(?:memang|emang) (?:saya|gue|gua|kami) pikirin|egp|peduli amat|bukan urusan (?:saya|kami|gue|gua|toko|kita)|urus (?:saja |aja )?sendiri|urusan (?:<YOU>) sendiri|itu (?:masalah|urusan|derita) (?:<YOU>)|derita (?:<YOU>)|(?:kami|saya|gue) (?:tidak|nggak) (?:peduli|mau tahu))",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.8,
        "(?:(?:kalau|jika|kalo|bila) )?(?:tidak|nggak) (?:suka|puas|cocok|mau|terima)(?: ya| sih| ,| ya ,)? (?:tidak usah|jangan|silakan cari|cari|silakan) (?:beli|belanja|order|pesan|toko lain|di tempat lain|seller lain|di toko lain)",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.75,
        "(?:tidak|jangan|nggak) usah (?:beli|belanja|order|pesan|balik) (?:lagi|di sini|disini|ke sini|online)",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.65,
        "(?:silakan|cari|go|please) (?:belanja |beli |shop |buy )?(?:di |at )?(?:toko|seller|tempat|shop|store) (?:lain|elsewhere)",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.7,
        "(?:ya sudah|yasudah|yaudah|ya udah) (?:lah|sih|deh)|namanya juga (?:barang )?(?:murah|online|harga murah)|terima (?:saja|aja)(?: ya)?(?= [.,!?]| ?$)|nasib (?:<YOU>)|mau (?:bagaimana|gimana|diapakan) lagi",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.75,
        "(?:jangan|tidak usah|nggak usah) banyak (?:protes|komplain|mau|omong|bicara|bacot|mengeluh|ngeluh|tanya|drama)|banyak (?:mau|maunya|protes|komplain|tuntutan|drama)|(?:malas|males) (?:meladeni|ladenin|ngeladenin|balas|jawab|urus|ngurusin)|(?:tidak|nggak|jangan) usah (?:komplain|protes|ribut|mengeluh|ngeluh|lebay|drama|baper|sewot|nyolot|emosi|marah-marah|ngegas|banyak tanya)",
    ),
    Rule(
        "dismissive",
        "dismissive",
        0.8,
        "(?:not (?:our|my) (?:problem|concern|job)|deal with it|shut it|nobody cares|no one cares|your loss|(?:kakak|kamu|anda|situ) (?:sendiri )?yang rugi|rugi sendiri|take it or leave it|(?:don't|do not|couldn't|could not) care|who cares|so what|too bad|tough luck|suck it up|that's life|go (?:shop|buy) (?:somewhere|elsewhere)|shop elsewhere)",
    ),
    Rule(
        "dismissive",
        "dismissive_mild",
        0.45,
        "(?:di luar|diluar|bukan) (?:tanggung jawab|tanggungan|wewenang|urusan) (?:kami|toko|seller|saya|kita|penjual)|not (?:our|my) responsibility|no refunds?(?= [.,!?]| ?$)|tidak ada refund",
    ),
    Rule(
        "dismissive",
        "minimising",
        0.7,
        "(?:begitu|begini|segitu|segini|gitu|gini) (?:saja|doang|aja) (?:<G2>)?(?:mengeluh|ngeluh|komplain|protes|marah|ribut|ngamuk|dibesar-besarkan|dipermasalahkan|dipersoalkan|diributkan|dikomplain|dikomplen|lapor|kasih bintang|bintang 1|repot)|(?:ya elah|yaelah|yaelah|elah)(?= [,.!?]| )",
    ),
    Rule(
        "dismissive",
        "minimising",
        0.6,
        "(?:cuma|hanya|cuman|only) (?:telat|terlambat|lecet|gores|tergores|kurang|beda|late|a scratch|a day)(?: sedikit| dikit| sehari| satu hari| 1 hari| satu| one| a| late)?(?: day)? (?:saja|doang|kok|kan|aja|lho|loh|sih)|(?:telat|terlambat|lecet|gores|tergores) (?:sedikit|dikit|sehari|satu hari|1 hari) (?:saja|doang|aja) (?:kok|kan|sampai|sudah|langsung|dibilang)",
    ),
]

# Words the normaliser should collapse elongations onto ("lamaaa" -> "lama").
VOCABULARY = frozenset(
    w
    for rule in RULES
    for w in re.findall(r"[a-z]{3,}(?:-[a-z]+)*", rule.pattern)
    if w not in {"nya"}
)


def expand(pattern: str) -> str:
    return (
        pattern.replace("<YOU>", f"(?:{YOU})")
        .replace("<WE>", f"(?:{WE})")
        .replace("<G2>", G2)
        .replace("<G3>", G3)
    )
