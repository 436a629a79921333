"""The home page opens with today's headline figures for the user's own scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from workforce.establishment.tests.factories import EngagementFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_home_shows_in_post_fte_for_the_whole_authority_or_only_own_teams(client, personas):
    start = dt.date.today() - dt.timedelta(days=30)
    own = PostFactory(team=personas.own_team, start=start)
    other = PostFactory(team=personas.other_team, start=start)
    EngagementFactory(post=own, start=start, fte=Decimal("0.60"))
    EngagementFactory(post=other, start=start, fte=Decimal("1.00"))

    client.force_login(personas.board)
    assert "1.60" in client.get(reverse("home")).content.decode()
    client.force_login(personas.manager)
    page = client.get(reverse("home")).content.decode()
    assert "0.60" in page and "1.60" not in page


def test_home_explains_in_post_against_the_establishment_table_and_overlapping_rates(
    client, personas
):
    client.force_login(personas.lead)
    page = client.get(reverse("home")).content.decode()
    assert "It is the Permanent total of the" in page
    assert f"{reverse('establishment:table')}?census_only=on" in page
    assert "Agency and vacancy rates overlap" in page
