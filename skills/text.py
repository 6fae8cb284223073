"""Text folding and sparse TF-IDF spaces for labels written by people, in any language.

One function matters to callers: :func:`fold`. It turns "Verkäufer:in (m/w/d)", "VERKÄUFERIN",
"Altenpfleger/in" or "cuisinière" into a lower-case, accent-free, punctuation-free form that
the normaliser indexes and queries with. The same folding runs on both sides, so it only has
to be consistent, not linguistically perfect.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import HashingVectorizer

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


@dataclass(frozen=True)
class CharNgrams:
    """Character n-grams of the space-padded text, across word boundaries (n-grams spanning two
    words keep a trace of word order). Callable as an analyser; a :class:`TextSpace` given one
    hashes with :class:`CharNgramHasher` instead, all texts of a slice at once."""

    low: int
    high: int

    def __call__(self, text: str) -> list[str]:
        padded = f" {text} "
        return [padded[i : i + n] for n in range(self.low, self.high + 1) for i in range(len(padded) - n + 1)]


def char_analyser(low: int, high: int) -> CharNgrams:
    """The :class:`CharNgrams` analyser for n from ``low`` to ``high``."""
    return CharNgrams(low, high)


_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)


@dataclass(frozen=True)
class CharNgramHasher:
    """Counts of hashed :class:`CharNgrams`, computed with numpy over the code points of all the
    texts at once rather than string by string: the same n-grams as the analyser, each hashed
    (FNV-1a over its code points, seeded by its length, then mixed) into ``n_features`` columns.

    On the full ESCO catalogue this is what made the index build fit its time budget: the
    per-string analyser and scikit-learn's hashing of its output took about 20 of 30 seconds.
    """

    low: int
    high: int
    n_features: int

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """texts x features, float32 counts, canonical (summed duplicates, sorted indices)."""
        padded = [f" {text} " for text in texts]
        lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
        # surrogatepass: a lone surrogate (never left by `fold`, but possible in raw text) is one code point too.
        codes = np.frombuffer("".join(padded).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64)
        starts = np.cumsum(lengths) - lengths
        rows, features = [], []
        for n in range(self.low, self.high + 1):
            counts = np.maximum(lengths - n + 1, 0)
            total = int(counts.sum())
            positions = np.repeat(starts - np.cumsum(counts) + counts, counts) + np.arange(total)
            hashed = np.full(total, _FNV_OFFSET ^ np.uint64(n), dtype=np.uint64)
            for k in range(n):
                hashed ^= codes[positions + k]
                hashed *= _FNV_PRIME
            hashed ^= hashed >> np.uint64(31)
            hashed *= _MIX
            hashed ^= hashed >> np.uint64(29)
            features.append((hashed % np.uint64(self.n_features)).astype(np.int32))
            rows.append(np.repeat(np.arange(len(padded), dtype=np.int32), counts))
        row, column = np.concatenate(rows), np.concatenate(features)
        ones = np.ones(row.size, dtype=np.float32)
        matrix = sp.coo_matrix((ones, (row, column)), shape=(len(padded), self.n_features)).tocsr()
        matrix.sum_duplicates()  # also sorts each row's indices
        return matrix


def prefix_analyser(length: int) -> Callable[[str], list[str]]:
    """Word tokens cut to ``length`` characters: a language-neutral stand-in for stemming."""

    def analyse(text: str) -> list[str]:
        return [token[:length] for token in text.split()]

    return analyse


_SLICE = 50_000
"""Texts hashed at a time: the hashing transform's transient per-document buffers stay small."""
_CHUNK = 1 << 20
"""Stored entries processed at a time when weighting and transposing (bounded temporaries)."""


