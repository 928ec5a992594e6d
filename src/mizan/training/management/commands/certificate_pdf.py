"""``mizan certificate-pdf CODE --language ar --output FILE``: write a certificate as a
PDF, in Arabic, French or English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mizan.core.errors import MizanError
from mizan.core.languages import INTERFACE_LANGUAGES
from mizan.training.certificate_pdf import render_certificate
from mizan.training.codes import normalise_certificate_code
from mizan.training.models import Certificate


class Command(BaseCommand):
    help = gettext_noop("Write a certificate as a PDF, found by its verification code.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("code", help=_("the certificate's verification code"))
        parser.add_argument(
            "--language",
            choices=INTERFACE_LANGUAGES,
            default="ar",
            help=_("language of the certificate (default: ar)"),
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=_("where to write the PDF (default: certificate-CODE-LANGUAGE.pdf)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = normalise_certificate_code(options["code"])
        certificate = Certificate.objects.filter(code=code).first()
        if certificate is None:
            raise CommandError(_("No certificate has the code %(code)s.") % {"code": code})
        language = options["language"]
        try:
            pdf = render_certificate(certificate, language)
        except MizanError as error:
            raise CommandError(str(error.message)) from error
        output = Path(options["output"] or f"certificate-{code}-{language}.pdf")
        output.write_bytes(pdf)
        self.stdout.write(
            _("Certificate %(code)s written to %(file)s.") % {"code": code, "file": output}
        )
