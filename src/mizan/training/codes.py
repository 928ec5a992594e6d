"""Random codes the training records carry: personal link tokens, QR check-in codes,
pseudonyms and certificate verification codes.

All come from :mod:`secrets`. Link tokens and check-in codes are long enough that they
cannot be guessed; certificate codes are short enough to type from paper, and their
alphabet leaves out the letters and digits people confuse (0/O, 1/I/L).
"""

from __future__ import annotations

import secrets

#: Letters and digits that read unambiguously on paper and on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_link_token() -> str:
    """A personal link token: 32 random bytes, URL-safe (43 characters)."""
    return secrets.token_urlsafe(32)


def new_check_in_code() -> str:
    """The code behind a half-day slot's QR code: 16 random bytes, URL-safe."""
    return secrets.token_urlsafe(16)


def new_pseudonym() -> str:
    """A participant's pseudonymous id, which links their answers across the months
    (tests, follow-up survey) without their name: 12 characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))


def new_certificate_code() -> str:
    """A certificate's verification code, in three groups of four: ``K7QM-R2XD-9HNP``
    (about 59 bits)."""
    characters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return "-".join(characters[index : index + 4] for index in range(0, 12, 4))


def normalise_certificate_code(code: str) -> str:
    """The code as stored, from what a person typed: upper case, groups re-joined."""
    characters = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(characters[index : index + 4] for index in range(0, len(characters), 4))
