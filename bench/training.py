"""Training at scale: generate 1,000,000 participants and 5,000,000 attendance rows on a
SQLite file, then time the session page, the training figures of an action of 200 and of
20,000 sessions, and the results pages.

``.venv/bin/python bench/training.py [--participants N] [--attendance M]`` generates the
data once into ``/tmp/mizan-bench-training/`` (kept between runs; ``--regenerate`` starts
again), migrates it, measures, prints a table and writes ``latest.json`` next to the
database. The shape of the data is described in ``bench/training_data.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import training_data

DATA_DIR = Path("/tmp/mizan-bench-training")
GOALS = {"session_page_p95_ms": 1000, "figure_p95_ms_large_action": 2000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--attendance", type=int, default=5_000_000)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--regenerate", action="store_true", help="generate the data again")
    parser.add_argument("--generate-only", action="store_true", help="generate, do not measure")
    parser.add_argument("--requests", type=int, default=60, help="session pages to time")
    parser.add_argument("--runs", type=int, default=20, help="runs of each figure")
    args = parser.parse_args()

    shape = training_data.Shape(participants=args.participants, attendance=args.attendance)
    args.data_dir.mkdir(parents=True, exist_ok=True)
    stem = f"training-{args.participants}-{args.attendance}"
    database = args.data_dir / f"{stem}.sqlite3"
    manifest = args.data_dir / f"{stem}.json"
    if args.regenerate or not manifest.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        manifest.unlink(missing_ok=True)
    configure_django(database, args.data_dir)

    from django.core.management import call_command

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    # Migrating an existing file applies migrations added since (new indexes included).
    call_command("migrate", verbosity=0)
    migrate_seconds = time.perf_counter() - started
    if not manifest.exists():
        tracemalloc.start()
        generated = training_data.generate(shape, log=lambda line: print(line, file=sys.stderr))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        info = training_data.asdict(generated) | {
            "generation_peak_python_mb": round(peak / 2**20),
            "generation_peak_rss_mb": round(max_rss_mb()),
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        manifest.write_text(json.dumps(info, indent=2))
        print(
            f"generated {sum(generated.rows.values()):,} rows in {generated.seconds} s "
            f"({generated.rows_per_second:,} rows/s)",
            file=sys.stderr,
        )
    else:
        print(f"migrations checked in {migrate_seconds:.1f} s", file=sys.stderr)
    info = json.loads(manifest.read_text())
    if args.generate_only:
        return
    results = measure(info, requests=args.requests, runs=args.runs)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": round(load_before, 2),
        "command": " ".join([".venv/bin/python", "bench/training.py", *sys.argv[1:]]),
        "database": str(database),
        "database_mb": round(database.stat().st_size / 2**20),
        "generation": {
            key: info[key]
            for key in (
                "shape",
                "rows",
                "seconds",
                "rows_per_second",
                "generation_peak_python_mb",
                "generation_peak_rss_mb",
                "generated_at",
            )
            if key in info
        },
        "goals": GOALS,
        "results": results,
        "peak_rss_mb": round(max_rss_mb()),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    (args.data_dir / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_table(report)


def configure_django(database: Path, data_dir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="mizan.settings.base",
        DATABASE_URL=f"sqlite:///{database}",
        MIZAN_SECRET_KEY="bench-only-secret-key-not-for-production-0123456789",
        MIZAN_DATA_DIR=str(data_dir / "data"),
        MIZAN_ALLOWED_HOSTS="testserver",
    )
    (data_dir / "data").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def max_rss_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict[str, str]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout
    import sqlite3

    return {
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory.splitlines()[1].split()[1] if memory else "",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
    }


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95_index = max(0, round(len(ordered) * 0.95) - 1)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[p95_index], 1),
        "max_ms": round(ordered[-1], 1),
    }


def timed(function: Callable[[], Any], runs: int) -> tuple[dict[str, float], Any]:
    """Wall-clock percentiles of ``runs`` calls, and the median CPU time of this process
    (SQLite runs in it): on a shared machine the two differ by what else ran."""
    samples, cpu = [], []
    value = None
    for _ in range(runs):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        value = function()
        samples.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return percentiles(samples) | {"cpu_p50_ms": round(statistics.median(cpu), 1)}, value


def measure(info: dict[str, Any], *, requests: int, runs: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import NoReverseMatch, reverse

    from mizan.actions.indicators import get_figure
    from mizan.actions.models import Action
    from mizan.training.figures import TRAINING_FIGURES
    from mizan.training.models import TrainingSession

    rng = random.Random(7)
    results: dict[str, Any] = {}
    organiser = get_user_model().objects.get(username=info["organiser_username"])
    first_run, last_run = info["run_session_ids"]
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain_static, ALLOWED_HOSTS=["testserver"]):
        client = Client()
        client.force_login(organiser)

        # (a) the session page, or, while it is not there yet, its reads.
        try:
            reverse("staff:session_detail", args=[first_run])
            session_page = True
        except NoReverseMatch:
            session_page = False
        ids = [rng.randint(first_run, last_run) for _ in range(requests)]
        if session_page:
            queries = []

            def session_page(pk: int) -> None:
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(reverse("staff:session_detail", args=[pk]))
                queries.append(len(captured))
                assert response.status_code == 200, response.status_code

            pages = iter(ids)
            stats, _ = timed(lambda: session_page(next(pages)), len(ids))
            results["session_page"] = stats | {"queries": max(queries)}
        else:
            results["session_page"] = {"missing": "staff:session_detail does not resolve yet"}
            results["session_reads"] = time_session_reads(ids)

        # the results pages (this task's), one session and the small action
        def results_page(pk: int) -> None:
            response = client.get(reverse("staff:session_results", args=[pk]))
            assert response.status_code == 200, response.status_code

        pages = iter(ids)
        results["session_results_page"] = timed(
            lambda: results_page(next(pages)), max(10, requests // 3)
        )[0]
        small_url = reverse("staff:action_training_figures", args=[info["small_action_id"]])
        results["small_action_results_page"] = timed(
            lambda: client.get(small_url).status_code, max(5, runs // 2)
        )[0]
        # The whole action page at 20,000 sessions (every table), a few times only.
        large_url = reverse("staff:action_training_figures", args=[info["large_action_id"]])
        results["large_action_results_page"] = timed(lambda: client.get(large_url).status_code, 3)[
            0
        ]

    # (b) each figure for the action of 200 sessions and the one of 20,000
    as_of = date(2026, 11, 26)
    for label, action_id in (
        ("small", info["small_action_id"]),
        ("large", info["large_action_id"]),
    ):
        action = Action.objects.get(pk=action_id)
        sessions = TrainingSession.objects.filter(action=action).count()
        figures: dict[str, Any] = {}
        for name in TRAINING_FIGURES:
            figure = get_figure(name)
            stats, value = timed(
                lambda figure=figure, action=action: figure.compute(action, as_of), runs
            )
            figures[name] = stats | {"value": str(value)}
        results[f"figures_{label}_action"] = {"sessions": sessions, "figures": figures}
    results["peak_rss_mb_after_measuring"] = round(max_rss_mb())
    results["load_average_during"] = [round(value, 2) for value in os.getloadavg()]
    return results


def time_session_reads(ids: list[int]) -> dict[str, Any]:
    """The session page's heaviest reads, for when the page itself is not there yet: the
    roster (visible enrolments with their participants) and the attendance grid."""
    from mizan.training.models import Attendance, Enrolment, SessionSlot

    samples = []
    for pk in ids:
        begin = time.perf_counter()
        roster = list(
            Enrolment.objects.filter(session_id=pk)
            .select_related("participant", "participant__institution")
            .order_by("participant__name_latin", "id")
        )
        slots = list(SessionSlot.objects.filter(session_id=pk).order_by("date", "part"))
        grid = {
            (row.enrolment_id, row.slot_id): row.status
            for row in Attendance.objects.filter(slot__session_id=pk).only(
                "enrolment_id", "slot_id", "status"
            )
        }
        assert roster and slots and grid
        samples.append((time.perf_counter() - begin) * 1000)
    return percentiles(samples)


def print_table(report: dict[str, Any]) -> None:
    results = report["results"]
    print(f"\n{report['date']}  load before {report['load_average_before']}")
    generation = report["generation"]
    print(
        f"generation: {sum(generation['rows'].values()):,} rows in {generation['seconds']} s, "
        f"{generation['rows_per_second']:,} rows/s, "
        f"peak RSS {generation.get('generation_peak_rss_mb')} MB"
    )
    for key in (
        "session_page",
        "session_reads",
        "session_results_page",
        "small_action_results_page",
        "large_action_results_page",
    ):
        if key in results:
            print(f"{key:28} {results[key]}")
    for label in ("small", "large"):
        block = results[f"figures_{label}_action"]
        print(f"\nfigures, {label} action ({block['sessions']:,} sessions)")
        print(f"{'figure':30} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9} {'CPU p50':>9}  value")
        for name, stats in block["figures"].items():
            print(
                f"{name:30} {stats['p50_ms']:9.1f} {stats['p95_ms']:9.1f} {stats['max_ms']:9.1f} "
                f"{stats['cpu_p50_ms']:9.1f}  {stats['value']}"
            )
    print(f"\npeak RSS {report['peak_rss_mb']} MB; database {report['database_mb']} MB")


if __name__ == "__main__":
    main()
