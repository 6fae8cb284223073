"""Weekly timetables as 336 half-hour slots packed into bytes and into six 64-bit words.

A week is 7 days x 48 half-hour slots; slot ``day * 48 + half_hour`` with Monday = day 0 and
half_hour 0 = 00:00-00:30. Records carry a week as 42 bytes (``numpy.packbits`` order, big-endian
within each byte) so they stay plain and serialisable; the index stores the same bits as six
``uint64`` words per row so overlap, containment and night checks are whole-catalogue bitwise
operations.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

SLOTS_PER_DAY = 48
DAYS = 7
SLOTS = SLOTS_PER_DAY * DAYS
WEEK_BYTES = SLOTS // 8
WORDS = 6  # 336 bits fit in 6 x 64; the last 48 bits of the last word stay zero
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

BoolWeek = npt.NDArray[np.bool_]
WordWeek = npt.NDArray[np.uint64]

EMPTY_WEEK = bytes(WEEK_BYTES)


def _slot(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 2 + int(minutes) // 30


def week_from_ranges(ranges: Iterable[tuple[int, str, str]]) -> bytes:
    """Pack ``(day, "HH:MM", "HH:MM")`` ranges into 42 bytes.

    The end is exclusive and ``"24:00"`` means midnight; a range whose end is before its start runs
    past midnight into the next day (Sunday wraps to Monday), as night shifts do.
    """
    bits = np.zeros(SLOTS, dtype=bool)
    for day, start, end in ranges:
        first, last = day * SLOTS_PER_DAY + _slot(start), day * SLOTS_PER_DAY + _slot(end)
        if last <= first:
            last += SLOTS_PER_DAY
        bits[np.arange(first, last) % SLOTS] = True
    return pack_week(bits)


def pack_week(bits: BoolWeek) -> bytes:
    """Pack 336 booleans (or a 7x48 array) into the 42-byte record form."""
    flat = np.asarray(bits, dtype=bool).reshape(SLOTS)
    return np.packbits(flat).tobytes()


def unpack_week(week: bytes) -> BoolWeek:
    """Unpack a 42-byte week into 336 booleans; an empty ``bytes`` means no slots."""
    if not week:
        return np.zeros(SLOTS, dtype=bool)
    if len(week) != WEEK_BYTES:
        raise ValueError(f"a week is {WEEK_BYTES} bytes, got {len(week)}")
    return np.unpackbits(np.frombuffer(week, dtype=np.uint8))[:SLOTS].astype(bool)


def to_words(week: bytes) -> WordWeek:
    """The six uint64 words holding a week's bits (slot i is bit i % 64 of word i // 64)."""
    bits = np.zeros(WORDS * 64, dtype=bool)
    bits[:SLOTS] = unpack_week(week)
    # little bit order within each word so that slot i maps to value 1 << (i % 64)
    packed = np.packbits(bits.reshape(WORDS, 64)[:, ::-1], axis=1)
    return packed.view(">u8").astype(np.uint64).reshape(WORDS)


def popcount(words: WordWeek) -> npt.NDArray[np.int64]:
    """Number of set slots along the last axis."""
    return np.bitwise_count(words).sum(axis=-1, dtype=np.int64)


def dilate(words: WordWeek, slots: int) -> WordWeek:
    """Widen every busy period by ``slots`` half-hours on both sides (travel before and after).

    Works on one week or a stack of weeks; the week wraps around (Sunday night meets Monday).
    """
    if slots <= 0:
        return words
    if words.ndim == 1:
        return _dilate_one(words, slots)
    bits = np.unpackbits(words.astype(">u8").view(np.uint8).reshape(*words.shape[:-1], WORDS, 8), axis=-1)
    # undo the per-word byte/bit order to get slot order, roll, and pack back the same way
    lead = words.shape[:-1]
    slot_bits = bits.reshape(*lead, WORDS, 64)[..., ::-1].reshape(*lead, -1)[..., :SLOTS]
    out = slot_bits.copy()
    for shift in range(1, slots + 1):
        out |= np.roll(slot_bits, shift, axis=-1) | np.roll(slot_bits, -shift, axis=-1)
    full = np.zeros((*words.shape[:-1], WORDS * 64), dtype=np.uint8)
    full[..., :SLOTS] = out
    repacked = np.packbits(full.reshape(*words.shape[:-1], WORDS, 64)[..., ::-1], axis=-1)
    return repacked.view(">u8").astype(np.uint64).reshape(words.shape)


def night_words() -> WordWeek:
    """Slots between 22:00 and 06:00 on every day: the definition of night work."""
    return to_words(week_from_ranges((day, "22:00", "06:00") for day in range(DAYS)))


def days_of(week_words: WordWeek) -> list[str]:
    """Names of the days on which a week has any slot, for explanations ("Tuesday/Thursday")."""
    bits = unpack_week(from_words(week_words)).reshape(DAYS, SLOTS_PER_DAY)
    return [DAY_NAMES[d] for d in range(DAYS) if bits[d].any()]


def from_words(words: WordWeek) -> bytes:
    """Inverse of :func:`to_words`."""
    big_endian = np.asarray(words, dtype=np.uint64).astype(">u8").view(np.uint8)
    bits = np.unpackbits(big_endian.reshape(WORDS, 8), axis=1)
    return pack_week(bits.reshape(WORDS, 64)[:, ::-1].reshape(-1)[:SLOTS].astype(bool))


_FULL = (1 << SLOTS) - 1


def _dilate_one(words: WordWeek, slots: int) -> WordWeek:
    # one week as a 336-bit Python int: a handful of shifts beats unpacking to bits
    week = 0
    for i, word in enumerate(words.tolist()):
        week |= int(word) << (64 * i)
    out = week
    for shift in range(1, slots + 1):
        out |= ((week << shift) | (week >> (SLOTS - shift))) & _FULL
        out |= (week >> shift) | ((week << (SLOTS - shift)) & _FULL)
    return np.array([(out >> (64 * i)) & 0xFFFFFFFFFFFFFFFF for i in range(WORDS)], dtype=np.uint64)
