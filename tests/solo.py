"""An independent seller for tests: Ana Ruiz, an organisation of one."""

from __future__ import annotations

from rumbo.tenancy.models import Member
from rumbo.tenancy.services import organization_create

PASSWORD = "pass-word-1"


def make_seller() -> Member:
    """Her organisation (independent, EUR) with her as its admin and only member."""
    _org, member = organization_create(
        slug="ana", name="Ana Ruiz Consulting", currency="EUR", admin_email="ana@solo.test",
        admin_name="Ana Ruiz", password=PASSWORD, independent=True,
    )  # fmt: skip
    return member
