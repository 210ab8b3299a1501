"""The word tables of amounts: currency codes, symbols and words, units (k, bn, 万, 亿...), qualifier words,
undisclosed words and the character folding applied before any of them is looked up.

Data only (standard library): :mod:`tracker.core.domain.amount_parser` compiles these into its lexicon,
:func:`~tracker.core.domain.amount_parser.normalise_currency` looks codes up in them. A word is added here and
nowhere else.
"""

from __future__ import annotations

from decimal import Decimal

YEN_NOTE: str = "¥ read as CNY; write JPY or 日元 for yen"

# Active ISO 4217 alphabetic codes (list one), including fund and precious-metal codes,
# and both codes of currencies in transition (ANG/XCG, SLL/SLE, ZWL/ZWG); without the
# non-currencies XTS (testing) and XXX (no currency).
_ISO_4217 = """
AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV
BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK
DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT
LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR
MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND
TOP TRY TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG
XAU XBA XBB XBC XBD XCD XCG XDR XOF XPD XPF XPT XSU XUA YER ZAR ZMW ZWG ZWL
"""
CURRENCIES: frozenset[str] = frozenset(_ISO_4217.split())

SYMBOLS: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "CNY",  # documented decision: CNY unless JPY is given explicitly
    "￥": "CNY",
    "₩": "KRW",
    "₹": "INR",
    "HK$": "HKD",
    "A$": "AUD",
    "AU$": "AUD",
    "C$": "CAD",
    "CA$": "CAD",
    "S$": "SGD",
    "SG$": "SGD",
    "NT$": "TWD",
    "R$": "BRL",
    "NZ$": "NZD",
    "MX$": "MXN",
    "₽": "RUB",
    "₺": "TRY",
    "₪": "ILS",
    "₫": "VND",
    "฿": "THB",
    "₱": "PHP",
    "₦": "NGN",
    "₴": "UAH",
    "Rp": "IDR",
    "円": "JPY",
    "원": "KRW",
}

# Currency words accepted in amount text and by normalise_currency.
CURRENCY_WORDS: dict[str, str] = {
    "dollar": "USD",
    "dollars": "USD",
    "us dollar": "USD",
    "us dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "sterling": "GBP",
    "yen": "JPY",
    "yuan": "CNY",
    "renminbi": "CNY",
    "rmb": "CNY",
    "won": "KRW",
    "rupee": "INR",
    "rupees": "INR",
    "元": "CNY",
    "人民币": "CNY",
    "美元": "USD",
    "欧元": "EUR",
    "日元": "JPY",
    "港元": "HKD",
    "港币": "HKD",
    "英镑": "GBP",
    "韩元": "KRW",
    "新台币": "TWD",
    "台币": "TWD",
    "澳元": "AUD",
    "加元": "CAD",
    "新加坡元": "SGD",
    "瑞郎": "CHF",
    "卢布": "RUB",
    "日圓": "JPY",
    "日圆": "JPY",
    "美金": "USD",
    "韓元": "KRW",
    "韓圓": "KRW",
    "港幣": "HKD",
    "新臺幣": "TWD",
    "臺幣": "TWD",
    "歐元": "EUR",
    "달러": "USD",
    "rupiah": "IDR",
    "dong": "VND",
    "đồng": "VND",
}

# Symbols that name a family of currencies: they yield to an explicit currency of the
# family (first code = the reading when no currency is given).
DOLLARS: tuple[str, ...] = (
    "USD",
    "AUD",
    "CAD",
    "HKD",
    "SGD",
    "TWD",
    "NZD",
    "BSD",
    "BBD",
    "BZD",
    "BMD",
    "BND",
    "FJD",
    "GYD",
    "JMD",
    "KYD",
    "LRD",
    "NAD",
    "SBD",
    "SRD",
    "TTD",
    "XCD",
)
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "$": DOLLARS,
    "dollar": DOLLARS,
    "dollars": DOLLARS,
    "¥": ("CNY", "JPY"),
    "￥": ("CNY", "JPY"),
}
NOTES: dict[str, str] = {"¥": YEN_NOTE, "￥": YEN_NOTE}

CURRENCY_ALIASES: dict[str, str] = {
    **{key.upper(): code for key, code in SYMBOLS.items()},
    **{key.upper(): code for key, code in CURRENCY_WORDS.items()},
}

