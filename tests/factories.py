"""factory_boy factories shared by the test modules."""

from __future__ import annotations

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from mizan.accounts.enums import Role
from mizan.accounts.models import Membership, User
from mizan.institutions.enums import InstitutionKind
from mizan.institutions.models import Institution
from mizan.recommendations.enums import MechanismKind
from mizan.recommendations.models import (
    Mechanism,
    Recommendation,
    RecommendationText,
    SourceDocument,
    Tagging,
    Term,
    Vocabulary,
)


class InstitutionFactory(DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"inst-{n}")
    names = factory.LazyAttribute(lambda o: {"en": f"Institution {o.code}"})
    kind = InstitutionKind.NHRI


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Role.VIEWER


def user_with_role(role: str, institution: Institution | None = None, **kwargs) -> User:
    user = UserFactory(**kwargs)
    MembershipFactory(user=user, role=role, institution=institution or InstitutionFactory())
    return user


class MechanismFactory(DjangoModelFactory):
    class Meta:
        model = Mechanism
        django_get_or_create = ("code",)

    code = "CMW"
    names = factory.LazyAttribute(lambda o: {"en": f"Committee {o.code}"})
    kind = MechanismKind.TREATY_BODY


class SourceDocumentFactory(DjangoModelFactory):
    class Meta:
        model = SourceDocument

    symbol = factory.Sequence(lambda n: f"CMW/C/XXX/CO/{n + 1}")
    mechanism = factory.SubFactory(MechanismFactory)
    state_under_review = "Morocco"
    cycle = "2"


class RecommendationFactory(DjangoModelFactory):
    class Meta:
        model = Recommendation
        skip_postgeneration_save = True

    document = factory.SubFactory(SourceDocumentFactory)
    paragraph = factory.Sequence(lambda n: f"{n + 1}(a)")

    @factory.post_generation
    def text(obj, create, extracted, **kwargs):
        if create:
            RecommendationText.objects.create(
                recommendation=obj,
                language=kwargs.get("language", "en"),
                text=extracted or "Train border officials on the rights of migrant workers.",
                is_original=True,
            )


class VocabularyFactory(DjangoModelFactory):
    class Meta:
        model = Vocabulary
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"vocab{n}")
    names = factory.LazyAttribute(lambda o: {"en": f"Vocabulary {o.code}"})


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("vocabulary", "code")

    vocabulary = factory.SubFactory(VocabularyFactory)
    code = factory.Sequence(lambda n: f"T{n}")
    labels = factory.LazyAttribute(lambda o: {"en": f"Term {o.code}", "fr": f"Terme {o.code}"})


class TaggingFactory(DjangoModelFactory):
    class Meta:
        model = Tagging

    recommendation = factory.SubFactory(RecommendationFactory)
    term = factory.SubFactory(TermFactory)
    confirmed_at = factory.LazyFunction(timezone.now)


def pdf_document(author: str = "", pages: int = 1) -> bytes:
    """A small, valid PDF with blank pages, its /Author set to ``author`` if given."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if author:
        writer.add_metadata({"/Author": author, "/Creator": "Microsoft Word"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
