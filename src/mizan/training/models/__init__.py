"""The training domain's records.

- :mod:`.curricula`: curricula, versions, modules, learning objectives, question bank and
  parallel test forms;
- :mod:`.sessions`: training sessions and their half-day slots;
- :mod:`.people`: participants, their enrolments (nominations) and personal links;
- :mod:`.attendance`: attendance per half-day slot;
- :mod:`.answers`: what participants answer on their phone: tests, evaluations, action
  plans, follow-up surveys;
- :mod:`.certificates`: certificates of completion;
- :mod:`.cascades`: sessions given in turn by trained participants.
"""

from mizan.training.models.answers import (
    ActionPlan,
    Evaluation,
    FollowUpResponse,
    TestAnswer,
    TestAttempt,
)
from mizan.training.models.attendance import Attendance
from mizan.training.models.cascades import CascadeAudience, CascadeSession
from mizan.training.models.certificates import Certificate
from mizan.training.models.curricula import (
    ChangelogEntry,
    Choice,
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    Question,
    TestForm,
    TestFormQuestion,
)
from mizan.training.models.people import Enrolment, Participant, PersonalLink
from mizan.training.models.sessions import SessionSlot, TrainingSession

__all__ = [
    "ActionPlan",
    "Attendance",
    "CascadeAudience",
    "CascadeSession",
    "Certificate",
    "ChangelogEntry",
    "Choice",
    "Curriculum",
    "CurriculumVersion",
    "Enrolment",
    "Evaluation",
    "FollowUpResponse",
    "LearningObjective",
    "Module",
    "Participant",
    "PersonalLink",
    "Question",
    "SessionSlot",
    "TestAnswer",
    "TestAttempt",
    "TestForm",
    "TestFormQuestion",
    "TrainingSession",
]
