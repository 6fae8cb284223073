"""Text folding for labels written by people, in any language.

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

# An exclusion clause names what is *not* meant ("Engineers, Except Mining Engineers"): matching
# on its words only misleads, so it is cut, in the languages we serve.
_EXCLUSION = re.compile(
    r"[,;(]?\s*\b(?:except|excluding|other than|ausgenommen|au(?:ss|ß)er|sauf|except[ée]s?|excepto|salvo"
    r"|behalve|uitgezonderd|eccetto|tranne)\b.*$",
    re.IGNORECASE,
)
_NON_WORD = re.compile(r"[\W_]+")
# Combining marks left by NFKD decomposition (accents, umlauts, cedillas, Greek tonos).
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

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


def _twin(a: str, b: str) -> bool:
    """Two words are gender twins when equal or sharing a prefix of 3+ letters and at least half
    the shorter word (Zeichner/Zeichnerin, conducteur/conductrice, Technischer/Technische)."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    shorter = min(len(a), len(b))
    shared = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    return shared >= 3 and 2 * shared >= shorter


def collapse_gender_pairs(text: str) -> str:
    """Keep one form of "masculine / feminine" phrase pairs, with the shared tail.

    "Agent / Agente de magasinage" -> "Agent de magasinage";
    "Technischer Zeichner/Technische Zeichnerin Fachrichtung Elektrotechnik" ->
    "Technischer Zeichner Fachrichtung Elektrotechnik". Other slashes are left alone.
    """
    parts = [part.strip() for part in text.split("/")]
    out = [parts[0]]
    for part in parts[1:]:
        head, words = out[-1].split(), part.split()
        n = len(head)
        if 0 < n <= len(words) and all(_twin(x, y) for x, y in zip(head, words[:n], strict=False)):
            out[-1] = " ".join([*head, *words[n:]])
        else:
            out.append(part)
    return " / ".join(out)


def strip_gender_forms(text: str) -> str:
    """Remove gender tags and gendered suffix notations, keeping the base word.

    "Altenpfleger/in" -> "Altenpfleger", "cleaner (f/m/d)" -> "cleaner ",
    "Verkäufer:in" -> "Verkäufer", "VerkäuferIn" -> "Verkäufer". Case is preserved.
    """
    text = _BINNEN_I.sub("", text)
    text = _ALL_GENDERS.sub(" ", text)
    if "/" in text:
        text = collapse_gender_pairs(text)
    text = _GENDER_TAG.sub(" ", text)
    text = _BARE_GENDER_TAG.sub(" ", text)
    return _GENDER_SUFFIX.sub("", text)


def fold(text: str) -> str:
    """Fold a label or query to the matching form.

    Promises: lower case; gender tags and suffix notations removed; accents stripped; Greek and
    Cyrillic transliterated to Latin; every run of punctuation or whitespace becomes one
    space; no leading or trailing space. Idempotent: ``fold(fold(x)) == fold(x)``.
    """
    text = strip_gender_forms(unicodedata.normalize("NFC", text))
    exclusion = _EXCLUSION.search(text)
    if exclusion and text[: exclusion.start()].strip():
        text = text[: exclusion.start()]
    text = text.casefold()
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text)).translate(_TRANSLIT)
    return _NON_WORD.sub(" ", text).strip()


def ascii_fold(text: str) -> str:
    """MELO's lexical-baseline preprocessing: lower case, NFKD, drop every non-ASCII byte."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode("ascii")
