"""``mizan assist embed|train|suggest|evaluate|duplicates``: the assistant from the shell.

- ``mizan assist embed``: embed the texts that are new or changed (a progress bar);
- ``mizan assist train [--vocabulary CODE …]``: train the vocabularies' tag models again;
- ``mizan assist suggest [--vocabulary CODE …]``: propose terms for every recommendation
  without confirmed tags in each vocabulary (all vocabularies by default);
- ``mizan assist evaluate --vocabulary CODE [--folds 5] [--no-baseline]``: cross-validate
  on the confirmed tags and print micro-F1, macro-F1 and precision at 3, with the TF-IDF
  baseline on the same folds beside them;
- ``mizan assist duplicates [--threshold X]``: find near-duplicate recommendations and
  propose clusters for a coordinator to decide on.

Everything runs offline: the sentence model ships inside an installed package.
"""

from __future__ import annotations

from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from mizan.core.errors import MizanError
from mizan.recommendations.models import Vocabulary


class Command(BaseCommand):
    help = gettext_noop(
        "Embed texts, train tag models, suggest tags, evaluate them, find near-duplicates."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("embed", help=_("embed the texts that are new or changed"))
        train = actions.add_parser("train", help=_("train the tag models again"))
        train.add_argument("--vocabulary", action="append", metavar="CODE", default=[])
        suggest = actions.add_parser(
            "suggest", help=_("suggest tags for recommendations without confirmed tags")
        )
        suggest.add_argument("--vocabulary", action="append", metavar="CODE", default=[])
        evaluate = actions.add_parser(
            "evaluate", help=_("cross-validate a vocabulary's suggestions on its confirmed tags")
        )
        evaluate.add_argument("--vocabulary", required=True, metavar="CODE")
        evaluate.add_argument("--folds", type=int, default=5)
        evaluate.add_argument(
            "--no-baseline", action="store_true", help=_("skip the TF-IDF baseline")
        )
        duplicates = actions.add_parser("duplicates", help=_("find near-duplicate recommendations"))
        duplicates.add_argument(
            "--threshold", type=float, default=None, help=_("cosine similarity, 0 to 1")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except MizanError as error:
            raise CommandError(str(error)) from error

    def _bar(self, total: int, what: str) -> Any:
        from tqdm import tqdm

        return tqdm(total=total, desc=what, file=cast(TextIO, self.stderr._out), leave=False)

    def _vocabularies(self, codes: list[str]) -> list[Vocabulary]:
        if not codes:
            return list(Vocabulary.objects.all())
        found = {v.code: v for v in Vocabulary.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise CommandError(
                _("Unknown vocabulary: %(codes)s. Known: %(known)s.")
                % {
                    "codes": ", ".join(unknown),
                    "known": ", ".join(Vocabulary.objects.values_list("code", flat=True)),
                }
            )
        return [found[code] for code in codes]

    def do_embed(self, options: dict[str, Any]) -> None:
        from mizan.assist.embeddings import refresh_embeddings, stale_recommendations

        stale = stale_recommendations()
        with self._bar(len(stale), _("Embedding")) as bar:
            done = refresh_embeddings(stale, progress=bar.update)
        self.stdout.write(_("%(count)d texts embedded.") % {"count": done})

    def do_train(self, options: dict[str, Any]) -> None:
        from mizan.assist.suggester import train_vocabulary

        for vocabulary in self._vocabularies(options["vocabulary"]):
            tag_model = train_vocabulary(vocabulary)
            self.stdout.write(
                _("%(vocabulary)s: %(kind)s, %(examples)d confirmed examples.")
                % {
                    "vocabulary": vocabulary.code,
                    "kind": tag_model.get_kind_display(),
                    "examples": tag_model.examples,
                }
            )

    def do_suggest(self, options: dict[str, Any]) -> None:
        from mizan.assist.suggester import suggest, untagged_in

        for vocabulary in self._vocabularies(options["vocabulary"]):
            todo = untagged_in(vocabulary)
            with self._bar(len(todo), vocabulary.code) as bar:
                run = suggest(vocabulary, todo, progress=bar.update)
            self.stdout.write(run.summary())

    def do_evaluate(self, options: dict[str, Any]) -> None:
        from mizan.assist.suggester import evaluate

        (vocabulary,) = self._vocabularies([options["vocabulary"]])
        folds = options["folds"]
        with self._bar(folds, _("Folds")) as bar:
            figures = evaluate(
                vocabulary,
                number_of_folds=folds,
                with_baseline=not options["no_baseline"],
                progress=bar.update,
            )
        self.stdout.write(
            _(
                "%(vocabulary)s: %(examples)d recommendations with confirmed tags, "
                "%(terms)d terms, %(folds)d folds."
            )
            % {"vocabulary": vocabulary.code, **figures}
        )
        baseline = figures.get("baseline")
        header = f"{'':<16}{_('Mizan'):>10}"
        if isinstance(baseline, dict):
            header += f"{pgettext('model', 'Baseline'):>12}"
        self.stdout.write(header)
        for key, label in (
            ("micro_f1", _("micro-F1")),
            ("macro_f1", _("macro-F1")),
            ("precision_at_3", _("precision@3")),
        ):
            line = f"{label:<16}{figures[key]:>10.3f}"
            if isinstance(baseline, dict):
                line += f"{baseline[key]:>12.3f}"
            self.stdout.write(line)
        if isinstance(baseline, dict):
            self.stdout.write(
                _("Baseline: TF-IDF words and bigrams, one-vs-rest logistic regression.")
            )

    def do_duplicates(self, options: dict[str, Any]) -> None:
        from mizan.assist.duplicates import find_clusters

        threshold = options["threshold"]
        if threshold is not None and not 0 < threshold <= 1:
            raise CommandError(_("The threshold is a cosine similarity between 0 and 1."))
        from mizan.recommendations.models import Recommendation

        with self._bar(Recommendation.objects.count(), _("Comparing")) as bar:
            run = find_clusters(threshold=threshold, progress=bar.update)
        self.stdout.write(run.summary())
