"""Benchmark: vacancy screener detection rate and false-positive rate.

* Detection: the hand-written risky listings in tests/data/risky_listings.json (en, de, fr, it,
  es, ro, ru); a listing counts as detected when every rule it expects fires. The rules were
  tuned on this set, so it is a regression check; the separate held-out section (written after
  the rules were frozen) is the honest estimate of how the rules generalise.
* False positives: each of the 6,969 real English job-ad sentences in
  /work/shared/bench/job_ads/sentences.txt screened as a listing description under a neutral
  title; any hit on a sentence is a false positive.

    python bench/vetting.py [--sentences PATH]

The last line is machine-readable: ``detection <x>% false_positive <y>%``.
"""

from __future__ import annotations

import sys
from pathlib import Path as _Path

sys.path.insert(0, str(_Path(__file__).resolve().parent.parent))
import argparse
import csv
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench.machine_info import describe

# The project is installed in the venv (editable), so no sys.path juggling is needed.
from providers.rules import default_rulebook
from providers.screening import ListingText, ScreeningResult, screen

ROOT = Path(__file__).resolve().parent.parent
RISKY = ROOT / "tests" / "data" / "risky_listings.json"
SENTENCES = Path("/work/shared/bench/job_ads/sentences.txt")
ESCO = Path("/work/shared/data/esco")
NEUTRAL_TITLE = "Job vacancy"


def machine() -> str:
    """Where the figures come from (see bench/machine_info.py)."""
    return describe()


def _listing(entry: dict[str, Any]) -> ListingText:
    fields = dict(entry["listing"])
    fields["contact_channels"] = tuple(fields.get("contact_channels", ()))
    return ListingText(**fields)


def _row(*cells: object) -> str:
    return f"{cells[0]!s:<26}" + "".join(f"{c!s:>12}" for c in cells[1:])


def esco_flag_rates() -> list[tuple[str, int, int]]:
    """Flag rates on ESCO occupations, a non-English stand-in for real postings.

    Descriptions (en, fr, es) are screened as listings; labels (de, en, es, fr, it, ro) as
    titles. Not all are false positives: ESCO names escorts and striptease dancers too.
    """
    rows: list[tuple[str, int, int]] = []
    for language in ("en", "fr", "es"):
        path = ESCO / f"occupations_{language}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            entries = [(r["preferredLabel"], r["description"]) for r in csv.DictReader(fh)]
        hits = sum(not screen(ListingText(title=t, description=d)).clean for t, d in entries)
        rows.append((f"descriptions {language}", len(entries), hits))
    path = ESCO / "occupation_labels_multilingual.csv.gz"
    if path.exists():
        labels: dict[str, list[str]] = defaultdict(list)
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r["language"] in {"de", "en", "es", "fr", "it", "ro"} and "/occupation/" in r["conceptUri"]:
                    labels[r["language"]].append(r["label"])
        for language, titles in sorted(labels.items()):
            hits = sum(not screen(ListingText(title=t, description="")).clean for t in titles)
            rows.append((f"labels {language}", len(titles), hits))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=Path, default=SENTENCES)
    parser.add_argument("--show", type=int, default=10, help="false-positive sentences to print")
    parser.add_argument("--no-esco", action="store_true", help="skip the ESCO occupation flag rates")
    args = parser.parse_args()
    print(machine())

    t0 = time.perf_counter()
    book = default_rulebook()
    print(
        f"rules: {len(book.rules)} in catalogue, languages {', '.join(book.languages)}, "
        f"loaded in {(time.perf_counter() - t0) * 1000:.0f} ms"
    )

    data = json.loads(RISKY.read_text(encoding="utf-8"))
    per_language: dict[str, list[bool]] = defaultdict(list)
    expected_by_rule: Counter[str] = Counter()
    found_by_rule: Counter[str] = Counter()
    misses: list[str] = []
    for entry in data["risky"]:
        fired = screen(_listing(entry)).rule_ids
        expected = set(entry["expected"])
        per_language[entry["language"]].append(expected <= fired)
        expected_by_rule.update(expected)
        found_by_rule.update(expected & fired)
        if not expected <= fired:
            misses.append(f"  {entry['id']}: missing {sorted(expected - fired)}")
    clean_hits = sum(not screen(_listing(entry)).clean for entry in data["clean"])

    sentences = [s.strip() for s in args.sentences.read_text(encoding="utf-8").splitlines() if s.strip()]
    fp_by_rule: Counter[str] = Counter()
    flagged: list[tuple[str, ScreeningResult]] = []
    t0 = time.perf_counter()
    for sentence in tqdm(sentences, desc="job-ad sentences", file=sys.stderr, mininterval=1.0):
        result = screen(ListingText(title=NEUTRAL_TITLE, description=sentence))
        if not result.clean:
            flagged.append((sentence, result))
            fp_by_rule.update(result.rule_ids)
    elapsed = time.perf_counter() - t0

    print("\ndetection on risky listings (all expected rules fire)")
    print(_row("language", "listings", "detected", "rate"))
    for language, outcomes in sorted(per_language.items()):
        print(_row(language, len(outcomes), sum(outcomes), f"{sum(outcomes) / len(outcomes):.1%}"))
    print("\nper rule: recall on risky listings, false positives on real sentences")
    print(_row("rule", "expected", "fired", "recall", "false pos"))
    for rule_id in book.rules:
        n = expected_by_rule[rule_id]
        recall = f"{found_by_rule[rule_id] / n:.1%}" if n else "-"
        print(_row(rule_id, n, found_by_rule[rule_id], recall, fp_by_rule[rule_id]))
    if misses:
        print("\nmissed risky listings:\n" + "\n".join(misses))
    print(f"\nclean listings with any hit: {clean_hits} of {len(data['clean'])}")
    print(f"false-positive sentences (first {args.show}):")
    for sentence, result in flagged[: args.show]:
        print(f"  [{', '.join(sorted(result.rule_ids))}] {sentence[:140]}")
    print(f"speed: {len(sentences)} sentences in {elapsed:.2f} s ({elapsed / len(sentences) * 1e3:.3f} ms each)")

    holdout = data.get("holdout")
    if holdout:
        held_out = [(set(e["expected"]), screen(_listing(e)).rule_ids) for e in holdout["risky"]]
        rules_expected = sum(len(expected) for expected, _ in held_out)
        rules_found = sum(len(expected & fired) for expected, fired in held_out)
        print("\nheld-out listings (written after the rules were frozen; never tuned on)")
        print(_row("measure", "of", "count", "rate"))
        for name, total, count in (
            ("all expected rules", len(held_out), sum(e <= f for e, f in held_out)),
            ("rule-level recall", rules_expected, rules_found),
            ("listing flagged at all", len(held_out), sum(bool(f) for _, f in held_out)),
            ("clean flagged", len(holdout["clean"]), sum(not screen(_listing(e)).clean for e in holdout["clean"])),
        ):
            print(_row(name, total, count, f"{count / total:.1%}"))

    if not args.no_esco:
        print("\nflag rate on ESCO occupations (secondary; some are truly high-risk, e.g. escort)")
        print(_row("set", "items", "flagged", "rate"))
        for name, total, hits in esco_flag_rates():
            print(_row(name, total, hits, f"{hits / total:.2%}"))

    risky_total = sum(len(v) for v in per_language.values())
    detected = sum(sum(v) for v in per_language.values())
    print(f"risky listings: {risky_total}; real sentences: {len(sentences)}, flagged {len(flagged)}")
    print(f"detection {detected / risky_total * 100:.1f}% false_positive {len(flagged) / len(sentences) * 100:.2f}%")


if __name__ == "__main__":
    main()
