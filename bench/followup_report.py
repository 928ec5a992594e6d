"""The follow-up report at scale: one UN document of 500 recommendations answered by 40
actions, two of them training actions with 200 sessions and 5,000 participants between
them; time building the report and writing it as PDF, DOCX and XLSX, in Arabic and in
English. Goal: the report, written, in 10 s or less.

``.venv/bin/python bench/followup_report.py [--runs 3] [--processes N]`` generates the
data once into ``/tmp/mizan-bench-followup/`` (``--regenerate`` starts again; the
training part comes from ``bench/training_data.py`` at a small size), then prints p50
and max of each step, the peak RSS (this process, and this process with the PDF
processes it starts) and the load average, and writes ``latest.json`` next to the
database.

The PDF is laid out in one process per core (``--processes 1`` to compare). The first
PDF written starts the fork server those processes come from (a few seconds: it
imports WeasyPrint); it is timed apart as ``first_pdf_s`` and not counted in the runs,
as a worker pays it once, not per report.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import training_data

from training import configure_django, machine, max_rss_mb

DATA_DIR = Path("/tmp/mizan-bench-followup")
SYMBOL = "CMW/C/BENCH/CO/1"
RECOMMENDATIONS = 500
OTHER_ACTIONS = 38
GOAL_SECONDS = 10.0

THEMES = [
    "Train border officials on the rights of migrant workers and their families",
    "Ensure access to interpreters and legal aid during return procedures",
    "Collect and publish data on migrants, disaggregated by sex, age and nationality",
    "Investigate all allegations of excessive use of force at the border",
    "Guarantee access to consular assistance for detained migrants",
]
THEMES_AR = [
    "تدريب موظفي الحدود على حقوق العمال المهاجرين وأفراد أسرهم",
    "ضمان الحصول على الترجمة والمساعدة القانونية أثناء إجراءات الإرجاع",
    "جمع البيانات عن المهاجرين ونشرها مصنفة حسب الجنس والسن والجنسية",
    "التحقيق في جميع ادعاءات الاستخدام المفرط للقوة على الحدود",
    "ضمان الحصول على المساعدة القنصلية للمهاجرين المحتجزين",
]


def generate(log: Any) -> dict[str, Any]:
    from mizan.actions.enums import ActionKind, ActionStatus, ProgressReportStatus
    from mizan.actions.models import Action, Indicator, IndicatorValue, ProgressReport
    from mizan.evidence.models import EvidenceFile
    from mizan.institutions.models import Institution
    from mizan.recommendations.enums import (
        AssessmentVoice,
        AssignmentRole,
        ImplementationStatus,
        MechanismKind,
    )
    from mizan.recommendations.models import (
        Assessment,
        Assignment,
        Mechanism,
        Recommendation,
        RecommendationText,
        SourceDocument,
    )

    started = time.perf_counter()
    # 5,000 participants in 200 sessions that all ran (50,000 attendance rows).
    shape = training_data.Shape(participants=5_000, attendance=50_000)
    generated = training_data.generate(shape, log=log)
    rng = random.Random(6)
    mechanism = Mechanism.objects.create(
        code="CMW", names={"en": "Committee on Migrant Workers"}, kind=MechanismKind.TREATY_BODY
    )
    document = SourceDocument.objects.create(
        symbol=SYMBOL,
        mechanism=mechanism,
        title="Concluding observations (benchmark)",
        date=date(2023, 10, 4),
        state_under_review="Morocco",
    )
    recommendations = Recommendation.objects.bulk_create(
        Recommendation(
            document=document,
            paragraph=f"{n // 4 + 1}({'abcd'[n % 4]})",
            status=rng.choice(ImplementationStatus.values),
            nhri_status=rng.choice(["", *ImplementationStatus.values]),
        )
        for n in range(RECOMMENDATIONS)
    )
    RecommendationText.objects.bulk_create(
        [
            RecommendationText(
                recommendation=recommendation,
                language=language,
                text=f"{themes[n % len(themes)]} ({n + 1}).",
                is_original=language == "en",
            )
            for n, recommendation in enumerate(recommendations)
            for language, themes in (("en", THEMES), ("ar", THEMES_AR))
        ]
    )
    institutions = list(Institution.objects.all())
    Assignment.objects.bulk_create(
        Assignment(
            recommendation=recommendation,
            institution=institution,
            role=AssignmentRole.LEAD if index == 0 else AssignmentRole.CONTRIBUTING,
        )
        for recommendation in recommendations
        for index, institution in enumerate(rng.sample(institutions, 2))
    )
    files = EvidenceFile.objects.bulk_create(
        EvidenceFile(
            file=f"evidence/00/bench-{n}",
            name=f"evidence-{n}.pdf",
            content_type="application/pdf",
            size=1000,
            sha256="0" * 64,
            description=f"Circular {n} of the directorate",
        )
        for n in range(200)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            recommendation=recommendation,
            voice=voice,
            status=recommendation.status if voice == AssessmentVoice.STATE else status,
            assessed_on=date(2025, 1, 1) + timedelta(days=rng.randrange(300)),
            rationale="Measures were taken in the period; see the evidence attached.",
        )
        for recommendation in recommendations
        for voice, status in (
            (AssessmentVoice.STATE, recommendation.status),
            (AssessmentVoice.NHRI, recommendation.nhri_status),
        )
        if status
    )
    Assessment.evidence.through.objects.bulk_create(
        Assessment.evidence.through(assessment_id=assessment.pk, evidencefile_id=file.pk)
        for assessment in assessments[::3]
        for file in rng.sample(files, 1)
    )
    actions = [
        Action.objects.get(pk=generated.small_action_id),
        Action.objects.get(pk=generated.large_action_id),
    ]
    police = institutions[1]
    for n in range(OTHER_ACTIONS):
        action = Action.objects.create(
            title=f"Measure {n + 1}: circular, guidelines and follow-up",
            kind=rng.choice([k for k in ActionKind.values if k != ActionKind.TRAINING]),
            status=rng.choice(ActionStatus.values),
            lead_institution=police,
            starts_on=date(2024, 1, 1),
            due_on=date(2027, 12, 31),
        )
        action.evidence.set(rng.sample(files, 2))
        indicator = Indicator.objects.create(action=action, name="Measures taken", unit="measures")
        for quarter in range(4):
            IndicatorValue.objects.create(
                indicator=indicator,
                measured_on=date(2025, 3 * quarter + 1, 28),
                value=quarter * 3,
                source="Register",
            )
        ProgressReport.objects.create(
            action=action,
            period_start=date(2025, 1, 1),
            period_end=date(2025, 6, 30),
            summary="Two regional workshops held; the circular was sent to every post.",
            status=ProgressReportStatus.APPROVED,
        )
        actions.append(action)
    links = {
        (recommendation.pk, action.pk)
        for recommendation in recommendations
        for action in rng.sample(actions, rng.randint(1, 3))
    }
    Action.recommendations.through.objects.bulk_create(
        Action.recommendations.through(recommendation_id=r, action_id=a) for r, a in links
    )
    return {
        "document_id": document.pk,
        "recommendations": len(recommendations),
        "actions": len(actions),
        "links": len(links),
        "sessions": shape.sessions,
        "participants": shape.participants,
        "seconds": round(time.perf_counter() - started, 1),
    }


class MemoryWatch:
    """The largest resident memory of this process and its descendants (the PDF fork
    server and the processes it forks) together, sampled every 0.1 s."""

    def __init__(self) -> None:
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.1):
            self.peak_mb = max(self.peak_mb, self.family_rss_mb())

    @staticmethod
    def family_rss_mb() -> float:
        parents: dict[int, int] = {}
        rss: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            rss[int(entry.name)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        family, total = {os.getpid()}, 0
        for pid in sorted(parents):  # children have larger ids, almost always
            if pid in family or parents[pid] in family:
                family.add(pid)
                total += rss[pid]
        return total / 2**20


def measure(document_id: int, runs: int, processes: int | None) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from pypdf import PdfReader

    from mizan.recommendations.models import SourceDocument
    from mizan.reports.followup import follow_up_report
    from mizan.reports.followup_writers import write_follow_up

    document = SourceDocument.objects.get(pk=document_id)
    began = time.perf_counter()
    # Warms fonts and Pango, and starts the fork server of the PDF processes.
    write_follow_up(follow_up_report(document, language="en"), "pdf", processes=processes)
    results: dict[str, Any] = {"first_pdf_s": round(time.perf_counter() - began, 2)}
    for language in ("ar", "en"):
        samples: dict[str, list[float]] = {"build": [], "pdf": [], "docx": [], "xlsx": []}
        queries = pages = size = 0
        for _ in range(runs):
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                report = follow_up_report(document, language=language)
            samples["build"].append(time.perf_counter() - began)
            queries = len(captured)
            for format in ("pdf", "docx", "xlsx"):
                began = time.perf_counter()
                written = write_follow_up(report, format, processes=processes)
                samples[format].append(time.perf_counter() - began)
                if format == "pdf":
                    size = len(written.content)
                    pages = len(PdfReader(io.BytesIO(written.content)).pages)
        results[language] = {
            name: {
                "p50_s": round(statistics.median(values), 2),
                "max_s": round(max(values), 2),
            }
            for name, values in samples.items()
        } | {
            "queries": queries,
            "pdf_bytes": size,
            "pdf_pages": pages,
            "build_and_pdf_p50_s": round(
                statistics.median(samples["build"]) + statistics.median(samples["pdf"]), 2
            ),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--regenerate", action="store_true")
    parser.add_argument(
        "--processes", type=int, default=None, help="PDF processes (default: one per core)"
    )
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    database = args.data_dir / "followup.sqlite3"
    manifest = args.data_dir / "followup.json"
    if args.regenerate or not manifest.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        manifest.unlink(missing_ok=True)
    configure_django(database, args.data_dir)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not manifest.exists():
        info = generate(lambda line: print(line, file=sys.stderr))
        manifest.write_text(json.dumps(info, indent=2))
    info = json.loads(manifest.read_text())
    from mizan.reports.documents import pdf_processes

    load_before = os.getloadavg()
    with MemoryWatch() as memory:
        results = measure(info["document_id"], args.runs, args.processes)
    first_pdf_s = results.pop("first_pdf_s")
    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "data": info,
        "runs": args.runs,
        "goal_seconds": GOAL_SECONDS,
        "pdf_processes": args.processes or pdf_processes(),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "first_pdf_s": first_pdf_s,
        "results": results,
        "peak_rss_mb": round(max_rss_mb()),
        "peak_rss_with_pdf_processes_mb": round(memory.peak_mb),
    }
    (args.data_dir / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(
        f"{info['recommendations']} recommendations, {info['actions']} actions, "
        f"{info['sessions']} sessions, {info['participants']} participants"
    )
    for language, steps in results.items():
        total = sum(steps[name]["p50_s"] for name in ("build", "pdf", "docx", "xlsx"))
        print(
            f"{language}: build {steps['build']['p50_s']} s (max {steps['build']['max_s']}), "
            f"pdf {steps['pdf']['p50_s']} s (max {steps['pdf']['max_s']}), "
            f"docx {steps['docx']['p50_s']} s, xlsx {steps['xlsx']['p50_s']} s; "
            f"{steps['queries']} queries, {steps['pdf_pages']} PDF pages; "
            f"build+pdf {steps['build_and_pdf_p50_s']} s, all four {total:.2f} s "
            f"(goal ≤ {GOAL_SECONDS:.0f} s per report)"
        )
    print(
        f"PDF in {report['pdf_processes']} process(es), first PDF {first_pdf_s} s; "
        f"peak RSS {report['peak_rss_mb']} MB, "
        f"{report['peak_rss_with_pdf_processes_mb']} MB with the PDF processes; "
        f"load average {report['load_average_before'][0]} before, "
        f"{report['load_average_after'][0]} after"
    )


if __name__ == "__main__":
    main()
