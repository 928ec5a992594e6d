"""The training dashboard at 1,000,000 participants: build the precomputed figures of
every session, then time the dashboard page with various filters and breakdowns.

``.venv/bin/python bench/dashboards.py [--participants N] [--attendance M]`` reuses the
SQLite database that ``bench/training.py`` generates (run that first), copied into
``/tmp/mizan-bench-dashboards/`` so that the original is never changed; migrates the
copy, computes every session's figures (``refresh_stale(everything=True)``, timed), then
requests the page through the Django test client as a coordinator who sees every
session's people and as one who sees none (small cells hidden), prints a table and
writes ``latest.json`` next to the copy. ``--participants 25000 --attendance 62500`` is
a quick run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from training import configure_django, machine, max_rss_mb, percentiles

SOURCE_DIR = Path("/tmp/mizan-bench-training")
DATA_DIR = Path("/tmp/mizan-bench-dashboards")
GOALS = {"dashboard_p95_ms": 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--attendance", type=int, default=5_000_000)
    parser.add_argument("--source-dir", type=Path, default=SOURCE_DIR)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--copy-again", action="store_true", help="copy the database afresh")
    parser.add_argument("--rounds", type=int, default=3, help="rounds over the filters")
    args = parser.parse_args()

    stem = f"training-{args.participants}-{args.attendance}"
    source = args.source_dir / f"{stem}.sqlite3"
    if not source.exists():
        sys.exit(f"{source} is missing: run bench/training.py with the same sizes first")
    args.data_dir.mkdir(parents=True, exist_ok=True)
    database = args.data_dir / f"{stem}.sqlite3"
    if args.copy_again or not database.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        shutil.copyfile(source, database)
        print(f"copied {source} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    shutil.copyfile(args.source_dir / f"{stem}.json", args.data_dir / f"{stem}.json")
    configure_django(database, args.data_dir)

    from django.core.management import call_command

    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = round(time.perf_counter() - started, 1)
    print(f"migrated in {migrate_seconds} s", file=sys.stderr)

    results: dict[str, Any] = {"migrate_seconds": migrate_seconds}
    results["rollup"] = build_rollup()
    results["rss_mb_after_rollup"] = round(max_rss_mb())
    results |= measure(rounds=args.rounds)
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": round(load_before, 2),
        "command": " ".join([".venv/bin/python", "bench/dashboards.py", *sys.argv[1:]]),
        "database": str(database),
        "database_mb": round(database.stat().st_size / 2**20),
        "goals": GOALS,
        "results": results,
        "peak_rss_mb": round(max_rss_mb()),
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    (args.data_dir / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_table(report)


def build_rollup() -> dict[str, Any]:
    """Every session's figures computed from scratch, timed."""
    from mizan.reports.models import CascadeFigures, ParticipationCell, SessionFigures
    from mizan.reports.rollup import refresh_stale

    started = time.perf_counter()
    last = [started]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 30 or done == total:
            last[0] = now
            rate = done / (now - started)
            print(f"  figures of {done:,}/{total:,} sessions, {rate:.0f}/s", file=sys.stderr)

    sessions = refresh_stale(everything=True, progress=progress)
    seconds = time.perf_counter() - started
    return {
        "sessions": sessions,
        "seconds": round(seconds, 1),
        "sessions_per_second": round(sessions / seconds, 1) if seconds else None,
        "cells": ParticipationCell.objects.count(),
        "cascade_rows": CascadeFigures.objects.count(),
        "session_rows": SessionFigures.objects.count(),
    }


def readers() -> dict[str, Any]:
    """A coordinator of the police, which organises every generated session (sees
    everyone), and one of the customs, which organises none (small cells hidden)."""
    from mizan.accounts.enums import Role
    from mizan.accounts.models import Membership, User
    from mizan.institutions.models import Institution

    made = {}
    for name, code in (("organising", "police"), ("outside", "customs")):
        user, _ = User.objects.get_or_create(username=f"bench-coordinator-{code}")
        institution = Institution.objects.get(code=code)
        Membership.objects.get_or_create(user=user, institution=institution, role=Role.COORDINATOR)
        made[name] = user
    return made


