"""Pages of customer health: the customers at risk of the reader (red and
yellow, by revenue at stake, with filters and pages), the admins' weights, and
the figure the customer page shows (contributed in CareConfig.ready)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rumbo.care import health
from rumbo.care.health_services import WEIGHTS, health_settings_save
from rumbo.care.models import HealthSettings
from rumbo.goals.progress import local_today
from rumbo.tenancy.models import Member
from rumbo.web import formatting
from rumbo.web.access import MemberRequest
from rumbo.web.auth import member_required
from rumbo.web.forms import style_fields

PAGE_SIZE = 25


class HealthSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = HealthSettings
        fields = list(WEIGHTS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)


class AtRiskFilter(forms.Form):
    band = forms.ChoiceField(
        label=gettext_lazy("Band"), required=False,
        choices=[("", gettext_lazy("Red and yellow")), (health.RED, gettext_lazy("Red")),
                 (health.YELLOW, gettext_lazy("Yellow"))],
    )  # fmt: skip
    owner = forms.ModelChoiceField(label=gettext_lazy("Owner"), required=False,
                                   queryset=Member.objects.none())  # fmt: skip
    q = forms.CharField(label=gettext_lazy("Name contains"), required=False, max_length=100)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Member.objects.visible_to(member).filter(is_active=True).order_by("name")
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        style_fields(self)


@member_required
def at_risk(request: MemberRequest) -> HttpResponse:
    """The reader's visible customers that are red or yellow, the most revenue
    at stake first. A filter naming someone out of view is refused (400)."""
    member = request.member
    form = AtRiskFilter(request.GET or None, member=member)
    customers = health.visible_customers(member)
    band = ""
    status = 200
    if form.is_bound and not form.is_valid():
        status, customers = 400, customers.none()
    elif form.is_bound:
        data = form.cleaned_data
        band = data["band"]
        if data["owner"] is not None:
            customers = customers.filter(owner=data["owner"])
        if data["q"]:
            customers = customers.filter(name__icontains=data["q"])
    today = local_today(member.organization)
    rows = [(c, h) for c, h in health.of_visible(member, today, customers)
            if h.band != health.GREEN and (not band or h.band == band)]  # fmt: skip
    rows.sort(key=lambda row: (-row[1].at_stake, row[1].score, row[0].name))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    currency = member.organization.currency
    query = urlencode([(k, str(v)) for k, v in request.GET.items() if k != "page" and v])
    return render(request, "care/health_at_risk.html", {
        "form": form, "page": page, "query": query, "total": len(rows),
        "rows": [(c, h, formatting.money(h.at_stake, currency)) for c, h in page.object_list],
        "is_admin": member.role == "admin",
    }, status=status)  # fmt: skip


@member_required
def settings_page(request: MemberRequest) -> HttpResponse:
    """The admins choose how many points each warning sign takes off."""
    actor = request.member
    if actor.role != "admin":
        raise PermissionDenied
    row = health.settings_of(actor.organization_id)
    form = HealthSettingsForm(request.POST or None, instance=row)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            health_settings_save(actor=actor, values=form.cleaned_data)
            messages.success(request, _("Customer health weights saved."))
            return redirect("care:health_settings")
        status = 400
    return render(request, "care/health_settings.html", {"form": form}, status=status)


def customer_figures(customer: Any, member: Any) -> dict[str, Any]:
    """The customer page's health figure and its reasons (contributed)."""
    found = health.of_customer(customer, member, local_today(member.organization))
    text = _("%(score)s of 100 · %(band)s") % {"score": found.score, "band": found.band_label}
    figures = [(gettext_lazy("Health"), text)]
    if found.reasons:
        why = "; ".join(f"{r.label} (−{r.points})" for r in found.reasons)
        figures.append((gettext_lazy("Health reasons"), why))
    return {"figures": figures}
