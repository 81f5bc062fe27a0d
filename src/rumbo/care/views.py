"""Pages of customer care: follow-ups (list, detail with its history and the
actions on it) and care plans, on the shared record views (`rumbo.web.crud`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from rumbo.care import forms, selectors, services
from rumbo.care.filters import CarePlanFilter, FollowUpFilter
from rumbo.care.models import CarePlan, FollowUp
from rumbo.goals.progress import local_today
from rumbo.tenancy import scoping
from rumbo.web.access import MemberRequest
from rumbo.web.crud import Column, DetailView, Resource
from rumbo.web.forms import add_errors


def _save_follow_up(*, actor: Any, obj: FollowUp, creating: bool, form: Any) -> FollowUp:
    return services.follow_up_save(actor=actor, follow_up=obj, creating=creating)


def _save_plan(*, actor: Any, obj: CarePlan, creating: bool, form: Any) -> CarePlan:
    return services.plan_save(actor=actor, plan=obj, creating=creating,
                              steps=form.steps.step_inputs())  # fmt: skip


def _follow_up_context(obj: FollowUp, member: Any) -> dict[str, Any]:
    today = local_today(member.organization)
    return {
        "changes": list(obj.changes.select_related("by")),
        "bucket": selectors.bucket_of(obj, today),
        "is_open": obj.status == "open",
        "can_act": obj.status == "open" and scoping.can_write(member, obj),
        "complete_form": forms.CompleteForm(),
        "reschedule_form": forms.RescheduleForm(initial={"due_on": obj.due_on}),
    }


def _list_context(follow_ups: Any, member: Any) -> dict[str, Any]:
    return {"today": local_today(member.organization)}


def _plan_context(obj: CarePlan, member: Any) -> dict[str, Any]:
    return {"steps": list(obj.steps.all())}


follow_ups = Resource(
    model=FollowUp, form_class=forms.FollowUpForm, filterset_class=FollowUpFilter,
    save=_save_follow_up, delete=services.follow_up_delete,
    select_related=["owner", "customer", "deal"], default_sort="due_on",
    columns=[
        Column("due_on", gettext_lazy("Due"), link=True),
        Column("title", gettext_lazy("Follow-up"), wrap=True),
        Column("customer.name", gettext_lazy("Customer")),
        Column("owner.name", gettext_lazy("Assigned to")),
        Column("status", gettext_lazy("Status"), template="care/_status_cell.html"),
    ],
    detail_fields=["customer", "deal", "kind", "due_on", "owner", "status", "done_on",
                   "stop_reason", "activity"],
    hide_empty=frozenset({"deal", "done_on", "stop_reason", "activity"}),
    detail_context=_follow_up_context, list_context=_list_context,
)  # fmt: skip

care_plans = Resource(
    model=CarePlan, form_class=forms.CarePlanForm, save=_save_plan,
    filterset_class=CarePlanFilter,
    delete=services.plan_delete, default_sort="name",
    columns=[
        Column("name", gettext_lazy("Name"), link=True),
        Column("trigger", gettext_lazy("Starts when")),
        Column("segment", gettext_lazy("Segment")),
        Column("category", gettext_lazy("Product category")),
        Column("is_default", gettext_lazy("Default")), Column("active", gettext_lazy("Active")),
    ],
    detail_fields=["trigger", "segment", "category", "is_default", "active"],
    detail_context=_plan_context,
)  # fmt: skip


class FollowUpAction(DetailView):
    """POST to a follow-up: done, moved or cancelled. A refused form comes back
    on the follow-up's page with its errors (400), having written nothing."""

    http_method_names = ["post"]
    action = ""
    overrides: dict[str, Any] = {}

    def context(self, **extra: Any) -> dict[str, Any]:
        return {**super().context(**extra), **self.overrides}

    def post(self, request: MemberRequest, pk: int) -> HttpResponse:
        follow_up = self.get_object(pk)
        if not scoping.can_write(request.member, follow_up):
            raise PermissionDenied
        form_class = ACTIONS[self.action][0]
        form = form_class(request.POST) if form_class else None
        if form is None or form.is_valid():
            data = form.cleaned_data if form is not None else {}
            try:
                ACTIONS[self.action][1](actor=request.member, follow_up=follow_up, **data)
            except ValidationError as exc:
                if form is None:
                    messages.error(request, " ".join(exc.messages))
                    return HttpResponseRedirect(reverse("care:followup_detail", args=[pk]))
                add_errors(form, exc)
            else:
                messages.success(request, ACTIONS[self.action][2])
                return HttpResponseRedirect(reverse("care:followup_detail", args=[pk]))
        self.overrides = {f"{self.action}_form": form, "refused": self.action}
        response = self.get(request, pk)
        response.status_code = 400
        return response


ACTIONS: dict[str, tuple[Any, Any, Any]] = {
    "complete": (forms.CompleteForm, services.complete,
                 gettext_lazy("Done: the activity is recorded.")),
    "reschedule": (forms.RescheduleForm, services.reschedule,
                   gettext_lazy("Moved: the earlier date is kept in its history.")),
    "cancel": (None, services.cancel, gettext_lazy("Cancelled.")),
}  # fmt: skip