def _hash(
    vectoriser: HashingVectorizer | CharNgramHasher, texts: Sequence[str], n_features: int, sizes: int
) -> sp.csr_matrix:
    """Hash ``texts`` a slice at a time straight into one CSR matrix.

    Each slice is copied and released before the next is hashed, so the allocator reuses one
    slice's memory instead of holding them all (half a million labels: hundreds of MB). The
    output is allocated once for an upper bound of the entries (a text of L characters yields at
    most 3L + 4 tokens per n-gram size with our analysers); pages past the real end are never
    touched, and the arrays are shrunk in place at the end.
    """
    bound = sum(3 * len(text) + 4 for text in texts) * sizes
    data = np.empty(bound, dtype=np.float32)
    indices = np.empty(bound, dtype=np.int32)
    indptr = [np.zeros(1, dtype=np.int64)]
    offset = 0
    for start in range(0, len(texts), _SLICE):
        part = vectoriser.transform(texts[start : start + _SLICE])
        if offset + part.nnz > data.size:  # an analyser beyond the bound: grow (copies)
            data = np.concatenate([data[:offset], np.empty(part.nnz + data.size, dtype=np.float32)])
            indices = np.concatenate([indices[:offset], np.empty(part.nnz + indices.size, dtype=np.int32)])
        data[offset : offset + part.nnz] = part.data
        indices[offset : offset + part.nnz] = part.indices
        indptr.append(part.indptr[1:].astype(np.int64) + offset)
        offset += part.nnz
        del part
    data.resize(offset, refcheck=False)
    indices.resize(offset, refcheck=False)
    return sp.csr_matrix((data, indices, np.concatenate(indptr)), shape=(len(texts), n_features))


def _row_chunks(indptr: NDArray[np.integer]) -> list[tuple[int, int]]:
    """Consecutive row ranges [row, end) of a CSR matrix holding about ``_CHUNK`` entries each."""
    n_rows = indptr.size - 1
    chunks = []
    row = 0
    while row < n_rows:
        end = int(np.searchsorted(indptr, indptr[row] + _CHUNK, side="right")) - 1
        end = min(max(end, row + 1), n_rows)
        chunks.append((row, end))
        row = end
    return chunks


def _transpose_pruned(matrix: sp.csr_matrix, keep: NDArray[np.bool_]) -> sp.csr_matrix:
    """features x rows: the transpose of ``matrix`` restricted to the features in ``keep``.

    A counting sort, one chunk of rows at a time, straight into the output arrays: no copy of
    the pruned matrix and no row-index array as long as the whole matrix. Each feature's row
    lists elements in ascending order, as scipy's own conversion would.
    """
    n_rows, n_features = matrix.shape
    indptr, indices, data = matrix.indptr, matrix.indices, matrix.data
    per_feature = np.zeros(n_features, dtype=np.int64)
    for start in range(0, indices.size, _CHUNK):
        part = indices[start : start + _CHUNK]
        per_feature += np.bincount(part[keep[part]], minlength=n_features)
    out_ptr = np.zeros(n_features + 1, dtype=np.int64)
    np.cumsum(per_feature, out=out_ptr[1:])
    del per_feature
    out_rows = np.empty(int(out_ptr[-1]), dtype=np.int32)
    out_data = np.empty(int(out_ptr[-1]), dtype=np.float32)
    fill = out_ptr[:-1].copy()
    lengths = np.diff(indptr)
    for row, end in _row_chunks(indptr):
        lo, hi = int(indptr[row]), int(indptr[end])
        features = indices[lo:hi]
        chosen = keep[features]
        features = features[chosen]
        if features.size == 0:
            continue
        rows = np.repeat(np.arange(row, end, dtype=np.int32), lengths[row:end])[chosen]
        values = data[lo:hi][chosen]
        # Sort by feature, keeping row order within one: one sort of (feature, position) keys
        # (faster than numpy's stable sort on int32).
        keys = np.sort((features.astype(np.int64) << 32) | np.arange(features.size, dtype=np.int64))
        order = keys & 0xFFFFFFFF
        features, rows, values = (keys >> 32).astype(np.int32), rows[order], values[order]
        firsts = np.flatnonzero(np.r_[True, features[1:] != features[:-1]])
        sizes = np.diff(np.r_[firsts, features.size])
        slots = fill[features] + (np.arange(features.size) - np.repeat(firsts, sizes))
        out_rows[slots] = rows
        out_data[slots] = values
        fill[features[firsts]] += sizes
    return sp.csr_matrix((out_data, out_rows, out_ptr), shape=(n_features, n_rows))


class SparseRow(NamedTuple):
    """One row of a CSR matrix as views of its arrays: cheaper than scipy's row slicing, which
    checks more than it copies when a query's rows are read one at a time."""

    indices: NDArray[np.int32]
    data: NDArray[np.float32]

    @property
    def nnz(self) -> int:
        return int(self.indices.size)


def rows_of(matrix: sp.csr_matrix) -> list[SparseRow]:
    """Every row of ``matrix`` as a :class:`SparseRow` (views, no copies)."""
    indptr = matrix.indptr
    return [
        SparseRow(matrix.indices[indptr[i] : indptr[i + 1]], matrix.data[indptr[i] : indptr[i + 1]])
        for i in range(matrix.shape[0])
    ]


