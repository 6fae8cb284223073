"""Skill-to-skill similarity derived from the taxonomy, as a sparse matrix.

Built once by a pure function from the ESCO skill hierarchy (skill, broader) pairs and the
occupation-skill rows; matching uses it to give partial credit for a related skill she has.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

PARENT_WEIGHT = 0.6
"""A skill and its broader skill: knowing one says a good deal about the other."""
SIBLING_WEIGHT = 0.4
"""Skills under the same broader concept: related, but a weaker signal than parent/child."""
MAX_SIBLING_GROUP = 40
"""Broad groups (hundreds of children) say little about any pair; siblings only count in small groups."""
COOCCURRENCE_WEIGHT = 0.6
"""Scale for skills the same occupations ask for together (cosine of their occupation profiles)."""
MIN_COSINE = 0.35
TOP_COOCCURRING = 10


@dataclass(frozen=True)
class SkillSimilarity:
    """``matrix[i, j]`` in (0, 1): partial credit for requirement j when she has skill i.

    ``vocab`` maps skill URI to row/column; the diagonal is empty (an exact match is full credit
    and handled separately).
    """

    vocab: dict[str, int]
    matrix: sp.csr_matrix

    @property
    def size(self) -> int:
        """Number of skills the matrix covers."""
        return len(self.vocab)

    def related(self, uri: str) -> dict[str, float]:
        """Skills related to ``uri`` with their weights (empty for an unknown skill)."""
        row = self.vocab.get(uri)
        if row is None:
            return {}
        uris = list(self.vocab)
        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        pairs = zip(self.matrix.indices[start:end], self.matrix.data[start:end], strict=True)
        return {uris[j]: float(w) for j, w in pairs}


def empty_similarity() -> SkillSimilarity:
    """No related skills at all: only exact matches earn credit."""
    return SkillSimilarity({}, sp.csr_matrix((0, 0)))


def build_skill_similarity(
    broader_pairs: Iterable[tuple[str, str]],
    occupation_skills: Iterable[tuple[str, str, str]],
) -> SkillSimilarity:
    """Similarity from hierarchy and co-occurrence; the weight of a pair is the strongest signal.

    ``broader_pairs`` are (skill, broader concept); ``occupation_skills`` are
    (occupation, skill, "essential" | "optional"). Essential relations count double in the
    co-occurrence profiles because they say more about what the job is.
    """
    vocab: dict[str, int] = {}

    def idx(uri: str) -> int:
        return vocab.setdefault(uri, len(vocab))

    child_idx, parent_idx = [], []
    for skill, broader in broader_pairs:
        child_idx.append(idx(skill))
        parent_idx.append(idx(broader))
    occupations: dict[str, int] = {}
    occ_rows, occ_cols, occ_vals = [], [], []
    for occupation, skill, relation in occupation_skills:
        occ_rows.append(occupations.setdefault(occupation, len(occupations)))
        occ_cols.append(idx(skill))
        occ_vals.append(1.0 if relation == "essential" else 0.5)
    n = len(vocab)
    parts = [_hierarchy(np.array(child_idx, dtype=np.int64), np.array(parent_idx, dtype=np.int64), n)]
    if occ_rows:
        profile = sp.csr_matrix((occ_vals, (occ_rows, occ_cols)), shape=(len(occupations), n))
        parts.append(_cooccurrence(profile))
    matrix = parts[0]
    for part in parts[1:]:
        matrix = matrix.maximum(part)
    matrix = sp.csr_matrix(matrix)
    matrix.setdiag(0.0)
    matrix.eliminate_zeros()
    matrix.sort_indices()
    return SkillSimilarity(vocab, matrix)


def _hierarchy(child: np.ndarray, parent: np.ndarray, n: int) -> sp.csr_matrix:
    up = sp.csr_matrix((np.full(len(child), PARENT_WEIGHT), (child, parent)), shape=(n, n))
    both = up.maximum(up.T)
    # siblings: C = A A^T over the child->parent incidence, restricted to small groups
    group_sizes = np.bincount(parent, minlength=n)
    small = group_sizes[parent] <= MAX_SIBLING_GROUP
    incidence = sp.csr_matrix((np.ones(int(small.sum())), (child[small], parent[small])), shape=(n, n))
    siblings = (incidence @ incidence.T).tocsr()
    siblings.data = np.full_like(siblings.data, SIBLING_WEIGHT)
    return sp.csr_matrix(both.maximum(siblings))


def _cooccurrence(profile: sp.csr_matrix) -> sp.csr_matrix:
    by_skill = sp.csr_matrix(profile.T)
    norms = np.sqrt(np.asarray(by_skill.multiply(by_skill).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    unit = sp.csr_matrix(sp.diags(1.0 / norms) @ by_skill)
    cosine = (unit @ unit.T).tocsr()
    cosine.setdiag(0.0)
    cosine.eliminate_zeros()
    cosine.data[cosine.data < MIN_COSINE] = 0.0
    cosine.eliminate_zeros()
    # keep each skill's strongest neighbours so the matrix stays small and the credit meaningful
    rows, cols, vals = [], [], []
    for i in range(cosine.shape[0]):
        start, end = cosine.indptr[i], cosine.indptr[i + 1]
        if start == end:
            continue
        data = cosine.data[start:end]
        keep = np.argsort(-data, kind="stable")[:TOP_COOCCURRING]
        rows.append(np.full(len(keep), i))
        cols.append(cosine.indices[start:end][keep])
        vals.append(data[keep] * COOCCURRENCE_WEIGHT)
    if not rows:
        return sp.csr_matrix(cosine.shape)
    top = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=cosine.shape)
    return sp.csr_matrix(top.maximum(top.T))
