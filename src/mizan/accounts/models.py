"""Users and their memberships of institutions, each with a role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mizan.accounts.enums import Role


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        blank=True,
        choices=[("ar", "العربية"), ("fr", "Français"), ("en", "English")],
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def roles(self) -> set[str]:
        """The roles this user holds in any institution (cached per instance)."""
        return {role for role, _kind in self.roles_by_institution_kind()}

    def roles_by_institution_kind(self) -> set[tuple[str, str]]:
        """(role, kind of institution) pairs of this user's memberships, read once per
        instance: "a coordinator of an NHRI" is answered without another query."""
        cached: set[tuple[str, str]] | None = getattr(self, "_mizan_role_kinds", None)
        if cached is None:
            cached = set(self.memberships.values_list("role", "institution__kind"))
            self._mizan_role_kinds = cached
        return cached


class Membership(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="unique_membership_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.institution} · {self.get_role_display()}"
