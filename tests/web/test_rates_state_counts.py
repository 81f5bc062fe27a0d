"""A rate shown on a record's page or under a list says what it rests on, and
is the registered metric's value (sales.selectors.registered_figures reads the
metric's own source and formula, not a copy of them)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from rumbo.sales.models import SurveyResponse
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_survey_list_and_the_member_page_give_csat_with_its_count(world) -> None:  # type: ignore[no-untyped-def]
    SurveyResponse.objects.filter(rep=world.rita).delete()
    customer = world.records["rita"].customer
    for kind, score in (("csat", 5), ("csat", 4), ("csat", 2), ("nps", 10), ("nps", 3)):
        f.SurveyResponseFactory(organization=world.acme, rep=world.rita, customer=customer,
                                kind=kind, score=score)  # fmt: skip
    client = world.client("rita")
    with translation.override("en"):
        listing = client.get(reverse("sales:surveyresponse_list")).content.decode()
        person = client.get(reverse("tenancy:member_detail", args=[world.rita.pk]))
    assert "66.7 % (3 responses)" in listing  # two of three answers 4 or 5
    assert "0.0 (2 responses)" in listing  # one promoter, one detractor
    assert "66.7 % (3 responses)" in person.content.decode()
