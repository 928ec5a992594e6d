"""Who may use the API at all. What each endpoint then allows is the domain apps' rules."""

import rules

from mizan.accounts.rules import is_member

# Every endpoint, the schema and the docs are for members of an institution; an account
# without any membership is refused everywhere, so it cannot even learn what exists.
rules.add_perm("api.access", is_member)
