"""Measured values are shown as people write them."""

from decimal import Decimal

import pytest
from django.utils import translation

from mizan.core.templatetags.mizan import figure


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("196.00"), "196"),
        (Decimal("21.40"), "21.4"),
        (Decimal("0.00"), "0"),
        (Decimal("1200.50"), "1200.5"),
        (None, ""),
    ],
)
def test_trailing_zeros_are_dropped(value, shown):
    with translation.override("en"):
        assert figure(value) == shown


def test_french_uses_a_decimal_comma():
    with translation.override("fr"):
        assert figure(Decimal("21.40")) == "21,4"
