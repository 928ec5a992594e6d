"""The demo: a fictional follow-up case (institutions, users, UN recommendations) that
``mizan demo`` loads so that Mizan can be tried at once."""

from mizan.core.demo.content import DEMO_PASSWORD, USERS
from mizan.core.demo.loader import DemoSummary, load_demo

__all__ = ["DEMO_PASSWORD", "USERS", "DemoSummary", "load_demo"]
