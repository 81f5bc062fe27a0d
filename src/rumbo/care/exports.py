"""Follow-ups in the exports (issue 18, item 8): the CSV / XLSX export of the
follow-ups list, through `visible_to(member)` like every export. Registered
from CareConfig.ready() into the imports app's registry."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from rumbo.care.models import FollowUp
from rumbo.imports.exports import EXPORTS, Export, _attr, _label, _person


def register() -> None:
    EXPORTS["follow_ups"] = Export(FollowUp, [
        (_("Assigned to"), _person("owner")), (_("Customer"), _attr("customer.name")),
        (_("Deal"), _attr("deal.name")), (_("What"), _label("kind")),
        (_("Title"), _attr("title")), (_("Due"), _attr("due_on")),
        (_("Status"), _label("status")), (_("Done on"), _attr("done_on")),
        (_("Why it stopped"), _label("stop_reason")),
    ], ("owner", "customer", "deal"), ("due_on", "pk"))  # fmt: skip
