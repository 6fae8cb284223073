"""Languages (ISO 639-1) and language levels (CEFR) for survivor profiles and requirements."""

from __future__ import annotations

from enum import IntEnum
from types import MappingProxyType

# ISO 639-1, all 183 two-letter codes (ISO 639-1 as maintained by the Library of Congress,
# without the deprecated "sh"), with English names.
_NAMES: dict[str, str] = {
    "aa": "Afar", "ab": "Abkhazian", "ae": "Avestan", "af": "Afrikaans", "ak": "Akan",
    "am": "Amharic", "an": "Aragonese", "ar": "Arabic", "as": "Assamese", "av": "Avaric",
    "ay": "Aymara", "az": "Azerbaijani", "ba": "Bashkir", "be": "Belarusian", "bg": "Bulgarian",
    "bi": "Bislama", "bm": "Bambara", "bn": "Bengali", "bo": "Tibetan", "br": "Breton",
    "bs": "Bosnian", "ca": "Catalan", "ce": "Chechen", "ch": "Chamorro", "co": "Corsican",
    "cr": "Cree", "cs": "Czech", "cu": "Church Slavic", "cv": "Chuvash", "cy": "Welsh",
    "da": "Danish", "de": "German", "dv": "Divehi", "dz": "Dzongkha", "ee": "Ewe",
    "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish", "et": "Estonian",
    "eu": "Basque", "fa": "Persian", "ff": "Fulah", "fi": "Finnish", "fj": "Fijian",
    "fo": "Faroese", "fr": "French", "fy": "Western Frisian", "ga": "Irish", "gd": "Scottish Gaelic",
    "gl": "Galician", "gn": "Guarani", "gu": "Gujarati", "gv": "Manx", "ha": "Hausa",
    "he": "Hebrew", "hi": "Hindi", "ho": "Hiri Motu", "hr": "Croatian", "ht": "Haitian Creole",
    "hu": "Hungarian", "hy": "Armenian", "hz": "Herero", "ia": "Interlingua", "id": "Indonesian",
    "ie": "Interlingue", "ig": "Igbo", "ii": "Sichuan Yi", "ik": "Inupiaq", "io": "Ido",
    "is": "Icelandic", "it": "Italian", "iu": "Inuktitut", "ja": "Japanese", "jv": "Javanese",
    "ka": "Georgian", "kg": "Kongo", "ki": "Kikuyu", "kj": "Kuanyama", "kk": "Kazakh",
    "kl": "Kalaallisut", "km": "Khmer", "kn": "Kannada", "ko": "Korean", "kr": "Kanuri",
    "ks": "Kashmiri", "ku": "Kurdish", "kv": "Komi", "kw": "Cornish", "ky": "Kyrgyz",
    "la": "Latin", "lb": "Luxembourgish", "lg": "Ganda", "li": "Limburgish", "ln": "Lingala",
    "lo": "Lao", "lt": "Lithuanian", "lu": "Luba-Katanga", "lv": "Latvian", "mg": "Malagasy",
    "mh": "Marshallese", "mi": "Maori", "mk": "Macedonian", "ml": "Malayalam", "mn": "Mongolian",
    "mr": "Marathi", "ms": "Malay", "mt": "Maltese", "my": "Burmese", "na": "Nauru",
    "nb": "Norwegian Bokmål", "nd": "North Ndebele", "ne": "Nepali", "ng": "Ndonga", "nl": "Dutch",
    "nn": "Norwegian Nynorsk", "no": "Norwegian", "nr": "South Ndebele", "nv": "Navajo",
    "ny": "Chichewa", "oc": "Occitan", "oj": "Ojibwa", "om": "Oromo", "or": "Oriya",
    "os": "Ossetian", "pa": "Punjabi", "pi": "Pali", "pl": "Polish", "ps": "Pashto",
    "pt": "Portuguese", "qu": "Quechua", "rm": "Romansh", "rn": "Rundi", "ro": "Romanian",
    "ru": "Russian", "rw": "Kinyarwanda", "sa": "Sanskrit", "sc": "Sardinian", "sd": "Sindhi",
    "se": "Northern Sami", "sg": "Sango", "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian",
    "sm": "Samoan", "sn": "Shona", "so": "Somali", "sq": "Albanian", "sr": "Serbian",
    "ss": "Swati", "st": "Southern Sotho", "su": "Sundanese", "sv": "Swedish", "sw": "Swahili",
    "ta": "Tamil", "te": "Telugu", "tg": "Tajik", "th": "Thai", "ti": "Tigrinya",
    "tk": "Turkmen", "tl": "Tagalog", "tn": "Tswana", "to": "Tonga", "tr": "Turkish",
    "ts": "Tsonga", "tt": "Tatar", "tw": "Twi", "ty": "Tahitian", "ug": "Uyghur",
    "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek", "ve": "Venda", "vi": "Vietnamese",
    "vo": "Volapük", "wa": "Walloon", "wo": "Wolof", "xh": "Xhosa", "yi": "Yiddish",
    "yo": "Yoruba", "za": "Zhuang", "zh": "Chinese", "zu": "Zulu",
}  # fmt: skip

LANGUAGE_NAMES = MappingProxyType(_NAMES)
"""ISO 639-1 code -> English name (read-only)."""

ISO_639_1: frozenset[str] = frozenset(_NAMES)
"""Every ISO 639-1 two-letter code, lower case."""


def parse_language(code: str) -> str:
    """Return the canonical (lower-case, trimmed) ISO 639-1 code, or raise ValueError.

    Accepts "DE", " de ", and a region-tagged BCP 47 form such as "de-AT" or "pt_BR" (the
    region is dropped: CEFR levels are per language, not per variety).
    """
    canonical = code.strip().replace("_", "-").split("-", 1)[0].lower()
    if canonical not in ISO_639_1:
        raise ValueError(f"unknown ISO 639-1 language code {code!r}; expected two letters such as 'de' or 'ar'")
    return canonical


def language_name(code: str) -> str:
    """English name of an ISO 639-1 code ("fr" -> "French"); ValueError if unknown."""
    return _NAMES[parse_language(code)]


class CefrLevel(IntEnum):
    """CEFR levels, ordered: A1 < A2 < B1 < B2 < C1 < C2 < NATIVE.

    Comparison is by mastery, so a requirement is met when ``have >= need``.
    """

    A1 = 1
    A2 = 2
    B1 = 3
    B2 = 4
    C1 = 5
    C2 = 6
    NATIVE = 7

    @classmethod
    def parse(cls, text: str | CefrLevel) -> CefrLevel:
        """Parse "b1", " B1 ", "C2" or "native" (any case); raise ValueError on anything else."""
        if isinstance(text, CefrLevel):
            return text
        key = text.strip().upper()
        try:
            return cls[key]
        except KeyError:
            valid = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown CEFR level {text!r}; expected one of {valid}") from None

    @property
    def label(self) -> str:
        """The conventional spelling: "A1" … "C2", or "native"."""
        return "native" if self is CefrLevel.NATIVE else self.name


def parse(text: str | CefrLevel) -> CefrLevel:
    """Module-level shorthand for :meth:`CefrLevel.parse`: ``parse("b1") is CefrLevel.B1``."""
    return CefrLevel.parse(text)


def levels_below(have: str | CefrLevel, need: str | CefrLevel) -> int:
    """How many CEFR steps ``have`` falls short of ``need``; 0 when the need is met or exceeded.

    ``levels_below("A2", "B2") == 2``; ``levels_below("C1", "B1") == 0``.
    """
    return max(0, int(CefrLevel.parse(need)) - int(CefrLevel.parse(have)))
