"""Tag suggestions: quality against the TF-IDF baseline, throughput, memory.

    .venv/bin/python bench/assist.py                 # everything (about 10 minutes)
    .venv/bin/python bench/assist.py --part quality  # only the F1 figures
    .venv/bin/python bench/assist.py --part speed --rows 5000

Quality (no database): OHCHR's labelled UPR recommendations in
``../shared/data/dev/`` (598 rows, English only) with three label sets: UHRI themes (88
terms), SDG goals (14 present) and affected persons. For each: 5-fold cross-validation
on everything, and learning curves (train on 150 or 300 drawn at random, test on the
rest, three draws), for Mizan's model and the baseline (TF-IDF words and bigrams,
one-vs-rest logistic regression, threshold chosen the same way). Nothing was tuned on
these figures: the model's choices are made by inner cross-validation on the training
part only. The dev set is small, English-only and one country; it measures the method,
not the target vocabulary.

Speed (SQLite, Django): ``--rows`` recommendations written from the benchmark's word
lists in English, French and Arabic, plus the dev set with its themes confirmed as the
vocabulary's examples. Times embedding every text, training, and ``suggest`` for every
recommendation without confirmed tags (vectors stored), then embedding and suggesting
together; p50/p95 of proposing terms for one recommendation (what a page does); peak
resident memory. Results are printed and written as JSON to ``bench/output/assist.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent / "src"))

from training import configure_django, machine, max_rss_mb  # noqa: E402

DEV = ROOT.parent.parent / "shared" / "data" / "dev" / "ohchr_upr_matrix_china_2013_2018.csv"
LABEL_SETS = {"themes": "themes", "sdg-goals": "sdgs", "affected-persons": "affected_persons"}


def dev_rows() -> list[dict[str, str]]:
    if not DEV.exists():
        sys.exit(f"The dev set is not here ({DEV}): the quality part needs ../shared.")
    with DEV.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def labels_of(row: dict[str, str], column: str) -> list[str]:
    return [part.strip() for part in row[column].split("|") if part.strip()]


def quality(log: Any) -> dict[str, Any]:
    from mizan.assist import learning
    from mizan.assist.encoder import UniversalSentenceEncoder

    rows = dev_rows()
    encoder = UniversalSentenceEncoder()
    started = time.perf_counter()
    vectors = encoder.encode([row["recommendation_text"] for row in rows])
    log(f"embedded {len(rows)} dev texts in {time.perf_counter() - started:.1f} s")
    results: dict[str, Any] = {}
    for name, column in LABEL_SETS.items():
        kept = [i for i, row in enumerate(rows) if labels_of(row, column)]
        terms = sorted({t for i in kept for t in labels_of(rows[i], column)})
        index = {t: j for j, t in enumerate(terms)}
        labels = np.zeros((len(kept), len(terms)), dtype=np.uint8)
        for r, i in enumerate(kept):
            for t in labels_of(rows[i], column):
                labels[r, index[t]] = 1
        examples = learning.LabelledSet(vectors[kept], labels, np.ones_like(labels))
        texts = [rows[i]["recommendation_text"] for i in kept]
        started = time.perf_counter()
        evaluation = learning.cross_validate(examples, texts, number_of_folds=5)
        entry: dict[str, Any] = {
            "examples": len(kept),
            "terms": len(terms),
            "labels_per_example": round(float(labels.sum(axis=1).mean()), 2),
            "cv5": {"mizan": evaluation.ours.as_dict(), "baseline": evaluation.baseline.as_dict()}
            if evaluation.baseline
            else {},
            "cv5_seconds": round(time.perf_counter() - started, 1),
            "curve": {},
        }
        for size in (150, 300):
            if size >= len(kept) - 50:
                continue
            ours, theirs = [], []
            for draw in range(3):
                order = np.random.default_rng(100 + draw).permutation(len(kept))
                train_rows, test_rows = order[:size], order[size:]
                model = learning.train(examples.subset(train_rows))
                probabilities = model.probabilities(examples.vectors[test_rows])
                truth = labels[test_rows]
                ours.append(learning.scores_of(truth, model.decide(probabilities), probabilities))
                scores, threshold = learning.baseline_scores(
                    [texts[i] for i in train_rows],
                    labels[train_rows],
                    [texts[i] for i in test_rows],
                )
                theirs.append(learning.scores_of(truth, learning.decide(scores, threshold), scores))
            entry["curve"][str(size)] = {
                "mizan": learning.mean_scores(ours).as_dict(),
                "baseline": learning.mean_scores(theirs).as_dict(),
            }
        results[name] = entry
        log(f"{name}: {json.dumps(entry)}")
    # Training time at about 5,000 examples: the dev vectors, each repeated eight times
    # with a little noise, with their theme labels.
    column = LABEL_SETS["themes"]
    kept = [i for i, row in enumerate(rows) if labels_of(row, column)]
    terms = sorted({t for i in kept for t in labels_of(rows[i], column)})
    index = {t: j for j, t in enumerate(terms)}
    labels = np.zeros((len(kept), len(terms)), dtype=np.uint8)
    for r, i in enumerate(kept):
        for t in labels_of(rows[i], column):
            labels[r, index[t]] = 1
    rng = np.random.default_rng(5)
    big_vectors = np.vstack(
        [vectors[kept] + rng.normal(0, 0.02, vectors[kept].shape).astype(np.float32)] * 8
    )
    big_vectors /= np.linalg.norm(big_vectors, axis=1, keepdims=True)
    big_labels = np.vstack([labels] * 8)
    big = learning.LabelledSet(big_vectors, big_labels, np.ones_like(big_labels))
    started = time.perf_counter()
    model = learning.train(big)
    results["training_at_scale"] = {
        "examples": len(big.vectors),
        "terms": len(terms),
        "seconds": round(time.perf_counter() - started, 1),
        "stored_bytes": len(model.to_bytes()),
    }
    log(f"training on {len(big.vectors)} examples: {results['training_at_scale']}")
    return results


def speed(rows: int, log: Any) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="mizan-bench-assist-"))
    configure_django(workdir / "bench.sqlite3", workdir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from synthetic import recommendation_rows

    from mizan.assist.embeddings import refresh_embeddings
    from mizan.assist.encoder import get_encoder
    from mizan.assist.suggester import propose, suggest, train_vocabulary, untagged_in
    from mizan.recommendations.enums import MechanismKind
    from mizan.recommendations.models import (
        Mechanism,
        Recommendation,
        RecommendationText,
        SourceDocument,
        Tagging,
        Term,
        Vocabulary,
    )

    mechanism = Mechanism.objects.create(code="UPR", names={"en": "UPR"}, kind=MechanismKind.UPR)
    document = SourceDocument.objects.create(
        symbol="BENCH/1", mechanism=mechanism, state_under_review="Benchland"
    )
    vocabulary = Vocabulary.objects.create(code="themes", names={"en": "Themes"})
    dev = dev_rows()
    terms: dict[str, Term] = {}
    for row in dev:
        for label in labels_of(row, "themes"):
            if label not in terms:
                code = label.split(" ", 1)[0]
                terms[label] = Term.objects.create(
                    vocabulary=vocabulary, code=code, labels={"en": label}
                )
    texts = [(row["recommendation_text"], "en", labels_of(row, "themes")) for row in dev]
    texts += [(row[8], row[7], []) for row in recommendation_rows(rows)]
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(document=document, paragraph=f"{i + 1}") for i in range(len(texts))
    )
    RecommendationText.objects.bulk_create(
        RecommendationText(recommendation=r, language=language, text=text, is_original=True)
        for r, (text, language, _labels) in zip(recommendations, texts, strict=True)
    )
    now = __import__("django.utils.timezone", fromlist=["now"]).now()
    Tagging.objects.bulk_create(
        Tagging(recommendation=r, term=terms[label], confirmed_at=now)
        for r, (_text, _language, labels) in zip(recommendations, texts, strict=True)
        for label in labels
    )
    log(f"{len(texts)} recommendations written ({len(dev)} with confirmed themes)")
    encoder = get_encoder()
    encoder.encode(["warm up"])
    results: dict[str, Any] = {"rows": rows, "machine": machine()}

    started = time.perf_counter()
    embedded = refresh_embeddings()
    seconds = time.perf_counter() - started
    results["embed"] = {"texts": embedded, "per_second": round(embedded / seconds, 1)}
    log(f"embedding: {results['embed']}")

    started = time.perf_counter()
    train_vocabulary(vocabulary)
    results["train_seconds"] = round(time.perf_counter() - started, 2)

    todo = untagged_in(vocabulary)
    started = time.perf_counter()
    run = suggest(vocabulary, todo)
    seconds = time.perf_counter() - started
    results["suggest_stored_vectors"] = {
        "recommendations": run.recommendations,
        "suggestions": run.added,
        "per_second": round(run.recommendations / seconds, 1),
    }
    log(f"suggest (vectors stored): {results['suggest_stored_vectors']}")

    # Text changed everywhere: embed again and suggest, end to end.
    from mizan.assist.models import TextEmbedding

    TextEmbedding.objects.filter(recommendation_id__in=todo).delete()
    Tagging.objects.filter(confirmed_at__isnull=True).delete()
    started = time.perf_counter()
    refresh_embeddings(todo)
    run = suggest(vocabulary, todo)
    seconds = time.perf_counter() - started
    results["embed_and_suggest"] = {
        "recommendations": run.recommendations,
        "per_second": round(run.recommendations / seconds, 1),
    }
    log(f"embed and suggest: {results['embed_and_suggest']}")

    samples = []
    for rec_id in todo[:200]:
        started = time.perf_counter()
        propose(vocabulary, [rec_id])
        samples.append((time.perf_counter() - started) * 1000)
    ordered = sorted(samples)
    results["propose_one_ms"] = {
        "p50": round(statistics.median(ordered), 2),
        "p95": round(ordered[int(len(ordered) * 0.95) - 1], 2),
    }
    results["peak_rss_mb"] = round(max_rss_mb(), 1)
    log(f"one recommendation: {results['propose_one_ms']}, peak RSS {results['peak_rss_mb']} MB")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=["quality", "speed", "all"], default="all")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--json", default=str(ROOT / "output" / "assist.json"))
    options = parser.parse_args()

    def log(message: str) -> None:
        print(message, flush=True)

    results: dict[str, Any] = {}
    if options.part in ("speed", "all"):
        results["speed"] = speed(options.rows, log)
    if options.part in ("quality", "all"):
        results["quality"] = quality(log)
    Path(options.json).parent.mkdir(parents=True, exist_ok=True)
    Path(options.json).write_text(json.dumps(results, indent=2))
    log(f"written to {options.json}")


if __name__ == "__main__":
    main()