MULTIPLIERS: dict[str, Decimal] = {
    "k": Decimal("1e3"),
    "thousand": Decimal("1e3"),
    "m": Decimal("1e6"),
    "mn": Decimal("1e6"),
    "mm": Decimal("1e6"),
    "million": Decimal("1e6"),
    "b": Decimal("1e9"),
    "bn": Decimal("1e9"),
    "billion": Decimal("1e9"),
    "t": Decimal("1e12"),
    "tn": Decimal("1e12"),
    "trillion": Decimal("1e12"),
    "千": Decimal("1e3"),
    "万": Decimal("1e4"),
    "十万": Decimal("1e5"),
    "百万": Decimal("1e6"),
    "千万": Decimal("1e7"),
    "亿": Decimal("1e8"),
    "十亿": Decimal("1e9"),
    "百亿": Decimal("1e10"),
    "千亿": Decimal("1e11"),
    "万亿": Decimal("1e12"),
    # traditional Chinese and Japanese (億, 萬, 兆: 100億美元, 3兆円)
    "萬": Decimal("1e4"),
    "十萬": Decimal("1e5"),
    "百萬": Decimal("1e6"),
    "千萬": Decimal("1e7"),
    "億": Decimal("1e8"),
    "十億": Decimal("1e9"),
    "百億": Decimal("1e10"),
    "千億": Decimal("1e11"),
    "萬億": Decimal("1e12"),
    "兆": Decimal("1e12"),
    # Korean (450조원, 1000억원)
    "만": Decimal("1e4"),
    "억": Decimal("1e8"),
    "십억": Decimal("1e9"),
    "백억": Decimal("1e10"),
    "천억": Decimal("1e11"),
    "조": Decimal("1e12"),
    # Indonesian and Vietnamese (Rp 5 triliun, 1000 tỷ đồng)
    "ribu": Decimal("1e3"),
    "juta": Decimal("1e6"),
    "miliar": Decimal("1e9"),
    "triliun": Decimal("1e12"),
    "nghìn": Decimal("1e3"),
    "triệu": Decimal("1e6"),
    "tỷ": Decimal("1e9"),
}

UP_TO, AT_LEAST, ESTIMATED = "up to", "at least", "estimated"
QUALIFIER_WORDS: dict[str, str] = {
    "up to": UP_TO,
    "as much as": UP_TO,
    "at most": UP_TO,
    "no more than": UP_TO,
    "not more than": UP_TO,
    "less than": UP_TO,
    "under": UP_TO,
    "≤": UP_TO,
    "<=": UP_TO,
    "<": UP_TO,
    "高达": UP_TO,
    "最高": UP_TO,
    "最高可达": UP_TO,
    "最多可达": UP_TO,
    "最多": UP_TO,
    "不超过": UP_TO,
    "至多": UP_TO,
    "以内": UP_TO,
    "以下": UP_TO,
    "or less": UP_TO,
    "at least": AT_LEAST,
    "no less than": AT_LEAST,
    "not less than": AT_LEAST,
    "more than": AT_LEAST,
    "over": AT_LEAST,
    "above": AT_LEAST,
    "upwards of": AT_LEAST,
    "in excess of": AT_LEAST,
    "≥": AT_LEAST,
    ">=": AT_LEAST,
    ">": AT_LEAST,
    "+": AT_LEAST,
    "至少": AT_LEAST,
    "超过": AT_LEAST,
    "逾": AT_LEAST,
    "不少于": AT_LEAST,
    "以上": AT_LEAST,
    "or more": AT_LEAST,
    "about": ESTIMATED,
    "approximately": ESTIMATED,
    "approx.": ESTIMATED,
    "approx": ESTIMATED,
    "~": ESTIMATED,
    "≈": ESTIMATED,
    "estimated": ESTIMATED,
    "est.": ESTIMATED,
    "est": ESTIMATED,
    "around": ESTIMATED,
    "roughly": ESTIMATED,
    "circa": ESTIMATED,
    "nearly": ESTIMATED,
    "almost": ESTIMATED,
    "约": ESTIMATED,
    "大约": ESTIMATED,
    "近": ESTIMATED,
    "将近": ESTIMATED,
    "接近": ESTIMATED,
    "预计": ESTIMATED,
    "估计": ESTIMATED,
    "左右": ESTIMATED,
    # traditional Chinese
    "高達": UP_TO,
    "不超過": UP_TO,
    "以內": UP_TO,
    "超過": AT_LEAST,
    "不少於": AT_LEAST,
    "約": ESTIMATED,
    "大約": ESTIMATED,
    "將近": ESTIMATED,
    "預計": ESTIMATED,
    "估計": ESTIMATED,
}
# Qualifiers that only make sense after the number ("+5" is not "at least 5").
POSTFIX_ONLY: frozenset[str] = frozenset({"+", "以上", "以下", "以内", "以內", "左右", "or more", "or less"})

UNDISCLOSED_WORDS: frozenset[str] = frozenset({"undisclosed", "not disclosed", "n/a", "n.a.", "未披露", "未公开", "-"})

# Character folding, one character for one character (so positions line up):
# fullwidth ASCII, odd spaces, dashes and minus signs, fullwidth currency signs.
_FOLD_MAP: dict[int, str] = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_FOLD_MAP.update(
    {
        ord(space): " "
        for space in "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
        "\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
    }
)
_FOLD_MAP.update({ord(dash): "-" for dash in "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63"})
_FOLD_MAP.update({0xFFE5: "¥", 0xFFE1: "£"})
FOLD = str.maketrans(_FOLD_MAP)
LOWER = str.maketrans({chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})
