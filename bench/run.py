"""Benchmarks: recommendation import throughput and peak memory, then search latency, on a
fresh SQLite file and a fresh PostgreSQL database.

``python bench/run.py [--rows N] [--database sqlite|postgresql|both]`` writes a synthetic CSV
under ``bench/output/``, then runs one child process per database (Django is configured
once per process), which migrates the empty database, imports the file through
``import_recommendations`` and times searches through ``RecommendationFilters``. The
parent prints a table and writes ``bench/output/latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import synthetic

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "bench" / "output"
BENCH_DATABASE = "mizan_bench"
GOALS = {"rows_per_second": 5000, "peak_rss_mb": 1024, "search_p95_ms": 50}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=300_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--database-url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.csv, args.database_url)))
        return
    path = OUTPUT / f"recommendations-{args.rows}.csv"
    if not path.exists():
        started = time.perf_counter()
        synthetic.write_recommendations(path, args.rows)
        print(
            f"wrote {path.relative_to(ROOT)} ({path.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    # The machine may be shared: the load average says how much else was running.
    load_before = os.getloadavg()[0]
    results = {database: run_worker(database, path) for database in databases}
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": round(load_before, 2),
        "rows": args.rows,
        "goals": GOALS,
        "results": results,
    }
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_table(report)


def machine() -> dict[str, str]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout
    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory.splitlines()[1].split()[1] if memory else "",
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    return url


def fresh_postgres_database() -> str:
    """Drop and create ``mizan_bench`` next to the database of ``DATABASE_URL``."""
    import psycopg

    url = postgres_url()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
    return urlunparse(urlparse(url)._replace(path=f"/{BENCH_DATABASE}"))


def run_worker(database: str, path: Path) -> dict[str, Any]:
    if database == "sqlite":
        target = OUTPUT / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{target}"
    else:
        url = fresh_postgres_database()
    print(f"{database}: importing {path.name} …", file=sys.stderr)
    completed = subprocess.run(
        [sys.executable, __file__, "--worker", database, "--csv", str(path), "--database-url", url],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit(f"the {database} benchmark failed")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def max_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(path: Path, database_url: str) -> dict[str, Any]:
    """Runs in the child: migrate, import, search; returns the figures."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="mizan.settings.base",
        DATABASE_URL=database_url,
        MIZAN_SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
        MIZAN_DATA_DIR=str(OUTPUT / "data"),
    )
    (OUTPUT / "data").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from mizan.recommendations.importers import import_recommendations, import_vocabulary
    from mizan.recommendations.models import Recommendation, RecommendationText, Tagging
    from mizan.recommendations.queries import RecommendationFilters, count_up_to

    call_command("migrate", verbosity=0)
    for code, terms in synthetic.VOCABULARIES.items():
        import_vocabulary(synthetic.vocabulary_csv(terms), code=code, name=code.title())
    rss_before = max_rss_mb()
    started = time.perf_counter()
    with path.open("rb") as handle:
        summary = import_recommendations(handle, format="csv")
    seconds = time.perf_counter() - started
    peak = max_rss_mb()
    rows = summary.created + summary.updated + summary.unchanged
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    latencies: list[float] = []
    matches: list[int] = []
    queryset = Recommendation.objects.all()
    for query in synthetic.search_queries():
        begin = time.perf_counter()
        filtered = RecommendationFilters(q=query).apply(queryset)
        # The list page counts up to RESULT_COUNT_CAP ("more than 1000"), as here.
        matches.append(count_up_to(filtered))
        # The list page orders search results by id (see staff RecommendationListView).
        list(filtered.order_by("id").values_list("id", flat=True)[:25])
        latencies.append((time.perf_counter() - begin) * 1000)
    latencies.sort()
    return {
        "database": connection.vendor,
        "rows": rows,
        "created": summary.created,
        "import_seconds": round(seconds, 1),
        "rows_per_second": round(rows / seconds),
        "peak_rss_mb": round(peak),
        "rss_before_import_mb": round(rss_before),
        "texts": RecommendationText.objects.count(),
        "taggings": Tagging.objects.count(),
        "search_queries": len(latencies),
        "search_median_matches": statistics.median(matches),
        "search_p50_ms": round(statistics.median(latencies), 1),
        "search_p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1),
        "search_max_ms": round(latencies[-1], 1),
        "load_average_after": round(os.getloadavg()[0], 2),
    }


def print_table(report: dict[str, Any]) -> None:
    goals = report["goals"]
    print(
        f"\n{report['rows']:,} rows · {report['date']} · {report['machine']['cpu']}, "
        f"{report['machine']['nproc']} cores, {report['machine']['memory']}"
    )
    header = f"{'database':<12}{'rows/s':>10}{'import s':>10}{'peak MB':>9}"
    header += f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}"
    print(header)
    for database, result in report["results"].items():
        print(
            f"{database:<12}{result['rows_per_second']:>10,}{result['import_seconds']:>10}"
            f"{result['peak_rss_mb']:>9}{result['search_p50_ms']:>9}"
            f"{result['search_p95_ms']:>9}{result['search_max_ms']:>9}"
        )
    print(
        f"goals: ≥ {goals['rows_per_second']:,} rows/s, ≤ {goals['peak_rss_mb']} MB, "
        f"search p95 ≤ {goals['search_p95_ms']} ms; load average before the run: "
        f"{report['load_average_before']}"
    )


if __name__ == "__main__":
    main()
