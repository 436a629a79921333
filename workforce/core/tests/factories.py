"""Factories for core records, and named personas: one user per role."""

from __future__ import annotations

import factory

from workforce.core.models import Authority, User, UserRole

DEMO_PASSWORD = "correct-horse-battery"  # test-only


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 200:03d}")  # never a real LA code (201 upwards)
    name = factory.Sequence(lambda n: f"Testshire {n}")
    region = "West Midlands"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User {n}")
    role = UserRole.WORKFORCE_LEAD
    authority = factory.SubFactory(AuthorityFactory)
    password = factory.PostGenerationMethodCall("set_password", DEMO_PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()