@dataclass
class TextSpace:
    """A hashed, sublinear TF-IDF space over already folded texts, with a pruned inverted index.

    Hashing avoids a vocabulary dict (memory, build time) on half a million labels. The inverted
    index leaves out features found in more than ``posting_cap`` elements: common n-grams
    ("er", "an") would otherwise make every query touch the whole catalogue. Exact cosines for
    chosen elements come from the full matrix.
    """

    vectoriser: HashingVectorizer | CharNgramHasher
    idf: NDArray[np.float32]
    matrix: sp.csr_matrix
    """elements x features, rows l2-normalised."""
    postings: sp.csr_matrix
    """features x elements, without the features of more than ``posting_cap`` elements."""

    @classmethod
    def fit(
        cls, texts: Sequence[str], analyzer: str | Callable[[str], list[str]], ngram_range: tuple[int, int],
        posting_cap: int, n_features: int = 2**21,
    ) -> TextSpace:
        """Weight ``texts`` and index them; ``analyzer`` is "char_wb" or a callable tokeniser."""
        vectoriser: HashingVectorizer | CharNgramHasher
        if isinstance(analyzer, CharNgrams):
            vectoriser = CharNgramHasher(analyzer.low, analyzer.high, n_features)
        else:
            vectoriser = HashingVectorizer(
                analyzer=analyzer,  # type: ignore[arg-type]
                ngram_range=ngram_range,
                n_features=n_features,
                alternate_sign=False,
                norm=None,
                lowercase=False,
                dtype=np.float32,
            )
        counts = _hash(vectoriser, texts, n_features, ngram_range[1] - ngram_range[0] + 1)
        df = np.bincount(counts.indices, minlength=n_features)
        idf = (np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0).astype(np.float32)
        space = cls(vectoriser, idf, counts, counts)
        space.matrix = space._weigh(counts)
        # Common features (df above the cap) stay in the exact matrix but not in the recall index:
        # their postings are long and their weight (idf) small.
        space.postings = _transpose_pruned(space.matrix, df <= posting_cap)
        return space

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF x IDF with l2-normalised rows, in place, a chunk of rows at a time (no
        temporary as long as the matrix on a catalogue of half a million labels)."""
        data, indices, indptr = counts.data, counts.indices, counts.indptr
        for row, end in _row_chunks(indptr):
            lo, hi = int(indptr[row]), int(indptr[end])
            part = data[lo:hi]
            np.log(part, out=part)
            part += np.float32(1.0)
            part *= self.idf[indices[lo:hi]]
            lengths = np.diff(indptr[row : end + 1])
            nonempty = lengths > 0
            norms = np.ones(end - row, dtype=np.float32)
            if hi > lo:
                norms[nonempty] = np.sqrt(np.add.reduceat(part * part, (indptr[row:end] - lo)[nonempty]))
            part /= np.repeat(norms, lengths)
        return counts

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """L2-normalised TF-IDF rows for folded texts (unseen features weigh as rare ones)."""
        return self._weigh(sp.csr_matrix(self.vectoriser.transform(texts)))

    def recall(self, queries: sp.csr_matrix) -> sp.csr_matrix:
        """Approximate cosines of each query row with every element, from the pruned index."""
        return sp.csr_matrix(queries @ self.postings)

    def exact(self, query: SparseRow, elements: NDArray[np.int32]) -> NDArray[np.float32]:
        """Exact cosines of one query row (sorted indices) with the given elements."""
        if query.nnz == 0 or len(elements) == 0:
            return np.zeros(len(elements), dtype=np.float32)
        # The rows' entries gathered straight from the CSR arrays (scipy's row indexing costs
        # more in checks than in copying for a few hundred rows).
        indptr = self.matrix.indptr
        starts = indptr[elements]
        lengths = indptr[np.asarray(elements) + 1] - starts
        total = int(lengths.sum())
        if total == 0:
            return np.zeros(len(elements), dtype=np.float32)
        flat = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        features, values = self.matrix.indices[flat], self.matrix.data[flat]
        # Join the rows' features with the query's by binary search: O(nnz) and no transpose
        # of a two-million-column vector.
        positions = np.minimum(np.searchsorted(query.indices, features), query.nnz - 1)
        products = np.where(query.indices[positions] == features, values * query.data[positions], 0)
        rows = np.repeat(np.arange(len(elements)), lengths)
        return np.bincount(rows, weights=products, minlength=len(elements)).astype(np.float32)
