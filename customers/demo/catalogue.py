"""The demo shop's catalogue: a Bandung hijab and modest-fashion shop with accessories."""

from __future__ import annotations

from dataclasses import dataclass

SHOP_NAME = "Kirana Hijab Bandung"
SHOP_CHANNELS = ["shopee", "tokopedia", "whatsapp", "instagram"]

# A later issue (restock notices) looks this product up by SKU: keep it sold out with an ETA.
SOLD_OUT_SKU = "DEMO-SOLDOUT"


@dataclass(frozen=True)
class CatalogueItem:
    sku: str
    name: str
    category: str
    price: int  # rupiah
    stock: int
    restock_days: int | None = None  # restock ETA, days after the demo was seeded
    sized: bool = False  # clothing that comes in S/M/L/XL: "wrong size" complaints fit it
    colour: str = ""


# fmt: off
CATALOGUE: list[CatalogueItem] = [
    CatalogueItem("HJB-VOAL-MOC", "Hijab Segi Empat Voal Premium - Mocca", "Hijab Segi Empat", 45_000, 120, colour="mocca"),
    CatalogueItem("HJB-VOAL-DST", "Hijab Segi Empat Voal Premium - Dusty Pink", "Hijab Segi Empat", 45_000, 95, colour="dusty pink"),
    CatalogueItem("HJB-VOAL-SGE", "Hijab Segi Empat Voal Premium - Sage Green", "Hijab Segi Empat", 45_000, 60, colour="sage"),
    CatalogueItem("HJB-VOAL-NVY", "Hijab Segi Empat Voal Premium - Navy", "Hijab Segi Empat", 45_000, 80, colour="navy"),
    CatalogueItem("HJB-BELLA-BLK", "Hijab Bella Square Polycotton - Hitam", "Hijab Segi Empat", 25_000, 300, colour="hitam"),
    CatalogueItem("HJB-BELLA-CRM", "Hijab Bella Square Polycotton - Cream", "Hijab Segi Empat", 25_000, 240, colour="cream"),
    CatalogueItem("HJB-PARIS-MRN", "Hijab Paris Jadul - Maroon", "Hijab Segi Empat", 18_000, 150, colour="maroon"),
    CatalogueItem("PSM-CRT-MLO", "Pashmina Ceruti Babydoll - Milo", "Pashmina", 39_000, 0, restock_days=10, colour="milo"),
    CatalogueItem(SOLD_OUT_SKU, "Pashmina Ceruti Babydoll - Sage (Edisi Lebaran)", "Pashmina", 42_000, 0, restock_days=14, colour="sage"),
    CatalogueItem("PSM-CRT-TPE", "Pashmina Ceruti Babydoll - Taupe", "Pashmina", 39_000, 70, colour="taupe"),
    CatalogueItem("PSM-SLK-CHP", "Pashmina Silk Premium - Champagne", "Pashmina", 65_000, 35, colour="champagne"),
    CatalogueItem("PSM-PLS-GRY", "Pashmina Plisket Lidi - Abu Muda", "Pashmina", 49_000, 4, colour="abu muda"),
    CatalogueItem("PSM-INST-OAT", "Pashmina Instan Tali Jersey - Oatmeal", "Pashmina", 55_000, 45, colour="oatmeal"),
    CatalogueItem("BRG-JRS-BLK", "Bergo Jersey Pet Antem - Hitam", "Hijab Instan", 35_000, 110, colour="hitam"),
    CatalogueItem("BRG-MARYAM-BRN", "Bergo Maryam Diamond - Coklat", "Hijab Instan", 38_000, 85, colour="coklat"),
    CatalogueItem("KHM-SYR-LYR", "Khimar Syari 2 Layer - Mauve", "Hijab Instan", 89_000, 30, colour="mauve"),
    CatalogueItem("GMS-AIRA-M", "Gamis Aira Rayon Crinkle - M", "Gamis", 189_000, 18, sized=True),
    CatalogueItem("GMS-AIRA-L", "Gamis Aira Rayon Crinkle - L", "Gamis", 189_000, 22, sized=True),
    CatalogueItem("GMS-AIRA-XL", "Gamis Aira Rayon Crinkle - XL", "Gamis", 199_000, 0, restock_days=21, sized=True),
    CatalogueItem("GMS-SAFA-L", "Gamis Safa Shimmer Lebaran - L", "Gamis", 325_000, 12, sized=True),
    CatalogueItem("GMS-NAURA-ALL", "Gamis Naura Polos Busui Friendly - All Size", "Gamis", 159_000, 40, sized=True),
    CatalogueItem("TNK-ZAHRA-M", "Tunik Zahra Linen - M", "Tunik", 135_000, 25, sized=True),
    CatalogueItem("TNK-ZAHRA-L", "Tunik Zahra Linen - L", "Tunik", 135_000, 19, sized=True),
    CatalogueItem("TNK-KEYSA-XL", "Tunik Keysa Katun Bordir - XL", "Tunik", 149_000, 3, sized=True),
    CatalogueItem("OUT-KNIT-CML", "Outer Rajut Oversize - Camel", "Outer", 119_000, 28, sized=True, colour="camel"),
    CatalogueItem("OUT-KIMONO-BTK", "Kimono Outer Batik Mega Mendung", "Outer", 165_000, 16, sized=True),
    CatalogueItem("SET-ONE-L", "One Set Celana Kulot + Atasan - L", "Setelan", 215_000, 14, sized=True),
    CatalogueItem("KLT-PLS-BLK", "Celana Kulot Plisket - Hitam", "Bawahan", 79_000, 60, sized=True, colour="hitam"),
    CatalogueItem("RK-PLS-NVY", "Rok Plisket Premium - Navy", "Bawahan", 85_000, 33, sized=True, colour="navy"),
    CatalogueItem("MKN-BALI-WHT", "Mukena Bali Rayon Adem - Putih", "Mukena", 145_000, 40, colour="putih"),
    CatalogueItem("MKN-TRV-PNK", "Mukena Travel Parasut + Tas - Pink", "Mukena", 99_000, 0, restock_days=7, colour="pink"),
    CatalogueItem("MKN-SUTRA-SET", "Mukena Sutra Armani Set Sajadah", "Mukena", 285_000, 9),
    CatalogueItem("INR-CPT-RJT", "Ciput Rajut Anti Pusing (isi 3)", "Aksesoris", 25_000, 200),
    CatalogueItem("INR-CPT-NJA", "Inner Ninja Jersey", "Aksesoris", 15_000, 250),
    CatalogueItem("BRS-MTR-GLD", "Bros Mutiara Gold", "Aksesoris", 20_000, 80),
    CatalogueItem("PNT-HJB-12", "Peniti Hijab Mutiara (isi 12)", "Aksesoris", 12_000, 400),
    CatalogueItem("MGN-PIN-6", "Magnet Hijab Anti Bolong (isi 6)", "Aksesoris", 18_000, 150),
    CatalogueItem("MSK-DUCK-50", "Masker Duckbill Warna (isi 50)", "Aksesoris", 30_000, 90),
    CatalogueItem("TAS-SLG-KNV", "Tas Selempang Kanvas Mini", "Tas", 69_000, 35),
    CatalogueItem("TAS-TOTE-RJT", "Tote Bag Rajut Handmade", "Tas", 95_000, 2),
    CatalogueItem("KDO-PAKET-LBR", "Paket Hampers Lebaran (Pashmina + Bros + Box)", "Paket Hadiah", 120_000, 25),
    CatalogueItem("KAOS-KAKI-JMP", "Kaos Kaki Jempol Muslimah (3 pasang)", "Aksesoris", 22_000, 180),
]
# fmt: on

TAGS = [
    "Langganan",
    "Reseller",
    "Dropshipper",
    "VIP",
    "Suka diskon",
    "Pernah komplain",
    "Pembeli baru",
    "Bandung",
    "Luar Jawa",
]
