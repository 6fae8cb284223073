"""Sparse TF-IDF spaces over folded text (:mod:`skills.folding`): character n-grams hashed
with numpy, word prefixes, and the exact cosines the normaliser re-scores with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import HashingVectorizer


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