def queries() -> list[tuple[str, str]]:
    """(label, query string) of the requests, every filter and breakdown."""
    from mizan.training.models import Curriculum, TrainingSession

    curriculum = Curriculum.objects.order_by("pk").first()
    assert curriculum is not None
    some = list(TrainingSession.objects.order_by("pk").values_list("pk", flat=True)[:3])
    year = "starts_from=2025-01-01&starts_until=2025-12-31"
    return [
        ("all", ""),
        ("by sex", "breakdown=sex"),
        ("by region", "breakdown=region"),
        ("by institution", "breakdown=institution"),
        ("by rank", "breakdown=rank"),
        ("one curriculum", f"curriculum={curriculum.pk}"),
        ("one curriculum by region", f"curriculum={curriculum.pk}&breakdown=region"),
        ("one year", year),
        ("one year by rank", f"{year}&breakdown=rank"),
        ("three sessions (live detail)", "sessions=" + ",".join(str(pk) for pk in some)),
    ]


def measure(*, rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from mizan.reports.rollup import mark_stale

    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    url = reverse("staff:training_dashboard")
    results: dict[str, Any] = {}
    with override_settings(STORAGES=plain_static, ALLOWED_HOSTS=["testserver"]):
        for reader, user in readers().items():
            client = Client()
            client.force_login(user)
            client.get(url)  # warm: templates, the first read of the tables
            samples: list[float] = []
            per_query: dict[str, list[float]] = {}
            counts: dict[str, int] = {}
            for _round in range(rounds):
                for label, query in queries():
                    with CaptureQueriesContext(connection) as captured:
                        begin = time.perf_counter()
                        response = client.get(f"{url}?{query}" if query else url)
                        elapsed = (time.perf_counter() - begin) * 1000
                    assert response.status_code == 200, (label, response.status_code)
                    samples.append(elapsed)
                    per_query.setdefault(label, []).append(elapsed)
                    counts[label] = len(captured)
            results[f"dashboard_{reader}"] = percentiles(samples) | {
                "by_filter_p50_ms": {
                    label: round(sorted(values)[len(values) // 2], 1)
                    for label, values in per_query.items()
                },
                "queries": counts,
            }
        # One session changed since the last read: the page computes it first.
        client = Client()
        client.force_login(readers()["organising"])
        samples = []
        for pk in (5, 500, 5000, 15000, 30000):
            mark_stale([pk])
            begin = time.perf_counter()
            assert client.get(url).status_code == 200
            samples.append((time.perf_counter() - begin) * 1000)
        results["dashboard_after_one_change"] = percentiles(samples)
    results["peak_rss_mb_after_measuring"] = round(max_rss_mb())
    return results


def print_table(report: dict[str, Any]) -> None:
    results = report["results"]
    print(f"\n{report['date']}  load before {report['load_average_before']}")
    rollup = results["rollup"]
    print(
        f"rollup: {rollup['sessions']:,} sessions in {rollup['seconds']} s "
        f"({rollup['sessions_per_second']}/s), {rollup['cells']:,} cells, "
        f"RSS {results['rss_mb_after_rollup']} MB"
    )
    for key in ("dashboard_organising", "dashboard_outside", "dashboard_after_one_change"):
        block = dict(results[key])
        by_filter = block.pop("by_filter_p50_ms", None)
        block.pop("queries", None)
        print(f"{key:28} {block}")
        if by_filter:
            for label, value in by_filter.items():
                print(f"    {label:32} p50 {value} ms  ({results[key]['queries'][label]} queries)")
    print(f"\npeak RSS {report['peak_rss_mb']} MB; database {report['database_mb']} MB")


if __name__ == "__main__":
    main()
