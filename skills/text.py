"""Text folding for occupation and skill labels written by people, in any language.

One function matters to callers: :func:`fold`. It turns "Verkäufer:in (m/w/d)", "VERKÄUFERIN",
"Altenpfleger/in" or "cuisinière" into a lower-case, accent-free, punctuation-free form that
the normaliser indexes and queries with. The same folding runs on both sides, so it only has
to be consistent, not linguistically perfect.
"""

from __future__ import annotations

import re
import unicodedata

# Gender markers that carry no meaning for matching: "(m/w/d)", "(f/m/d)", "(h/f)", "m/w/d",
# "(all genders)". Any parenthesised run of one- or two-letter tokens joined by slashes.
_GENDER_TAG = re.compile(r"\(\s*[^\W\d_]{1,2}\.?(?:\s*[/|,]\s*[^\W\d_]{1,2}\.?){1,3}\s*\)")
_BARE_GENDER_TAG = re.compile(r"(?<!\w)(?:m\s*/\s*w\s*/\s*d|w\s*/\s*m\s*/\s*d|f\s*/\s*m\s*/\s*d|m\s*/\s*f\s*/\s*d"
                              r"|m\s*/\s*f|h\s*/\s*f|f\s*/\s*h|m\s*/\s*v(?:\s*/\s*x)?)(?!\w)",
                              re.IGNORECASE)
_ALL_GENDERS = re.compile(r"\(\s*(?:all genders|gn|d)\s*\)", re.IGNORECASE)

# German "Binnen-I" ("VerkäuferIn", "LehrerInnen") must be caught before lower-casing.
_BINNEN_I = re.compile(r"(?<=[a-zäöüß])In(?:nen)?\b")

# Feminine or plural endings appended to a word with a separator: "Pfleger/in", "Pfleger:in",
# "Pfleger*in", "Pfleger_in", "Pfleger(in)", "employé(e)", "camarero/a", "vendeur/euse".
# Dropping them leaves the base form, which the other labels of the concept share.
_SUFFIXES = r"(?:innen|in|e|es|a|as|ne|euse|euses|rice|ère|ière|era|ora|esse|ess)"
_GENDER_SUFFIX = re.compile(rf"(?<=\w)(?:\s?[/:*_·.]\s?-?{_SUFFIXES}|\(\s*-?{_SUFFIXES}\s*\))(?!\w)")

_NON_WORD = re.compile(r"[\W_]+")

# Transliteration keeps Greek and Cyrillic labels searchable by character n-grams (and lets
# cognates such as "ηλεκτρολόγος" ~ "elektrolog" share n-grams). Marks are stripped first.
_TRANSLIT = str.maketrans(
    {
        # Greek
        "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
        "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
        "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
        "ω": "o",
        # Cyrillic (Russian, Bulgarian, Ukrainian, Serbian letters)
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
        "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "sht", "ъ": "a", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        "і": "i", "ї": "i", "є": "e", "ґ": "g", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
        "ђ": "dj", "џ": "dz",
        # Latin letters that NFKD does not decompose
        "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
        "ı": "i", "ŀ": "l",
    }
)


def strip_gender_forms(text: str) -> str:
    """Remove gender tags and gendered suffix notations, keeping the base word.

    "Altenpfleger/in" -> "Altenpfleger", "cleaner (f/m/d)" -> "cleaner ",
    "Verkäufer:in" -> "Verkäufer", "VerkäuferIn" -> "Verkäufer". Case is preserved.
    """
    text = _BINNEN_I.sub("", text)
    text = _ALL_GENDERS.sub(" ", text)
    text = _GENDER_TAG.sub(" ", text)
    text = _BARE_GENDER_TAG.sub(" ", text)
    return _GENDER_SUFFIX.sub("", text)


def fold(text: str) -> str:
    """Fold a label or query to the matching form.

    Promises: lower case; gender tags and suffix notations removed; accents stripped; Greek and
    Cyrillic transliterated to Latin; every run of punctuation or whitespace becomes one
    space; no leading or trailing space. Idempotent: ``fold(fold(x)) == fold(x)``.
    """
    text = strip_gender_forms(unicodedata.normalize("NFC", text)).casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.translate(_TRANSLIT)
    return _NON_WORD.sub(" ", bare).strip()


def ascii_fold(text: str) -> str:
    """MELO's lexical-baseline preprocessing: lower case, NFKD, drop every non-ASCII byte."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
