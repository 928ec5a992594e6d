"""Business operations of the training domain, one module per area:

- :mod:`.curricula`: curricula, versions, modules, objectives, question bank, test forms
  (re-exported here, as this package began with them);
- :mod:`.sessions`: sessions and their slots, participants, nominations and enrolments,
  personal links;
- further modules for rosters, attendance, answers, certificates and cascades.

Each function validates, writes in one transaction with its audit entry
(django-simple-history, attributed to ``by``) and returns what it changed.
"""

from mizan.training.services.curricula import *  # noqa: F403
from mizan.training.services.curricula import (  # re-exported names used with the module
    clean_texts,
    refuse_frozen,
)

__all__ = ["clean_texts", "refuse_frozen"]
