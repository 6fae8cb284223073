"""Columnar index of opportunities: numpy arrays built once, updated one row at a time.

Every column has one entry per row; a removed opportunity leaves a dead row that the next add
reuses, so add, update and remove cost O(row width), never a rebuild. Variable-length fields
(skills, language requirements) are padded with -1 to the widest row seen; a wider row widens the
column once (amortised, like a list growing).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import msgspec
import numpy as np
import numpy.typing as npt

from matching.schedule import WORDS, night_words, popcount, to_words
from matching.similarity import SkillSimilarity
from matching.types import CEFR_ORDER, KINDS, Opportunity

KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
NO_VALUE = -1
STATIC_PASS = -1
NOT_PUBLISHED, NOT_VETTED, NO_PLACES = 0, 1, 2
"""Reasons that do not depend on the survivor; their codes are the first three of filters.REASONS."""
PRIMARY_KINDS = (KIND_CODE["job"], KIND_CODE["course"], KIND_CODE["language_class"])
"""Childcare is never suggested on its own; it enters as part of a bundle."""
NIGHT = night_words()


class Vocab:
    """String to dense integer code, growing as new strings arrive."""

    def __init__(self, seed: dict[str, int] | None = None) -> None:
        self.codes: dict[str, int] = dict(seed or {})
        self.names: list[str] = sorted(self.codes, key=self.codes.__getitem__)

    def code(self, name: str | None) -> int:
        """The code for ``name``, creating one if new; None maps to -1."""
        if name is None:
            return NO_VALUE
        found = self.codes.get(name)
        if found is None:
            found = self.codes[name] = len(self.names)
            self.names.append(name)
        return found

    def lookup(self, name: str) -> int:
        """The code for ``name`` without creating one (-1 when unknown)."""
        return self.codes.get(name, NO_VALUE)

    def __len__(self) -> int:
        return len(self.names)


_SCALARS: dict[str, tuple[type, object]] = {
    "alive": (np.bool_, False),
    "static_reason": (np.int8, NOT_PUBLISHED),
    "night": (np.bool_, False),
    "primary": (np.bool_, False),
    "kind": (np.int8, NO_VALUE),
    "vetted": (np.bool_, False),
    "published": (np.bool_, False),
    "capacity": (np.int32, 0),
    "women_only": (np.bool_, False),
    "informal": (np.bool_, False),
    "region": (np.int32, NO_VALUE),
    "lat": (np.float64, 0.0),
    "lon": (np.float64, 0.0),
    "start_day": (np.int32, 0),
    "occupation": (np.int32, NO_VALUE),
    "sector": (np.int32, NO_VALUE),
    "n_essential": (np.int16, 0),
    "n_optional": (np.int16, 0),
    "n_slots": (np.int16, 0),
    "pay": (np.float64, np.nan),
    "currency": (np.int32, NO_VALUE),
    "course_level": (np.int8, 0),
    "class_language": (np.int32, NO_VALUE),
    "class_from": (np.int8, 0),
    "class_to": (np.int8, 0),
    "age_min": (np.int16, 0),
    "age_max": (np.int16, -1),
    "pattern": (np.int32, 0),
    "seq": (np.int64, 0),
    "reqset": (np.int32, 0),
}
_PADDED = {"essential": np.int32, "optional": np.int32, "lang": np.int32, "lang_level": np.int8}


@dataclass(frozen=True)
class OpenRows:
    """Rows that pass every survivor-independent filter, sorted by latitude.

    Sorting lets a survivor's reach become one ``searchsorted`` slice instead of a pass over the
    catalogue; ``region_primary`` counts open primary rows per region so that exclusions outside
    the slice are still counted exactly.
    """

    rows: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    primary: npt.NDArray[np.bool_]
    region: npt.NDArray[np.int32]
    region_primary: npt.NDArray[np.int64]
    n_primary: int
    counts: dict[int, int]  # excluded primary rows per static reason code


class OpportunityIndex:
    """Published-catalogue columns for vectorised filtering and scoring.

    Skill codes share the similarity matrix's vocabulary so a survivor's credit vector indexes
    both; skills unknown to the taxonomy get new codes past the matrix (exact matches only).
    """

    def __init__(self, similarity: SkillSimilarity, capacity: int = 1024) -> None:
        self.similarity = similarity
        self.skills = Vocab(similarity.vocab)
        self.regions, self.occupations, self.sectors = Vocab(), Vocab(), Vocab()
        self.languages, self.currencies = Vocab(), Vocab()
        self.ids: list[str | None] = []
        self.titles: list[str] = []
        self.records: list[Opportunity | None] = []
        self.row_of: dict[str, int] = {}
        self._free: list[int] = []
        self._next_seq = 0
        self._cap = 0
        self._version = 0
        self._static: tuple[int, OpenRows] | None = None
        self.cols: dict[str, npt.NDArray[Any]] = {}
        self._grow(max(capacity, 16))
        for name, dtype in _PADDED.items():
            self.cols[name] = np.full((self._cap, 1), NO_VALUE, dtype=dtype)
        self.schedule = np.zeros((self._cap, WORDS), dtype=np.uint64)
        # distinct weekly timetables: catalogues repeat a few shift patterns, so per-survivor
        # timetable work runs over the patterns once and reaches rows by a gather
        self.pattern_of: dict[bytes, int] = {}
        self.pattern_words = np.zeros((16, WORDS), dtype=np.uint64)
        # distinct sets of language requirements, likewise few: language checks run per set
        self.reqset_of: dict[tuple[tuple[int, int], ...], int] = {(): 0}
        self._reqset_arrays: tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]] | None = None

    # ------------------------------------------------------------------ size and storage

    @property
    def n_rows(self) -> int:
        """Rows in use, dead ones included; column slices ``[:n_rows]`` cover the catalogue."""
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.row_of)

    def col(self, name: str) -> npt.NDArray[Any]:
        """Column ``name`` over the used rows (a view, not a copy)."""
        return self.cols[name][: self.n_rows]

    def _grow(self, new_cap: int) -> None:
        for name, (dtype, fill) in _SCALARS.items():
            fresh: npt.NDArray[Any] = np.full(new_cap, fill, dtype=dtype)
            if name in self.cols:
                fresh[: self._cap] = self.cols[name]
            self.cols[name] = fresh
        for name in _PADDED:
            if name in self.cols:
                old = self.cols[name]
                fresh = np.full((new_cap, old.shape[1]), NO_VALUE, dtype=old.dtype)
                fresh[: self._cap] = old
                self.cols[name] = fresh
        if hasattr(self, "schedule"):
            fresh_s = np.zeros((new_cap, WORDS), dtype=np.uint64)
            fresh_s[: self._cap] = self.schedule
            self.schedule = fresh_s
        self._cap = new_cap

    def static_ok(self) -> OpenRows:
        """Rows open to anyone (alive, published, vetted, places left) and counts of the others.

        Cached until the next change (one pass over the columns), so repeated requests start from
        contiguous copies of just the open rows.
        """
        if self._static is None or self._static[0] != self._version:
            reason = self.col("static_reason")
            alive = self.col("alive")
            # only primary kinds are counted as excluded; childcare is never a suggestion on its own
            failing = alive & self.col("primary") & (reason != STATIC_PASS)
            tally = np.bincount(reason[failing], minlength=3)
            counts = {code: int(n) for code, n in enumerate(tally) if n}
            rows = np.flatnonzero(reason == STATIC_PASS)
            # order among equal latitudes is irrelevant, so the fast unstable sort will do
            rows = rows[np.argsort(self.col("lat")[rows])]
            primary = self.col("primary")[rows]
            region = self.col("region")[rows]
            open_rows = OpenRows(
                rows=rows,
                lat=self.col("lat")[rows],
                lon=self.col("lon")[rows],
                primary=primary,
                region=region,
                region_primary=np.bincount(region[primary], minlength=len(self.regions) + 1),
                n_primary=int(primary.sum()),
                counts=counts,
            )
            self._static = (self._version, open_rows)
        return self._static[1]

    def patterns(self) -> npt.NDArray[np.uint64]:
        """The distinct timetables seen so far (patterns x WORDS); column ``pattern`` indexes it."""
        return self.pattern_words[: len(self.pattern_of)]

    def reqsets(self) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """Language codes and CEFR levels of each distinct requirement set (sets x widest, -1 padded);
        column ``reqset`` indexes them."""
        if self._reqset_arrays is None or len(self._reqset_arrays[0]) != len(self.reqset_of):
            width = max((len(key) for key in self.reqset_of), default=0) or 1
            langs = np.full((len(self.reqset_of), width), NO_VALUE, dtype=np.int32)
            levels = np.zeros((len(self.reqset_of), width), dtype=np.int64)
            for key, code in self.reqset_of.items():
                for slot, (lang, level) in enumerate(key):
                    langs[code, slot], levels[code, slot] = lang, level
            self._reqset_arrays = (langs, levels)
        return self._reqset_arrays

    def _reqset(self, key: tuple[tuple[int, int], ...]) -> int:
        code = self.reqset_of.get(key)
        if code is None:
            code = self.reqset_of[key] = len(self.reqset_of)
        return code

    def _pattern(self, words: npt.NDArray[np.uint64]) -> int:
        key = words.tobytes()
        code = self.pattern_of.get(key)
        if code is None:
            code = self.pattern_of[key] = len(self.pattern_of)
            if code >= len(self.pattern_words):
                wider = np.zeros((2 * len(self.pattern_words), WORDS), dtype=np.uint64)
                wider[:code] = self.pattern_words[:code]
                self.pattern_words = wider
            self.pattern_words[code] = words
        return code

    def _set_padded(self, name: str, row: int, values: list[int]) -> None:
        column = self.cols[name]
        if len(values) > column.shape[1]:
            wider = np.full((self._cap, len(values)), NO_VALUE, dtype=column.dtype)
            wider[:, : column.shape[1]] = column
            self.cols[name] = column = wider
        column[row] = NO_VALUE
        column[row, : len(values)] = values

    # ------------------------------------------------------------------ updates

    def add(self, opportunity: Opportunity, seq: int | None = None) -> int:
        """Insert or replace one opportunity; returns its row.

        ``seq`` is its place in catalogue order (ties between equally near bundle parts go to the
        earlier one); a new opportunity comes after every other unless told, a replaced one keeps
        its place.
        """
        row = self.row_of.get(opportunity.id)
        if row is None:
            if seq is None:
                seq = self._next_seq
            self._next_seq = max(self._next_seq, seq + 1)
            if self._free:
                row = self._free.pop()
            else:
                row = self.n_rows
                if row >= self._cap:
                    self._grow(self._cap * 2)
                self.ids.append(None)
                self.titles.append("")
                self.records.append(None)
            self.row_of[opportunity.id] = row
            self.cols["seq"][row] = seq
        self._write(row, opportunity)
        return row

    update = add

    def remove(self, opportunity_id: str) -> bool:
        """Drop an opportunity (closed, withdrawn); returns False if it was not indexed."""
        row = self.row_of.pop(opportunity_id, None)
        if row is None:
            return False
        self.cols["alive"][row] = False
        self.cols["static_reason"][row] = NOT_PUBLISHED
        self._version += 1
        self.ids[row] = None
        self.records[row] = None
        self._free.append(row)
        return True

    def set_capacity(self, opportunity_id: str, capacity_left: int) -> None:
        """Cheap path for the most frequent change: a place was taken or freed."""
        row = self.row_of[opportunity_id]
        self.cols["capacity"][row] = capacity_left
        self._set_static(row)
        record = self.records[row]
        if record is not None:
            self.records[row] = _replace_capacity(record, capacity_left)

    def _write(self, row: int, opp: Opportunity) -> None:
        c = self.cols
        c["alive"][row] = True
        c["kind"][row] = KIND_CODE[opp.kind]
        c["vetted"][row] = opp.partner_vetted
        c["published"][row] = opp.status == "published"
        c["capacity"][row] = opp.capacity_left
        c["women_only"][row] = opp.women_only
        c["informal"][row] = opp.contract == "informal"
        c["region"][row] = self.regions.code(opp.region)
        c["lat"][row], c["lon"][row] = opp.lat, opp.lon
        c["start_day"][row] = opp.start_date.toordinal()
        c["occupation"][row] = self.occupations.code(opp.occupation_uri)
        c["sector"][row] = self.sectors.code(opp.sector)
        essential = _unique([self.skills.code(s) for s in opp.essential_skills])
        optional = _unique([self.skills.code(s) for s in opp.optional_skills])
        optional = [s for s in optional if s not in essential]
        self._set_padded("essential", row, essential)
        self._set_padded("optional", row, optional)
        c["n_essential"][row], c["n_optional"][row] = len(essential), len(optional)
        self._set_padded("lang", row, [self.languages.code(r.language) for r in opp.languages])
        self._set_padded("lang_level", row, [CEFR_ORDER[r.level] for r in opp.languages])
        c["reqset"][row] = self._reqset(
            tuple((self.languages.code(r.language), CEFR_ORDER[r.level]) for r in opp.languages)
        )
        self.schedule[row] = to_words(opp.schedule)
        c["n_slots"][row] = int(popcount(self.schedule[row]))
        c["pattern"][row] = self._pattern(self.schedule[row])
        c["pay"][row] = opp.pay.monthly if opp.pay else np.nan
        c["currency"][row] = self.currencies.code(opp.pay.currency if opp.pay else None)
        c["course_level"][row] = opp.course_level or 0
        lc = opp.language_class
        c["class_language"][row] = self.languages.code(lc.language) if lc else NO_VALUE
        c["class_from"][row] = CEFR_ORDER[lc.level_from] if lc else 0
        c["class_to"][row] = CEFR_ORDER[lc.level_to] if lc else 0
        c["age_min"][row] = opp.childcare.age_min if opp.childcare else 0
        c["age_max"][row] = opp.childcare.age_max if opp.childcare else -1
        c["night"][row] = bool(popcount(self.schedule[row] & NIGHT) > 0)
        c["primary"][row] = c["kind"][row] in PRIMARY_KINDS
        self._set_static(row)
        self.ids[row] = opp.id
        self.titles[row] = opp.title
        self.records[row] = opp

    def _set_static(self, row: int) -> None:
        c = self.cols
        c["static_reason"][row] = (
            NOT_PUBLISHED
            if not c["published"][row]
            else NOT_VETTED
            if not c["vetted"][row]
            else NO_PLACES
            if c["capacity"][row] <= 0
            else STATIC_PASS
        )
        self._version += 1


def build_index(similarity: SkillSimilarity, opportunities: list[Opportunity]) -> OpportunityIndex:
    """An index holding ``opportunities`` (sized once, so no intermediate growth).

    Rows are laid out by latitude, so the rows near one survivor sit close together in memory and
    the gathers of a query stream through a few pages instead of jumping across the whole
    catalogue; catalogue order is kept in the ``seq`` column for tie-breaks.
    """
    index = OpportunityIndex(similarity, capacity=max(len(opportunities), 16))
    for position in sorted(range(len(opportunities)), key=lambda i: (opportunities[i].lat, i)):
        index.add(opportunities[position], seq=position)
    return index


def _unique(codes: list[int]) -> list[int]:
    return list(dict.fromkeys(codes))


def _replace_capacity(record: Opportunity, capacity_left: int) -> Opportunity:
    return msgspec.structs.replace(record, capacity_left=capacity_left)


def day_number(day: date) -> int:
    """The index's representation of a date (proleptic ordinal)."""
    return day.toordinal()
