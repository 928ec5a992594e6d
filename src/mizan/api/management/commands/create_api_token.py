"""``mizan create_api_token USERNAME``: print the user's API token, creating it if needed.

The token goes in the ``Authorization: Token <key>`` header. It grants exactly what the
user's roles grant, so a script should run as an account made for it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from rest_framework.authtoken.models import Token

from mizan.api.permissions import API_ACCESS


class Command(BaseCommand):
    help = gettext_noop("Print a user's API token, creating it if they have none.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.description = _(self.help)
        parser.add_argument("username", help=_("the user the token acts as"))
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("replace an existing token, so the old one stops working"),
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: options["username"]})
        except user_model.DoesNotExist:
            raise CommandError(
                _("There is no user %(username)s.") % {"username": options["username"]}
            ) from None
        if not user.is_active:
            raise CommandError(
                _("User %(username)s is deactivated.") % {"username": options["username"]}
            )
        if options["reset"]:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
        if not user.has_perm(API_ACCESS):
            # Still print it: the membership may be added next; but say why it is refused.
            self.stderr.write(
                _(
                    "%(username)s has no role in any institution yet; the API refuses the "
                    "token until they have one."
                )
                % {"username": options["username"]}
            )
        self.stdout.write(token.key)
