"""The demo's follow-up work: the training action that answers the CMW's recommendation
on law-enforcement training, its indicators and progress reports, the two voices'
assessments, and the partnership agreement between the NHRI and the police directorate
with its joint committee.

Dates are given in days from the day the demo is loaded, so that the demo always has
work due soon, work overdue and a meeting coming up. Every text was written for Mizan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from mizan.actions.enums import ActionKind, ReportingFrequency
from mizan.core.demo.content import CMW_SYMBOL, TRAINING_PARAGRAPH
from mizan.partnerships.enums import CommitteeRole
from mizan.recommendations.enums import AssessmentVoice, ImplementationStatus


@dataclass(frozen=True)
class DemoIndicator:
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    frequency: str
    #: (days from today, value, source)
    values: tuple[tuple[int, Decimal, str], ...] = ()
    computation: str = ""


@dataclass(frozen=True)
class DemoProgressReport:
    period: tuple[int, int]
    summary: str
    difficulties: str
    next_steps: str
    #: "approved", "submitted" or "draft"
    outcome: str
    review_comment: str = ""


@dataclass(frozen=True)
class DemoAssessment:
    paragraph: str
    voice: str
    status: str
    days_ago: int
    rationale: str
    institution: str


@dataclass(frozen=True)
class DemoAction:
    title: str
    description: str
    kind: str
    lead: str
    partners: tuple[str, ...]
    #: (symbol, paragraph) of the recommendations answered
    answers: tuple[tuple[str, str], ...]
    starts_in: int
    due_in: int
    indicators: tuple[DemoIndicator, ...] = ()
    reports: tuple[DemoProgressReport, ...] = ()


@dataclass(frozen=True)
class DemoTask:
    description: str
    owner: str
    institution: str
    due_in: int


@dataclass(frozen=True)
class DemoDecision:
    text: str
    tasks: tuple[DemoTask, ...] = ()


@dataclass(frozen=True)
class DemoMeeting:
    days_from_today: int
    place: str
    agenda: str
    minutes: str = ""
    attendees: tuple[str, ...] = ()
    decisions: tuple[DemoDecision, ...] = ()


@dataclass(frozen=True)
class DemoCommittee:
    name: str
    mandate: str
    #: (username, institution code, role)
    members: tuple[tuple[str, str, str], ...]
    meetings: tuple[DemoMeeting, ...] = ()


@dataclass(frozen=True)
class DemoAgreement:
    title: str
    reference: str
    parties: tuple[str, ...]
    signed_days_ago: int
    in_force_days_ago: int
    years: int
    scope: str
    #: (text, party code, days from today until due, whether the training action carries it)
    commitments: tuple[tuple[str, str, int, bool], ...]
    committees: tuple[DemoCommittee, ...] = field(default_factory=tuple)


TRAINING_ACTION = DemoAction(
    title="Human rights training for law-enforcement officers on the rights of migrants",
    description=(
        "A five-day course for police officers and border police, built from the joint "
        "trainer's guide of the National Human Rights Council and the police directorate. "
        "Trained officers brief the colleagues of their unit within three months."
    ),
    kind=ActionKind.TRAINING,
    lead="police",
    partners=("nhri", "border-police", "iom"),
    answers=((CMW_SYMBOL, TRAINING_PARAGRAPH),),
    starts_in=-300,
    due_in=400,
    indicators=(
        DemoIndicator(
            "Officers trained",
            "officers",
            Decimal(0),
            Decimal(600),
            ReportingFrequency.QUARTERLY,
            values=(
                (-240, Decimal(48), "Attendance sheets of sessions 1 and 2"),
                (-150, Decimal(121), "Attendance sheets of sessions 3 to 5"),
                (-60, Decimal(196), "Attendance sheets of sessions 6 to 8"),
            ),
        ),
        DemoIndicator(
            "Share of women among officers trained",
            "%",
            Decimal(0),
            Decimal(30),
            ReportingFrequency.QUARTERLY,
            values=(
                (-150, Decimal("18.2"), "Attendance sheets, by sex"),
                (-60, Decimal("21.4"), "Attendance sheets, by sex"),
            ),
        ),
        DemoIndicator(
            "Police training centres using the trainer's guide",
            "centres",
            Decimal(0),
            Decimal(6),
            ReportingFrequency.SEMIANNUAL,
            values=((-60, Decimal(2), "Note of the police training directorate"),),
        ),
    ),
    reports=(
        DemoProgressReport(
            period=(-300, -120),
            summary=(
                "The trainer's guide was adopted by both institutions. Five sessions were "
                "held in Rabat, Tangier and Oujda; 121 officers completed the course."
            ),
            difficulties="Two sessions were postponed because officers were on duty.",
            next_steps="Three sessions in the south; a first cascade briefing in each unit.",
            outcome="approved",
            review_comment="Approved. Please break the figures down by region next time.",
        ),
        DemoProgressReport(
            period=(-119, -30),
            summary=(
                "Three more sessions, in Laayoune, Agadir and Nador; 196 officers trained in "
                "total, 21.4 % of them women. Participants made 34 suggestions, sent to the "
                "joint committee."
            ),
            difficulties="The post-test was not taken by 11 officers called away on duty.",
            next_steps="Revise module 3 with the committee's decisions; plan four sessions.",
            outcome="submitted",
        ),
    ),
)

ASSESSMENTS = (
    DemoAssessment(
        TRAINING_PARAGRAPH,
        AssessmentVoice.STATE,
        ImplementationStatus.IN_PROGRESS,
        30,
        "Eight training sessions have been held and 196 officers trained; the course is "
        "now part of the police directorate's annual training plan.",
        "police",
    ),
    DemoAssessment(
        TRAINING_PARAGRAPH,
        AssessmentVoice.NHRI,
        ImplementationStatus.PARTIALLY_IMPLEMENTED,
        20,
        "Training is under way and its content is sound, but it is not yet compulsory and "
        "border guards in the south have not been reached.",
        "nhri",
    ),
    DemoAssessment(
        "23(b)",
        AssessmentVoice.STATE,
        ImplementationStatus.IMPLEMENTED,
        45,
        "A decree of the Ministry of Justice provides interpreters in court proceedings.",
        "interior",
    ),
    DemoAssessment(
        "23(b)",
        AssessmentVoice.NHRI,
        ImplementationStatus.PARTIALLY_IMPLEMENTED,
        15,
        "Interpreters are provided in court, but not in administrative removal proceedings, "
        "and legal aid remains rare according to the Council's monitoring visits.",
        "nhri",
    ),
)

AGREEMENT = DemoAgreement(
    title=(
        "Partnership agreement on human rights training and the prevention of abuse in "
        "law enforcement"
    ),
    reference="CNDH-DGPN/2025/07",
    parties=("nhri", "police"),
    signed_days_ago=440,
    in_force_days_ago=420,
    years=3,
    scope=(
        "Joint design and delivery of human rights training for police officers, with a "
        "focus on the rights of migrants; exchange of information on complaints; joint "
        "follow-up of the recommendations of UN mechanisms addressed to the police."
    ),
    commitments=(
        (
            "The police directorate releases officers for the training and integrates the "
            "trainer's guide into the curriculum of its training centres.",
            "police",
            400,
            True,
        ),
        (
            "The National Human Rights Council provides trainers, materials and the "
            "evaluation of each session.",
            "nhri",
            400,
            True,
        ),
        (
            "Both institutions meet in a joint committee at least once a quarter.",
            "",
            675,
            False,
        ),
    ),
    committees=(
        DemoCommittee(
            name="Joint committee on human rights training",
            mandate=(
                "Follows the agreement's commitments, reviews participants' suggestions and "
                "decides on changes to the trainer's guide."
            ),
            members=(
                ("coordinator", "nhri", CommitteeRole.CHAIR),
                ("focal.police", "police", CommitteeRole.SECRETARY),
                ("committee", "nhri", CommitteeRole.MEMBER),
                ("committee.police", "police", CommitteeRole.MEMBER),
            ),
            meetings=(
                DemoMeeting(
                    days_from_today=-49,
                    place="National Human Rights Council, Rabat",
                    agenda=(
                        "1. Progress of the training programme\n"
                        "2. Suggestions from the first five sessions\n"
                        "3. Calendar of the next sessions"
                    ),
                    minutes=(
                        "The committee reviewed the progress report for the first period and "
                        "the suggestions of participants. Members agreed that the module on "
                        "identifying persons in vulnerable situations needs more case studies "
                        "from border posts."
                    ),
                    attendees=("coordinator", "focal.police", "committee"),
                    decisions=(
                        DemoDecision(
                            "Add two case studies from border posts to the module on "
                            "persons in vulnerable situations.",
                            tasks=(
                                DemoTask(
                                    "Draft the two case studies with the border police "
                                    "division and send them to the committee.",
                                    "focal.police",
                                    "police",
                                    9,
                                ),
                            ),
                        ),
                        DemoDecision(
                            "Hold the next sessions in the southern regions first.",
                            tasks=(
                                DemoTask(
                                    "Propose dates and venues for the sessions in Laayoune "
                                    "and Dakhla.",
                                    "focal.police",
                                    "police",
                                    -20,
                                ),
                            ),
                        ),
                    ),
                ),
                DemoMeeting(
                    days_from_today=41,
                    place="National Police Directorate, Rabat",
                    agenda=(
                        "1. Second progress report\n"
                        "2. Revised module on persons in vulnerable situations\n"
                        "3. Follow-up survey of trained officers"
                    ),
                ),
            ),
        ),
    ),
)
