"""Every part of a page sits inside a landmark (axe's "region" rule)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["user_create", "access_log"])
def test_the_back_link_is_inside_main(client, personas, url):
    client.login(username=personas.admin.username, password=personas.password)
    html = client.get(reverse(url)).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "govuk-back-link" in main
    assert html.count("govuk-back-link") == main.count("govuk-back-link")
