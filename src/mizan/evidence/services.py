"""Storing evidence files. A file is accepted for what its bytes are (libmagic reads
them), never for its name, and only up to ``MIZAN_EVIDENCE_MAX_BYTES``."""

from __future__ import annotations

import hashlib
from typing import Any

import magic
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from mizan.audit.history import attribute_change
from mizan.core.errors import MizanError
from mizan.evidence.models import EvidenceFile

#: The kinds of document accepted as evidence, by the MIME type libmagic finds in them.
ACCEPTED_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "text/plain": "TXT",
    "text/csv": "CSV",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
}


def content_type_of(head: bytes) -> str:
    """The MIME type libmagic reads from a file's first bytes."""
    return str(magic.from_buffer(head, mime=True))


@transaction.atomic
def store_evidence(*, upload: Any, by: Any = None, description: str = "") -> EvidenceFile:
    """Check an uploaded file (a Django ``UploadedFile`` or any object with ``name``,
    ``size`` and ``read``) and store it; the same bytes uploaded twice are stored once."""
    limit = settings.MIZAN_EVIDENCE_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise MizanError(
            _("The file is %(size)s; the largest accepted is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise MizanError(
            _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
            field="file",
        )
    if not data:
        raise MizanError(_("The file is empty."), field="file")
    content_type = content_type_of(data[:65536])
    if content_type not in ACCEPTED_TYPES:
        raise MizanError(
            _(
                "This file's content is not an accepted kind of document (%(found)s). "
                "Accepted: %(accepted)s."
            )
            % {"found": content_type, "accepted": ", ".join(sorted(set(ACCEPTED_TYPES.values())))},
            field="file",
        )
    digest = hashlib.sha256(data).hexdigest()
    name = (getattr(upload, "name", "") or "evidence").replace("\\", "/").rsplit("/", 1)[-1]
    evidence = EvidenceFile(
        name=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        description=description.strip()[:300],
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    existing = EvidenceFile.objects.filter(sha256=digest).exclude(file="").first()
    if existing is not None:
        evidence.file.name = existing.file.name
    else:
        evidence.file.save(digest, ContentFile(data), save=False)
    attribute_change(evidence, user=by)
    evidence.save()
    return evidence
