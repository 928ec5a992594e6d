"""Signals the registry sends for other apps to follow."""

from django.dispatch import Signal

#: Sent after an import wrote recommendations and texts in bulk (no per-row ``post_save``):
#: apps that keep derived data (the assistant's embeddings) catch up from it.
recommendations_imported = Signal()
