"""Pages for sign-up, invitations, profile, API tokens, members and teams."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetView
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from rumbo.tenancy import accounts, selectors, services, versions
from rumbo.tenancy.auth import SESSION_BACKEND
from rumbo.tenancy.filters import MemberFilter, TeamFilter
from rumbo.tenancy.forms import (
    InvitationAcceptForm,
    MemberForm,
    OrganizationForm,
    ProfileForm,
    SignupForm,
    TeamForm,
    TokenForm,
)
from rumbo.tenancy.middleware import SESSION_ORG_KEY
from rumbo.tenancy.models import Member, Organization, Team
from rumbo.web.crud import Column, Resource
from rumbo.web.forms import add_errors
from rumbo.web.panels import contributed, panel


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "org"
    slug = base
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(4).lower()}"
    return slug


def signup(request: HttpRequest) -> HttpResponse:
    """Ask for a login and an organisation; nothing exists until the address is
    confirmed by the link emailed to it (accounts.signup_request). The answer
    is the same whether or not the address already has a login."""
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            accounts.signup_request(data=form.cleaned_data, client=client_address(request),
                                    base_url=request.build_absolute_uri("/"))  # fmt: skip
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return render(request, "tenancy/signup_sent.html",
                          {"email": form.cleaned_data["email"]})  # fmt: skip
    return render(
        request, "tenancy/signup.html", {"form": form}, status=400 if form.errors else 200
    )


def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the sign-up message: a button (so that mail scanners that
    open links create nothing), then the organisation, and the admin logged in."""
    pending = accounts.signup_lookup(token)
    if pending is None:
        return render(request, "tenancy/signup_invalid.html", status=404)
    if request.method == "POST":
        try:
            org, member = accounts.signup_confirm(
                request=pending, slug=_unique_slug(pending.data["organization"])
            )
        except ValidationError as exc:
            return render(request, "tenancy/signup_invalid.html",
                          {"reason": " ".join(exc.messages)}, status=409)  # fmt: skip
        login(request, member.user, backend=SESSION_BACKEND)
        request.session[SESSION_ORG_KEY] = org.pk
        messages.success(request, _("Welcome to Rumbo, %(name)s.") % {"name": member.name})
        return redirect("home")
    return render(request, "tenancy/signup_confirm.html", {"pending": pending})


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation is for the address it was sent to. Without a login at that
    address the invitee chooses a password; with one, they log in as it and
    join, and no password is set here (ADR 0009)."""
    invitation = services.invitation_lookup(token)
    if invitation is None:
        return render(request, "tenancy/invitation_invalid.html", status=404)
    existing = services.invitation_login(invitation)
    if existing is not None:
        return _invitation_for_login(request, invitation, existing)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password"]
            )
        except ValidationError:
            # Claimed by a parallel submit a moment ago: the link is spent.
            return render(request, "tenancy/invitation_invalid.html", status=404)
        login(request, user, backend=SESSION_BACKEND)
        request.session[SESSION_ORG_KEY] = invitation.member.organization_id
        return redirect("home")
    return render(request, "tenancy/invitation_accept.html",
                  {"form": form, "invitation": invitation})  # fmt: skip


def _invitation_for_login(request: HttpRequest, invitation: Any, existing: Any) -> HttpResponse:
    signed_in = request.user.is_authenticated and request.user.pk == existing.pk
    context = {"invitation": invitation, "signed_in": signed_in,
               "login_url": f"{reverse('login')}?next={quote(request.path)}"}  # fmt: skip
    if request.method == "POST" and signed_in:
        try:
            services.invitation_accept(invitation=invitation, user=request.user)  # type: ignore[arg-type]
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(request, "tenancy/invitation_invalid.html", status=404)
        request.session[SESSION_ORG_KEY] = invitation.member.organization_id
        messages.success(request, _("You joined %(org)s.")
                         % {"org": invitation.member.organization.name})  # fmt: skip
        return redirect("home")
    # Anyone else (anonymous, or signed in as another login) is told to log in
    # as the invited address; a password posted here is ignored.
    status = 403 if request.method == "POST" else 200
    return render(request, "tenancy/invitation_login.html", context, status=status)


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset by email, with at most a few messages per hour to one
    address and from one client. A throttled request shows the same "if an
    account exists we sent an email" page and sends nothing. Django's reset
    tokens are bound to the user's password hash, last login and email
    (PasswordResetTokenGenerator), so a link dies once used, once the password
    changes, or when the address changes, and after PASSWORD_RESET_TIMEOUT."""

    def form_valid(self, form: Any) -> HttpResponse:
        if not accounts.allowed(scope="reset", email=form.cleaned_data["email"],
                                client=client_address(self.request)):  # fmt: skip
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


def client_address(request: HttpRequest) -> str:
    """The client's address as the login lockout sees it (axes' configuration)."""
    return get_client_ip_address(request) or "unknown"


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                user=request.user,  # type: ignore[arg-type]
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return render(request, "tenancy/profile.html", {"form": form}, status=400)
        messages.success(request, _("Your profile is saved."))
        return redirect("tenancy:profile")
    member = getattr(request, "member", None)
    memberships = Member.objects.select_related("organization").filter(
        user_id=int(request.user.pk or 0), is_active=True
    )
    return render(request, "tenancy/profile.html",
                  {"form": form, "member": member, "memberships": memberships})  # fmt: skip


@login_required
@require_POST
def switch_organization(request: HttpRequest) -> HttpResponse:
    org_id = request.POST.get("organization")
    member = Member.objects.filter(
        user_id=int(request.user.pk or 0), organization_id=int(org_id or 0), is_active=True
    ).first()
    if member is None:
        raise PermissionDenied
    request.session[SESSION_ORG_KEY] = member.organization_id
    return redirect("home")


