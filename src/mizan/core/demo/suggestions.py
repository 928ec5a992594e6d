"""The demo's suggestions, and their way back into the curriculum.

- On the last day of the **Oujda** session, fourteen officers made suggestions through
  their personal links, in Arabic, French and English, three of them anonymously; two
  of them ask for the same thing in other words. The trainer and a committee member made
  theirs signed in.
- The joint committee reviewed them in a **blind** round with the default rubric, two
  reviewers each, grouped the two alike, decided at its meeting seven weeks ago and
  released the decisions.
- **Version 2** of the course integrates what was accepted for the curriculum: four
  changelog entries, linked to the suggestions behind them, with the modules changed.
  It is published, and the Agadir session teaches it (``load_sessions`` calls
  :func:`load_suggestions` before creating Agadir, which freezes the version).
- Two officers of the **Tangier** session, running now, made suggestions yesterday; no
  round has them yet.

Everything goes through the services, attributed to the person who would do it. The
services date what they write to the moment they write it; the demo then dates the
suggestions, reviews and decisions back to when the story has them happen (the audit
trail still says when the demo loaded them). Every text was written for Mizan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from mizan.accounts.models import User
from mizan.core.demo.action_plan import AGREEMENT
from mizan.core.demo.content import COORDINATOR
from mizan.core.demo.course import COURSE_CODE
from mizan.core.demo.sessions import SESSIONS
from mizan.partnerships.models import JointCommittee, Meeting
from mizan.suggestions.enums import AuthorKind, Category, Outcome, Subject
from mizan.suggestions.models import (
    Review,
    ReviewAssignment,
    ReviewRound,
    Suggestion,
    SuggestionDecision,
)
from mizan.suggestions.services import decisions, intake, integration, rounds
from mizan.training.enums import EnrolmentStatus, VersionStatus
from mizan.training.models import (
    Curriculum,
    CurriculumVersion,
    LearningObjective,
    Module,
    TrainingSession,
)
from mizan.training.services import curricula

ROUND_TITLE = "Suggestions from the Oujda session"
GROUP_TITLE = "Case studies from border posts in module 5"
SECRETARY = "focal.police"

#: Scores against the default rubric: relevance, feasibility, human rights impact.
Scores = tuple[int, int, int]


@dataclass(frozen=True)
class DemoSuggestion:
    key: str
    language: str
    subject: str
    category: str
    text: str
    #: the first and the second reviewer's review: scores and comment
    reviews: tuple[tuple[Scores, str], ...] = ()
    #: the city of the session it came from; empty for none
    session: str = "Oujda"
    #: a participant's place among the session's participants (by enrolment)
    participant: int | None = None
    anonymous: bool = False
    #: a signed-in author's username, and what they are
    author: str = ""
    author_kind: str = AuthorKind.PARTICIPANT
    #: the module's place in the session's version, or the learning objective's code
    module: int | None = None
    objective: str = ""


@dataclass(frozen=True)
class DemoOutcome:
    suggestions: tuple[str, ...]
    outcome: str
    rationale: str
    merged_into: str = ""


@dataclass(frozen=True)
class DemoChange:
    text: str
    #: places of the modules changed in the version
    modules: tuple[int, ...]
    suggestions: tuple[str, ...]


S = Subject
C = Category

SUGGESTIONS: tuple[DemoSuggestion, ...] = (
    DemoSuggestion(
        "border-cases",
        "fr",
        S.MODULE,
        C.CONTENT,
        "Ajouter au module sur les personnes en situation de vulnérabilité des études de cas "
        "tirées des postes frontières : un mineur arrivé seul au port, une femme enceinte à "
        "la frontière terrestre.",
        (
            ((5, 4, 5), "Real cases from our posts; exactly what module 5 lacks."),
            ((4, 4, 5), "Good; the border police division can provide the cases."),
        ),
        participant=0,
        module=5,
    ),
    DemoSuggestion(
        "border-cases-again",
        "fr",
        S.MODULE,
        C.CONTENT,
        "Dans le module sur les personnes vulnérables, il faudrait des cas pratiques venant "
        "des postes frontières, par exemple un mineur non accompagné arrivé au port.",
        (
            ((5, 4, 4), "Same request as the other one on border posts."),
            ((4, 5, 5), "Agreed; easy to add to the trainer's guide."),
        ),
        participant=1,
        module=5,
    ),
    DemoSuggestion(
        "role-play-time",
        "ar",
        S.OBJECTIVE,
        C.METHOD,
        "نحتاج إلى وقت أطول لتمرين لعب الأدوار حول مقابلة طفل أو امرأة في وضعية هشاشة، "
        "فالوقت المخصص له الآن قصير جدا.",
        (
            ((4, 3, 4), "The same need as the trainer's suggestion on the role play."),
            ((4, 4, 4), "Useful, but the time must be found in the day."),
        ),
        participant=2,
        objective="4.2",
    ),
    DemoSuggestion(
        "second-room",
        "ar",
        S.LOGISTICS,
        C.ORGANISATION,
        "كانت القاعة ضيقة على عمل المجموعات. نقترح حجز قاعة ثانية للتمارين التطبيقية.",
        (
            ((3, 5, 2), "Easy to arrange with the training centre."),
            ((4, 5, 2), "Book the second room when the session is planned."),
        ),
        participant=3,
        anonymous=True,
    ),
    DemoSuggestion(
        "guide-in-advance",
        "en",
        S.CURRICULUM,
        C.MATERIALS,
        "Send us the trainer's guide in Arabic a week before the course, so that we can read "
        "the cases before the first day.",
        (
            ((4, 4, 3), "Helps officers who read Arabic more easily than French."),
            ((3, 3, 3), "Depends on when the Arabic edition is printed."),
        ),
        participant=4,
    ),
    DemoSuggestion(
        "local-alternatives",
        "fr",
        S.MODULE,
        C.CONTENT,
        "Le module sur la rétention devrait présenter les alternatives qui existent vraiment "
        "dans la région, avec les contacts des services et des associations qui accueillent "
        "les personnes.",
        (
            ((5, 3, 5), "Officers need the local contacts, not only the principle."),
            ((4, 3, 5), "The list must be kept up to date in each region."),
        ),
        participant=5,
        module=6,
    ),
    DemoSuggestion(
        "rescue-at-sea",
        "en",
        S.MODULE,
        C.METHOD,
        "Add a practical exercise on rescue at sea, with the procedures the Royal Navy and "
        "the border police follow together.",
        (
            ((4, 2, 4), "Relevant for Tangier and Nador, but it needs the navy."),
            ((3, 1, 3), "Hard to fit into a five-day course."),
        ),
        participant=6,
        module=3,
    ),
    DemoSuggestion(
        "shorter-pre-test",
        "ar",
        S.CURRICULUM,
        C.ASSESSMENT,
        "الاختبار القبلي طويل ويأخذ جزءا كبيرا من الصباح الأول. نقترح تقصيره أو حذفه.",
        (
            ((2, 4, 1), "The pre-test is what measures the learning."),
            ((2, 3, 2), "Better to explain its purpose than to drop it."),
        ),
        participant=7,
    ),
    DemoSuggestion(
        "promotion",
        "en",
        S.OTHER,
        C.OTHER,
        "The certificate of this course should count for promotion.",
        (
            ((2, 1, 2), "Not for this committee to decide."),
            ((3, 1, 2), "Understandable, but a matter for human resources."),
        ),
        participant=8,
        anonymous=True,
    ),
    DemoSuggestion(
        "filmed-role-plays",
        "fr",
        S.MODULE,
        C.METHOD,
        "Pour les contrôles d'identité, des mises en situation filmées puis commentées en "
        "groupe seraient plus parlantes qu'un exposé.",
        (
            ((4, 2, 4), "A strong method, but it needs equipment and consent."),
            ((4, 2, 3), "Perhaps next year."),
        ),
        participant=9,
        module=2,
    ),
    DemoSuggestion(
        "referral-card",
        "ar",
        S.OBJECTIVE,
        C.MATERIALS,
        "نقترح أن يتسلم كل مشارك بطاقة جيب فيها أرقام هواتف مصالح الحماية والتوجيه في الجهة.",
        (
            ((5, 5, 5), "Cheap, and directly useful at the post."),
            ((5, 4, 5), "Each region needs its own card."),
        ),
        participant=10,
        anonymous=True,
        objective="5.2",
    ),
    DemoSuggestion(
        "prosecutor",
        "en",
        S.MODULE,
        C.CONTENT,
        "Invite a prosecutor to the session on cooperation: we refer cases to the prosecution "
        "every week but rarely meet them.",
        (
            ((4, 4, 4), "Referrals to the prosecution fail for lack of contact."),
            ((5, 3, 4), "The prosecution must agree; worth asking."),
        ),
        participant=11,
        module=7,
    ),
    DemoSuggestion(
        "later-start",
        "fr",
        S.LOGISTICS,
        C.ORGANISATION,
        "Commencer à 9 h 30 le premier jour : plusieurs collègues viennent de postes éloignés "
        "le matin même.",
        (
            ((2, 3, 1), "The timetable is already tight."),
            ((3, 2, 1), "Better to lodge them the night before."),
        ),
        participant=12,
    ),
    DemoSuggestion(
        "certificates-on-the-day",
        "ar",
        S.LOGISTICS,
        C.ORGANISATION,
        "نقترح تسليم الشهادات في اليوم الأخير من الدورة بدل إرسالها بعد أسابيع.",
        (
            ((4, 4, 2), "Officers value receiving it in person."),
            ((3, 4, 2), "Possible if the post-test is marked the same afternoon."),
        ),
        participant=13,
    ),
    DemoSuggestion(
        "interview-role-play",
        "ar",
        S.OBJECTIVE,
        C.METHOD,
        "أقترح إضافة ثلاثين دقيقة إلى الوحدة الرابعة لتمرين لعب أدوار حول مقابلة طفل يسافر "
        "وحده، بحضور مترجم.",
        (
            ((5, 4, 5), "The interview role play is the heart of module 4."),
            ((5, 4, 4), "Worth the extra half hour."),
        ),
        author="trainer",
        author_kind=AuthorKind.TRAINER,
        objective="4.2",
    ),
    DemoSuggestion(
        "follow-up-referrals",
        "fr",
        S.CURRICULUM,
        C.ASSESSMENT,
        "Ajouter au questionnaire de suivi une question sur les personnes orientées vers les "
        "services de protection depuis la formation, pour mesurer l'effet du cours sur le "
        "terrain.",
        (
            ((4, 4, 4), "It would show the course's effect at work."),
            ((4, 3, 4), "Take it up with the follow-up survey."),
        ),
        session="",
        author="committee",
        author_kind=AuthorKind.COMMITTEE_MEMBER,
    ),
)

#: Made yesterday by officers of the running session; not in any round yet.
LATER_SUGGESTIONS: tuple[DemoSuggestion, ...] = (
    DemoSuggestion(
        "stowaways",
        "ar",
        S.MODULE,
        C.CONTENT,
        "في ميناء طنجة نجد كثيرا مهاجرين مختبئين في الشاحنات. نقترح إضافة حالة عملية عن "
        "كيفية التعامل معهم وتقديم الإسعافات الأولية لهم.",
        session="Tangier",
        participant=0,
        module=3,
    ),
    DemoSuggestion(
        "daily-slides",
        "en",
        S.LOGISTICS,
        C.MATERIALS,
        "Please share each day's slides in the evening, by e-mail or on paper, so that we can "
        "go over them.",
        session="Tangier",
        participant=1,
    ),
)

OUTCOMES: tuple[DemoOutcome, ...] = (
    DemoOutcome(
        ("interview-role-play",),
        Outcome.ACCEPTED,
        "Module 4 gets 30 more minutes for a role play on interviewing a child travelling "
        "alone, with an interpreter.",
    ),
    DemoOutcome(
        ("role-play-time",),
        Outcome.MERGED,
        "The same request as the trainer's: more time for the interview role play. Decided "
        "with it.",
        merged_into="interview-role-play",
    ),
    DemoOutcome(
        # With the rest of its group.
        ("border-cases",),
        Outcome.ACCEPTED,
        "Module 5 gets two case studies from border posts, written with the border police "
        "division: an unaccompanied child arriving at the port and a pregnant woman at the "
        "land border.",
    ),
    DemoOutcome(
        ("referral-card",),
        Outcome.ACCEPTED,
        "Each participant will receive a pocket card with the referral services of their "
        "region, prepared with the NHRI's regional commission.",
    ),
    DemoOutcome(
        ("local-alternatives",),
        Outcome.ACCEPTED,
        "Module 6 will present the alternatives to detention that exist in the region, with "
        "the contacts of the services and associations that receive people.",
    ),
    DemoOutcome(
        ("prosecutor",),
        Outcome.ACCEPTED,
        "The prosecution of the region will be invited to the session on inter-agency work.",
    ),
    DemoOutcome(
        ("second-room",),
        Outcome.ACCEPTED,
        "The training centre will book a second room for the working groups from the next "
        "session on.",
    ),
    DemoOutcome(
        ("guide-in-advance",),
        Outcome.ACCEPTED,
        "The Arabic edition of the trainer's guide will be sent to the officers nominated a "
        "week before each session.",
    ),
    DemoOutcome(
        ("certificates-on-the-day",),
        Outcome.ACCEPTED,
        "Certificates will be handed over on the last afternoon to those who meet the "
        "requirements.",
    ),
    DemoOutcome(
        ("shorter-pre-test",),
        Outcome.REJECTED,
        "The pre-test is how the course shows what officers learnt, and it takes about thirty "
        "minutes. Trainers will explain its purpose at the opening.",
    ),
    DemoOutcome(
        ("promotion",),
        Outcome.REJECTED,
        "Promotion rules are not the committee's to set. The secretary has passed the "
        "suggestion on to the police directorate's human resources department.",
    ),
    DemoOutcome(
        ("later-start",),
        Outcome.REJECTED,
        "The programme needs the full day. Organisers will offer officers from distant posts "
        "a room for the night before.",
    ),
    DemoOutcome(
        ("rescue-at-sea",),
        Outcome.DEFERRED,
        "A joint exercise needs the Royal Navy's agreement. The secretary will ask, and the "
        "committee will come back to it.",
    ),
    DemoOutcome(
        ("filmed-role-plays",),
        Outcome.DEFERRED,
        "Filming needs equipment and the consent of everyone filmed. To be considered in next "
        "year's training budget.",
    ),
    DemoOutcome(
        ("follow-up-referrals",),
        Outcome.DEFERRED,
        "To be taken up with the review of the follow-up survey at the committee's next meeting.",
    ),
)

VERSION_2_CHANGELOG = (
    "Integrates the suggestions from the Oujda session that the joint committee accepted: "
    "a longer interview role play in module 4, case studies from border posts and a "
    "referral card in module 5, the alternatives to detention that exist in the region in "
    "module 6, and a prosecutor in module 7."
)

CHANGES: tuple[DemoChange, ...] = (
    DemoChange(
        "Module 4 gets 30 more minutes for a role play on interviewing a child travelling "
        "alone, with an interpreter.",
        (4,),
        ("interview-role-play",),
    ),
    DemoChange(
        "Module 5 adds two case studies from border posts (an unaccompanied child arriving at "
        "the port, a pregnant woman at the land border) and gives each participant a pocket "
        "card of the region's referral services.",
        (5,),
        ("border-cases", "border-cases-again", "referral-card"),
    ),
    DemoChange(
        "Module 6 presents the alternatives to detention that exist in the region, with the "
        "contacts of the services and associations that receive people.",
        (6,),
        ("local-alternatives",),
    ),
    DemoChange(
        "A prosecutor of the region joins the session on inter-agency work in module 7.",
        (7,),
        ("prosecutor",),
    ),
)

#: The new summaries of the modules version 2 changes, by their place.
MODULE_SUMMARIES = {
    5: (
        "Victims of trafficking, smuggled migrants, asylum seekers and children: telling them "
        "apart, and referring each to the service that protects them. Two case studies from "
        "border posts, and a pocket card of the region's referral services."
    ),
    6: (
        "Detention as a last resort and the alternatives that exist in the region, with the "
        "services and associations that receive people; non-refoulement, the ban on "
        "collective expulsion, and return in safety and dignity."
    ),
    7: (
        "Inter-agency work, with a prosecutor of the region; the NHRI's monitoring and "
        "complaints; post-test, course evaluation, personal action plans and suggestions for "
        "the next sessions."
    ),
}


@transaction.atomic
def load_suggestions(users: dict[str, User]) -> int:
    """Load the demo's suggestions, their review round, decisions and version 2, unless
    the Oujda session has suggestions already; returns how many suggestions exist."""
    course = Curriculum.objects.filter(code=COURSE_CODE).first()
    committee = JointCommittee.objects.filter(name=AGREEMENT.committees[0].name).first()
    oujda, tangier = _session("Oujda"), _session("Tangier")
    if course is None or committee is None or oujda is None:
        return Suggestion.objects.count()
    if tangier is not None and not tangier.suggestions.exists():
        made = _make(LATER_SUGGESTIONS, [tangier], course, users)
        _date(made, _moment(timezone.localdate() - timedelta(days=1), 17))
    if oujda.suggestions.exists() or ReviewRound.objects.filter(title=ROUND_TITLE).exists():
        return Suggestion.objects.count()
    meeting = (
        Meeting.objects.filter(committee=committee, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    if meeting is None:
        return Suggestion.objects.count()
    suggestions = _make(SUGGESTIONS, [oujda], course, users)
    _date(suggestions, _moment(oujda.ends_on, 15))
    review_round = _review(committee, course, suggestions, meeting, users)
    _decide(review_round, suggestions, meeting, users)
    _integrate(course, suggestions, users[COORDINATOR])
    return Suggestion.objects.count()


def _session(city: str) -> TrainingSession | None:
    title = next(demo.title for demo in SESSIONS if demo.city == city)
    return TrainingSession.objects.filter(title=title).select_related("version").first()


def _moment(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _make(
    demos: tuple[DemoSuggestion, ...],
    sessions: list[TrainingSession],
    course: Curriculum,
    users: dict[str, User],
) -> dict[str, Suggestion]:
    by_city = {session.city: session for session in sessions}
    enrolments = {
        session.city: list(
            session.enrolments.filter(status=EnrolmentStatus.APPROVED)
            .select_related("participant__institution")
            .order_by("pk")
        )
        for session in sessions
    }
    made: dict[str, Suggestion] = {}
    for demo in demos:
        session = by_city.get(demo.session)
        # A module or an objective of the version the session taught.
        version = session.version if session is not None else None
        module = objective = None
        if demo.objective:
            objective = LearningObjective.objects.get(module__version=version, code=demo.objective)
        elif demo.module is not None:
            module = Module.objects.get(version=version, order=demo.module)
        # A participant through their personal link (no account), or a signed-in author.
        author: dict[str, Any] = (
            {
                "by": None,
                "enrolment": enrolments[demo.session][demo.participant],
                "anonymous": demo.anonymous,
            }
            if demo.participant is not None
            else {
                "by": users[demo.author],
                "author_kind": demo.author_kind,
                "session": session,
                "curriculum": course,
            }
        )
        made[demo.key] = intake.make_suggestion(
            text=demo.text,
            subject=demo.subject,
            category=demo.category,
            language=demo.language,
            module=module,
            objective=objective,
            **author,
        )
    return made


def _review(
    committee: JointCommittee,
    course: Curriculum,
    suggestions: dict[str, Suggestion],
    meeting: Meeting,
    users: dict[str, User],
) -> ReviewRound:
    """The round, from its creation to the end of the reviewing, by the chair; each
    review by the member it was assigned to."""
    chair = users[COORDINATOR]
    meeting_day = timezone.localtime(meeting.starts_at).date()
    review_round = rounds.create_round(
        committee=committee,
        title=ROUND_TITLE,
        curriculum=course,
        blind=True,
        reviewers_per_suggestion=2,
        review_until=meeting_day - timedelta(days=7),
        by=chair,
    )
    rounds.add_suggestions(review_round=review_round, suggestions=suggestions.values(), by=chair)
    rounds.group_suggestions(
        review_round=review_round,
        suggestions=[suggestions["border-cases"], suggestions["border-cases-again"]],
        title=GROUP_TITLE,
        by=chair,
    )
    rounds.assign_reviewers(review_round=review_round, by=chair)
    rounds.open_round(review_round=review_round, by=chair)
    criteria = [c.pk for c in review_round.criteria.order_by("order")]
    demos = {demo.key: demo for demo in SUGGESTIONS}
    keys = {suggestion.pk: key for key, suggestion in suggestions.items()}
    assignments = review_round.assignments.select_related("reviewer__user").order_by(
        "suggestion_id", "reviewer_id"
    )
    seen: dict[int, int] = {}
    for assignment in assignments:
        place = seen.get(assignment.suggestion_id, 0)
        seen[assignment.suggestion_id] = place + 1
        scores, comment = demos[keys[assignment.suggestion_id]].reviews[place % 2]
        rounds.submit_review(
            assignment=assignment,
            scores=dict(zip(criteria, scores, strict=True)),
            comment=comment,
            by=assignment.reviewer.user,
        )
    rounds.close_round(review_round=review_round, by=chair)
    # The round opened five weeks before the meeting; reviews came in over three weeks.
    opened = meeting.starts_at - timedelta(days=35)
    ReviewRound.objects.filter(pk=review_round.pk).update(created_at=opened)
    for index, assignment in enumerate(assignments):
        ReviewAssignment.objects.filter(pk=assignment.pk).update(assigned_at=opened)
        written = opened + timedelta(days=2 + index * 19 // len(assignments), hours=index % 5)
        Review.objects.filter(assignment=assignment).update(
            submitted_at=written, updated_at=written
        )
    return review_round


def _decide(
    review_round: ReviewRound,
    suggestions: dict[str, Suggestion],
    meeting: Meeting,
    users: dict[str, User],
) -> None:
    """Decided at the meeting, recorded by the secretary; released by the chair two days
    later."""
    secretary = users[SECRETARY]
    for demo in OUTCOMES:
        decisions.record_decisions(
            review_round=review_round,
            suggestions=[suggestions[key] for key in demo.suggestions],
            outcome=demo.outcome,
            rationale=demo.rationale,
            meeting=meeting,
            merged_into=suggestions[demo.merged_into] if demo.merged_into else None,
            by=secretary,
        )
    decisions.release_decisions(review_round=review_round, by=users[COORDINATOR])
    released = meeting.starts_at + timedelta(days=2)
    SuggestionDecision.objects.filter(round=review_round).update(
        decided_at=meeting.starts_at + timedelta(hours=2), released_at=released
    )
    ReviewRound.objects.filter(pk=review_round.pk).update(released_at=released)


def _integrate(course: Curriculum, suggestions: dict[str, Suggestion], by: User) -> None:
    """Version 2: the course's version that no session uses yet (the course's draft), or
    else a new one from the latest version; its changelog entries with the modules they
    change, and published. Modules someone removed from it are passed over."""
    version = course.versions.filter(frozen_at__isnull=True).order_by("-number").first()
    if version is None:
        latest = course.versions.order_by("-number").first()
        if latest is None:
            return
        version = curricula.new_version_from(version=latest, changelog=VERSION_2_CHANGELOG, by=by)
    else:
        curricula.update_version(version=version, changelog=VERSION_2_CHANGELOG, by=by)
    modules = {module.order: module for module in version.modules.all()}
    for place, summary in MODULE_SUMMARIES.items():
        if place in modules:
            curricula.update_module(module=modules[place], summary=summary, by=by)
    if 4 in modules:
        _lengthen_interview(version, modules[4], by)
    for change in CHANGES:
        integration.integrate_suggestions(
            version=version,
            text=change.text,
            modules=[modules[place] for place in change.modules if place in modules],
            suggestions=[suggestions[key] for key in change.suggestions],
            by=by,
        )
    if version.status == VersionStatus.DRAFT:
        curricula.publish_version(version=version, by=by)


def _lengthen_interview(version: CurriculumVersion, module: Module, by: User) -> None:
    """Module 4 is 30 minutes longer than in the version before (the course's draft may
    have done it already)."""
    before = version.based_on.modules.filter(order=4).first() if version.based_on else None
    if before is not None and module.duration_minutes < before.duration_minutes + 30:
        curricula.update_module(module=module, duration_minutes=before.duration_minutes + 30, by=by)


def _date(suggestions: dict[str, Suggestion], first: datetime) -> None:
    """Date the suggestions to a few minutes apart from ``first`` on; the signed-in
    authors' a few days later."""
    for index, suggestion in enumerate(suggestions.values()):
        when = first + timedelta(minutes=7 * index)
        if suggestion.author_user_id is not None:
            when += timedelta(days=3 + index % 5)
        Suggestion.objects.filter(pk=suggestion.pk).update(submitted_at=when)
