"""Finding and reading the files of an ESCO CSV export, with errors that name file and line.

Kept apart from :mod:`skills.esco` (which decides what the records mean) so that the reading
rules live in one place: which file names are recognised, plain or gzip, CRLF records with
multi-line quoted fields, header-based columns, and what counts as malformed.
"""

from __future__ import annotations

import csv
import gzip
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from skills.models import LABEL_LENGTH, URI_LENGTH

ISCO_BASE = "http://data.europa.eu/esco/isco/"
MULTILINGUAL_FILE = "occupation_labels_multilingual"
_FAMILIES = (
    "skills",
    "occupations",
    "ISCOGroups",
    "skillGroups",
    "occupationSkillRelations",
    "broaderRelationsOccPillar",
    "broaderRelationsSkillPillar",
    "skillsHierarchy",
)
_NAME = re.compile(rf"^(?P<family>{'|'.join(_FAMILIES)})_(?P<lang>[A-Za-z]{{2,3}}(?:-[A-Za-z]{{2,4}})?)\.csv(?:\.gz)?$")
_ISO_639_1 = re.compile(r"^[a-z]{2}$")
# Order matters: concepts before the links that refer to them, official per-language files
# before the multilingual file (which defers to their preferred labels), English first (the
# newest release in the shared data, so its attributes win over older translations').
_ORDER = {family: rank for rank, family in enumerate((*_FAMILIES, "multilingual"))}


class EscoFormatError(ValueError):
    """A malformed ESCO file: the message names the file and the (first physical) line."""

    def __init__(self, path: Path, line: int, reason: str) -> None:
        super().__init__(f"{path.name}, line {line}: {reason}")
        self.path = path
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class EscoFile:
    """A recognised file: its family (skills, occupations, ...) and language, if any."""

    path: Path
    family: str
    lang: str | None


def _language(raw: str) -> str | None:
    """ESCO names languages like "en" or "en-us"; we key labels by the ISO 639-1 part."""
    base = raw.lower().split("-")[0]
    return base if _ISO_639_1.match(base) else None


def discover(folder: Path) -> tuple[list[EscoFile], list[Path]]:
    """The ESCO files in ``folder`` in import order, and the other files (ignored)."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: not a folder")
    found: list[EscoFile] = []
    other: list[Path] = []
    for path in sorted(folder.iterdir()):
        if not path.is_file():
            continue
        match = _NAME.match(path.name)
        if match:
            lang = _language(match["lang"])
            if lang is None:
                raise EscoFormatError(path, 0, f"{match['lang']!r} in the file name is not an ISO 639-1 language")
            found.append(EscoFile(path, match["family"], lang))
        elif path.name in (f"{MULTILINGUAL_FILE}.csv", f"{MULTILINGUAL_FILE}.csv.gz"):
            found.append(EscoFile(path, "multilingual", None))
        else:
            other.append(path)
    found.sort(key=lambda f: (_ORDER[f.family], f.lang != "en", f.lang or "", f.path.name))
    return found, other


def kind_of_uri(uri: str) -> str:
    """The kind of concept an ESCO URI names, from its path (used for referenced concepts)."""
    if "/occupation/" in uri:
        return "occupation"
    if "/isco/" in uri:
        return "isco_group"
    if "/isced-f/" in uri or "/skill/S" in uri or "/skill/L" in uri or "/skill/T" in uri:
        return "skill_group"
    return "skill"


def split_labels(raw: str | None) -> list[str]:
    """Multi-valued ESCO fields hold one value per line (inside one quoted field)."""
    if not raw:
        return []
    return [part.strip() for part in raw.replace("\r\n", "\n").split("\n") if part.strip()]


class Record:
    """One CSV record, read by column name, with checks that report file and line."""

    __slots__ = ("_columns", "_path", "_values")

    def __init__(self, path: Path, columns: dict[str, int], values: Sequence[str]) -> None:
        self._path = path
        self._columns = columns
        self._values = values

    def get(self, column: str) -> str | None:
        index = self._columns.get(column)
        if index is None or index >= len(self._values):
            return None
        value = self._values[index].strip()
        return value or None

    def uri(self, column: str, line: int) -> str:
        value = self.get(column)
        if not value or not value.startswith(("http://", "https://")) or len(value) > URI_LENGTH or " " in value:
            raise EscoFormatError(self._path, line, f"{column} must be a concept URI, found {value!r:.80}")
        return value

    def check_label(self, value: str, column: str, line: int) -> str:
        if len(value) > LABEL_LENGTH:
            raise EscoFormatError(self._path, line, f"{column} is longer than {LABEL_LENGTH} characters")
        return value

    def label(self, column: str, line: int) -> str:
        value = self.get(column)
        if not value:
            raise EscoFormatError(self._path, line, f"{column} is empty")
        return self.check_label(value, column, line)

    def language(self, column: str, line: int) -> str:
        raw = self.get(column) or ""
        lang = _language(raw)
        if lang is None:
            raise EscoFormatError(self._path, line, f"{column} must be an ISO 639-1 code, found {raw!r:.20}")
        return lang


def read_records(
    source: EscoFile, required: Sequence[str], allow_short: bool = False
) -> Iterator[tuple[int, Record]]:
    """Yield (first line of the record, record) for every data record of ``source``.

    Raises :class:`EscoFormatError` for a missing required column, a record with more fields
    than the header (or fewer, unless ``allow_short``), broken quoting, bad UTF-8 or a
    corrupt gzip stream.
    """
    path = source.path
    line = 1
    try:
        handle = (
            gzip.open(path, "rt", encoding="utf-8", newline="")
            if path.name.endswith(".gz")
            else path.open("r", encoding="utf-8", newline="")
        )
        with handle:
            reader = csv.reader(handle, strict=True)
            header = next(reader, None)
            if header is None:
                raise EscoFormatError(path, 1, "the file is empty (no header)")
            header = [name.strip().lstrip("\ufeff") for name in header]
            missing = [name for name in required if name not in header]
            if missing:
                raise EscoFormatError(path, 1, f"missing column(s) {', '.join(missing)} in the header")
            columns = {name: index for index, name in enumerate(header)}
            width = len(header)
            line = reader.line_num + 1
            for values in reader:
                start, line = line, reader.line_num + 1
                if not values:
                    continue
                if len(values) > width or (len(values) < width and not allow_short):
                    raise EscoFormatError(path, start, f"expected {width} fields, found {len(values)}")
                yield start, Record(path, columns, values)
    except EscoFormatError:
        raise
    except csv.Error as exc:
        raise EscoFormatError(path, line, f"malformed CSV ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise EscoFormatError(path, line, "not valid UTF-8") from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise EscoFormatError(path, line, f"unreadable ({exc.__class__.__name__}: {exc})") from exc
