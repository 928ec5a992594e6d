"""Files attached to a suggestion, cleaned before they are stored: a file can name its
author in its name or in its metadata (a PDF's /Author and XMP packet, a photo's EXIF
artist and GPS position), and a suggestion's author must stay unknown to blind
reviewers and, for anonymous suggestions, to everyone.

Only photos (JPEG, PNG, WebP) and PDF files are taken. Photos are decoded and written
again with Pillow without any metadata; PDFs are copied page by page with pypdf, without
the document information and XMP metadata. Each file is renamed ``attachment-N.ext``.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from mizan.core.errors import MizanError
from mizan.evidence.services import content_type_of

#: MIME type (read from the content) → (extension, Pillow format or "pdf")
ACCEPTED = {
    "image/jpeg": ("jpg", "JPEG"),
    "image/png": ("png", "PNG"),
    "image/webp": ("webp", "WEBP"),
    "application/pdf": ("pdf", "pdf"),
}


def _refuse() -> MizanError:
    return MizanError(
        _("Attach photos (JPEG, PNG or WebP) or PDF files."), field="attachments", code="kind"
    )


def _clean_image(data: bytes, kind: str) -> bytes:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            upright = ImageOps.exif_transpose(image)
            clean = Image.new(upright.mode, upright.size)
            clean.paste(upright)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        raise _refuse() from None
    out = io.BytesIO()
    clean.save(out, format=kind)
    return out.getvalue()


def _clean_pdf(data: bytes) -> bytes:
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        writer.metadata = None
        if "/Metadata" in writer.root_object:
            del writer.root_object["/Metadata"]
        out = io.BytesIO()
        writer.write(out)
    except (PdfReadError, OSError, ValueError, KeyError):
        raise _refuse() from None
    return out.getvalue()


def cleaned_attachment(upload: Any, number: int) -> SimpleUploadedFile:
    """``upload`` (anything with ``read``), checked by content and cleaned of what could
    name its author, as ``attachment-<number>.<ext>``."""
    limit = settings.MIZAN_EVIDENCE_MAX_BYTES
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise MizanError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
            field="attachments",
        )
    if not data:
        raise MizanError(_("The file is empty."), field="attachments")
    kind = content_type_of(data[:4096])
    if kind not in ACCEPTED:
        raise _refuse()
    extension, form = ACCEPTED[kind]
    clean = _clean_pdf(data) if form == "pdf" else _clean_image(data, form)
    return SimpleUploadedFile(f"attachment-{number}.{extension}", clean, content_type=kind)
