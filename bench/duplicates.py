"""Near-duplicates: how well ``mizan.assist.duplicates`` finds OHCHR's own clusters, and
how fast it groups 20,000 recommendations.

``.venv/bin/python bench/duplicates.py [--size 20000] [--json FILE]``

Ground truth: the OHCHR UPR matrix of China (2013 and 2018 cycles) in
``../shared/data/dev/``. A row with ``n_recommendations_in_cluster`` > 1 joins several
states' recommendations in one text ("Ratify ICCPR (Albania); Ratify ICCPR and CPED
(Chile); …"): it is split into one recommendation per state (the state's name in
parentheses removed, as intake does), and the recommendations of one row are duplicates of
each other. Every other row is a singleton.

That truth is incomplete: OHCHR groups only inside one report, and not always there
(several "Ratify the ICCPR" rows of 2013 stand alone). A pair we find that OHCHR did not
group counts as a false positive, so precision is a lower bound. The report gives the
figures on all pairs and on pairs within one cycle (the only ones OHCHR could group).

Timing: 20,000 vectors made by perturbing the real ones (each a random real vector plus
Gaussian noise, renormalised: copies of one vector form groups of near-duplicates of
varying closeness), clustered with the pure function (no database); peak memory is the
peak of numpy's allocations during the run (tracemalloc) and the process's maximum RSS.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
DATA = ROOT.parent / "shared" / "data" / "dev" / "ohchr_upr_matrix_china_2013_2018.csv"
THRESHOLDS = [round(0.60 + 0.025 * k, 3) for k in range(15)]  # 0.60 … 0.95
STATE = re.compile(r"\s*\(([^()]*)\)(?:\s*\([^()]*\))*\s*[.;,]?\s*$")


@dataclass(frozen=True)
class Item:
    row: int  # the OHCHR row: the ground-truth cluster
    cycle: str
    text: str
    state: str


def load(path: Path = DATA) -> list[Item]:
    items: list[Item] = []
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            text = row["recommendation_text"]
            # One recommendation per "(State);": a parenthesis closes each state's part.
            parts = [p.strip(" ;") for p in re.split(r"(?<=\))\s*;", text) if p.strip(" ;")]
            for part in parts:
                match = STATE.search(part)
                state = match.group(1) if match else ""
                body = STATE.sub("", part).strip() if match else part
                items.append(Item(row=number, cycle=row["year"], text=body, state=state))
    return items


def true_pairs(items: list[Item]) -> set[tuple[int, int]]:
    by_row: dict[int, list[int]] = defaultdict(list)
    for k, item in enumerate(items):
        by_row[item.row].append(k)
    return {pair for members in by_row.values() for pair in combinations(members, 2)}


def predicted_pairs(groups: list[tuple[int, ...]]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def scores(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> dict[str, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"pairs": len(found), "precision": precision, "recall": recall, "f1": f1}


def cluster_level(groups: list[tuple[int, ...]], items: list[Item]) -> dict[str, float]:
    """OHCHR clusters recovered whole (all members in one cluster of ours), and our
    clusters that are pure (all members from one OHCHR row)."""
    truth: dict[int, set[int]] = defaultdict(set)
    for k, item in enumerate(items):
        truth[item.row].add(k)
    real = [members for members in truth.values() if len(members) > 1]
    ours = [set(group) for group in groups]
    recovered = sum(1 for members in real if any(members <= group for group in ours))
    pure = sum(1 for group in ours if len({items[k].row for k in group}) == 1)
    return {
        "ohchr_clusters": len(real),
        "recovered_whole": recovered / len(real) if real else 1.0,
        "our_clusters": len(ours),
        "pure": pure / len(ours) if ours else 1.0,
    }


def evaluate(
    items: list[Item], vectors: np.ndarray, *, method: str = "average", lexical: bool = True
):
    from mizan.assist.duplicates import cluster_vectors

    truth = true_pairs(items)
    ids = np.arange(len(items))
    rows = []
    for threshold in THRESHOLDS:
        clusters, _pairs = cluster_vectors(
            ids,
            vectors,
            threshold=threshold,
            texts=[item.text for item in items] if lexical else None,
            method=method,
        )
        groups = [c.ids for c in clusters]
        found = predicted_pairs(groups)
        within = {(a, b) for a, b in found if items[a].cycle == items[b].cycle}
        rows.append(
            {
                "threshold": threshold,
                "all": scores(found, truth),
                "within_cycle": scores(within, truth),
                "clusters": cluster_level(groups, items),
                "_groups": groups,
            }
        )
    return rows


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(
        "threshold  pairs  P(all)  R      F1     | pairs  P(within) F1    | OHCHR whole  ours pure"
    )
    for row in rows:
        a, w, c = row["all"], row["within_cycle"], row["clusters"]
        print(
            f"  {row['threshold']:.3f}  {a['pairs']:5d}  {a['precision']:.3f}  {a['recall']:.3f}  "
            f"{a['f1']:.3f}  | {w['pairs']:5d}  {w['precision']:.3f}     {w['f1']:.3f} "
            f"| {c['recovered_whole']:.3f}        {c['pure']:.3f}"
        )


def perturbed(vectors: np.ndarray, size: int, seed: int = 7) -> np.ndarray:
    """``size`` unit vectors: random real ones plus noise of random strength (cosine to
    their source from about 0.98 down to about 0.55)."""
    rng = np.random.default_rng(seed)
    base = vectors[rng.integers(0, len(vectors), size)]
    strength = rng.uniform(0.005, 0.06, size=(size, 1)).astype(np.float32)
    noisy = base + rng.normal(0.0, 1.0, base.shape).astype(np.float32) * strength
    noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
    return noisy.astype(np.float32)


def time_scale(vectors: np.ndarray, size: int, threshold: float) -> dict[str, float]:
    from mizan.assist.duplicates import cluster_vectors

    generated = perturbed(vectors, size)
    tracemalloc.start()
    started = time.perf_counter()
    clusters, pairs = cluster_vectors(np.arange(size), generated, threshold=threshold)
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    sizes = [len(c.ids) for c in clusters]
    return {
        "recommendations": size,
        "seconds": seconds,
        "pairs": pairs,
        "clusters": len(clusters),
        "largest_cluster": max(sizes) if sizes else 0,
        "peak_numpy_mb": peak / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--show", type=float, help="print the pairs found at this threshold")
    args = parser.parse_args()

    from training import configure_django, machine, max_rss_mb

    configure_django(
        Path(tempfile.gettempdir()) / "mizan-bench-duplicates.sqlite3",
        Path(tempfile.gettempdir()) / "mizan-bench-duplicates",
    )
    from mizan.assist.duplicates import DEFAULT_THRESHOLD
    from mizan.assist.encoder import get_encoder

    items = load()
    encoder = get_encoder()
    started = time.perf_counter()
    vectors = encoder.encode([item.text for item in items])
    encode_seconds = time.perf_counter() - started
    truth = true_pairs(items)
    print(
        f"{len(items)} recommendations from {len({i.row for i in items})} OHCHR rows; "
        f"{len(truth)} true pairs; encoded in {encode_seconds:.1f} s ({encoder.name})"
    )

    average = evaluate(items, vectors)
    print_table("Average-link with the lexical check (what Mizan runs)", average)
    chosen = next(row for row in average if abs(row["threshold"] - DEFAULT_THRESHOLD) < 1e-9)
    others = {}
    for label, method, lexical in [
        ("average-link, no lexical check", "average", False),
        ("complete-link", "complete", True),
        ("connected components (single-link)", "single", True),
    ]:
        rows = evaluate(items, vectors, method=method, lexical=lexical)
        others[label] = rows
        row = next(r for r in rows if abs(r["threshold"] - DEFAULT_THRESHOLD) < 1e-9)
        print(
            f"  at {DEFAULT_THRESHOLD:.2f}, {label}: P(all) {row['all']['precision']:.3f}, "
            f"R {row['all']['recall']:.3f}, P(within) {row['within_cycle']['precision']:.3f}, "
            f"pure {row['clusters']['pure']:.3f}"
        )
    print(
        f"\nDefault threshold {DEFAULT_THRESHOLD:.2f}: precision (all pairs) "
        f"{chosen['all']['precision']:.3f}, within one cycle "
        f"{chosen['within_cycle']['precision']:.3f}, recall {chosen['all']['recall']:.3f}"
    )
    if args.show is not None:
        row = next(r for r in average if abs(r["threshold"] - args.show) < 1e-9)
        for a, b in sorted(predicted_pairs(row["_groups"]) - truth):
            print(f"  ✗ [{items[a].cycle}|{items[b].cycle}] {items[a].text} ‖ {items[b].text}")

    scale = time_scale(np.asarray(vectors), args.size, DEFAULT_THRESHOLD)
    scale["max_rss_mb"] = max_rss_mb()
    print(
        f"\nScale: {scale['recommendations']} recommendations clustered in "
        f"{scale['seconds']:.1f} s ({scale['pairs']} pairs, {scale['clusters']} clusters, "
        f"largest {scale['largest_cluster']}); peak numpy memory "
        f"{scale['peak_numpy_mb']:.0f} MB, process max RSS {scale['max_rss_mb']:.0f} MB "
        f"(encoder included); {os.cpu_count()} CPUs"
    )
    if args.json:
        for rows in [average, *others.values()]:
            for row in rows:
                row.pop("_groups", None)
        args.json.write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "default_threshold": DEFAULT_THRESHOLD,
                    "average": average,
                    "alternatives": others,
                    "scale": scale,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
