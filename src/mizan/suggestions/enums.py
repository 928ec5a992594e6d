"""Choices of suggestions, review rounds and the committee's decisions."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Subject(models.TextChoices):
    """What a suggestion is about."""

    CURRICULUM = "curriculum", _("The curriculum as a whole")
    MODULE = "module", _("A module")
    OBJECTIVE = "objective", _("A learning objective")
    LOGISTICS = "logistics", _("Logistics")
    OTHER = "other", _("Something else")


class Category(models.TextChoices):
    CONTENT = "content", _("Content to add or change")
    METHOD = "method", _("Teaching methods and exercises")
    MATERIALS = "materials", _("Materials and documents")
    ASSESSMENT = "assessment", _("Tests and evaluation")
    ORGANISATION = "organisation", _("Organisation, time and place")
    OTHER = "other", _("Other")


class AuthorKind(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    TRAINER = "trainer", _("Trainer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    STAFF = "staff", _("Staff")


class SuggestionStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    DECIDED = "decided", _("Decided")
    INTEGRATED = "integrated", _("Integrated into the curriculum")


class RoundStatus(models.TextChoices):
    PREPARING = "preparing", _("Being prepared")
    REVIEWING = "reviewing", _("Reviewers at work")
    CLOSED = "closed", _("Review closed")
    RELEASED = "released", _("Decisions released")


class Outcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DEFERRED = "deferred", _("Deferred")
    MERGED = "merged", _("Merged into another suggestion")