@login_required
def organization_settings(request: HttpRequest) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    if member is None or not member.is_admin:
        raise PermissionDenied
    form = OrganizationForm(request.POST or None, instance=member.organization)
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                actor=member, organization=form.instance, conversion=form.conversion()
            )
        except versions.StaleVersion as exc:
            # Another admin saved first: the input stays, with the saved version,
            # so saving again is a deliberate "mine over theirs".
            data = request.POST.copy()
            data["version"] = str(exc.stored.version)  # type: ignore[attr-defined]
            form = OrganizationForm(data, instance=Organization.objects.get(pk=exc.stored.pk))
            form.is_valid()
            form.add_error(None, exc.message)
            return render(request, "tenancy/organization.html", {"form": form}, status=409)
        except ValidationError as exc:
            add_errors(form, exc)
            return render(request, "tenancy/organization.html", {"form": form}, status=400)
        messages.success(request, _("Organisation settings saved."))
        return redirect("tenancy:organization")
    status = 400 if request.method == "POST" else 200  # refused: nothing saved, errors shown
    return render(request, "tenancy/organization.html", {"form": form}, status=status)


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    if member is None:
        return redirect("signup")
    form = TokenForm(request.POST or None)
    raw = None
    if request.method == "POST" and form.is_valid():
        _token, raw = services.api_token_create(member=member, name=form.cleaned_data["name"])
        form = TokenForm()
    tokens = selectors.token_list(member=member)
    return render(request, "tenancy/tokens.html", {"form": form, "tokens": tokens, "raw": raw})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    member = request.member  # type: ignore[attr-defined]
    token = get_object_or_404(selectors.token_list(member=member), pk=pk)
    services.api_token_revoke(member=member, token=token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("tenancy:token_list")


@login_required
@require_POST
def member_invite(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.member  # type: ignore[attr-defined]
    member = get_object_or_404(Member.objects.visible_to(actor), pk=pk)
    try:
        services.invitation_create(actor=actor, member=member,
                                   base_url=request.build_absolute_uri("/"))  # fmt: skip
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": member.email})
    return HttpResponseRedirect(reverse("tenancy:member_detail", args=[member.pk]))


def _save_member(*, actor: Any, obj: Member, creating: bool, form: Any) -> Member:
    return services.member_save(actor=actor, member=obj, creating=creating)


def _save_team(*, actor: Any, obj: Team, creating: bool, form: Any) -> Team:
    return services.team_save(actor=actor, team=obj, creating=creating)


def _member_context(person: Member, viewer: Member) -> dict[str, Any]:
    """Records the person owns (as the viewer may see them: the apps that keep
    them contribute their panels, see web.panels.contribute) and their invitations."""
    context = contributed(person, viewer)
    context["pending_invitation"] = (
        person.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .order_by("-created_at")
        .first()
        if person.user_id is None
        else None
    )
    return context


def _team_list_context(teams: Any, viewer: Member) -> dict[str, Any]:
    """The visible teams as an indented tree with head counts (two queries); the
    tree replaces paging: an organisation has tens of teams, not thousands."""
    counts = dict(
        Member.objects.visible_to(viewer).filter(is_active=True, team__isnull=False)
        .order_by().values("team").annotate(n=Count("id")).values_list("team", "n")
    )  # fmt: skip
    tree = selectors.team_tree(member=viewer)
    visible = {t.pk for t in teams}
    rows = [(team, depth, counts.get(team.pk, 0)) for team, depth in tree if team.pk in visible]
    return {"tree": rows, "page": None, "tree_count": len(rows)}


def _team_context(team: Team, viewer: Member) -> dict[str, Any]:
    people = Member.objects.visible_to(viewer).filter(team=team).select_related("user")
    children = Team.objects.visible_to(viewer).filter(parent=team).select_related("manager")
    flt = {"team": team.pk}
    return {
        "panels": [
            panel(gettext_lazy("Members"), people, MEMBER_PANEL_COLUMNS, filters=flt, cap=25),
            panel(gettext_lazy("Teams below"), children, TEAM_PANEL_COLUMNS, cap=25),
        ]
    }


MEMBER_PANEL_COLUMNS = [
    Column("name", gettext_lazy("Name"), link=True), Column("role", gettext_lazy("Role")),
    Column("email", gettext_lazy("Email")),
]  # fmt: skip
TEAM_PANEL_COLUMNS = [
    Column("name", gettext_lazy("Name"), link=True),
    Column("manager.name", gettext_lazy("Manager")),
]  # fmt: skip

members = Resource(
    model=Member, form_class=MemberForm, save=_save_member, delete=services.record_delete,
    filterset_class=MemberFilter, select_related=["team", "user"], default_sort="name",
    columns=[
        Column("name", gettext_lazy("Name"), link=True), Column("email", gettext_lazy("Email")),
        Column("role", gettext_lazy("Role")), Column("team.name", gettext_lazy("Team")),
        Column("has_login", gettext_lazy("Can log in"), sortable=False,
               template="tenancy/_login_cell.html"),
        Column("is_active", gettext_lazy("Active")),
    ],
    detail_fields=["email", "role", "team", "external_id", "is_active", "created_at"],
    detail_context=_member_context,
)  # fmt: skip

teams = Resource(
    model=Team, form_class=TeamForm, save=_save_team, delete=services.record_delete,
    filterset_class=TeamFilter, select_related=["parent", "manager"], default_sort="name",
    columns=[
        Column("name", gettext_lazy("Name"), link=True),
        Column("parent.name", gettext_lazy("Parent team")),
        Column("manager.name", gettext_lazy("Manager")),
    ],
    detail_fields=["parent", "manager", "external_id"],
    list_context=_team_list_context, detail_context=_team_context,
)  # fmt: skip
