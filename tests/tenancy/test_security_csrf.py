"""CSRF: every state-changing form refuses a POST without the token, and every
form the pages render carries one."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rumbo.sales.models import Customer
from rumbo.tenancy import services
from rumbo.tenancy.models import ApiToken, Member, Organization
from tests import factories as f
from tests.personas import PASSWORD

pytestmark = pytest.mark.django_db


def strict(world: Any = None, persona: str | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if persona:
        client.force_login(world.members[persona].user)
    return client


def test_anonymous_forms_refuse_a_post_without_token(world) -> None:  # type: ignore[no-untyped-def]
    client = strict()
    login = client.post(reverse("login"), {"username": "rita@acme.test", "password": PASSWORD})
    assert login.status_code == 403
    signup = client.post(
        reverse("signup"),
        {"name": "Eve", "email": "eve@example.test", "password": "evil plans 2024",
         "organization": "Evil", "currency": "EUR", "language": "en", "time_zone": "UTC"},
    )  # fmt: skip
    assert signup.status_code == 403
    assert not Organization.objects.filter(name="Evil").exists()


def test_the_invitation_form_refuses_a_post_without_token(world) -> None:  # type: ignore[no-untyped-def]
    person = f.MemberFactory(organization=world.acme, email="new@acme.test", user=None)
    link = services.invitation_create(
        actor=world.alice, member=person, base_url="http://testserver"
    )
    response = strict().post(link, {"password": "a good one 123", "password2": "a good one 123"})
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.user is None


@pytest.mark.parametrize(
    "persona, url_name, args, data",
    [
        ("rita", "sales:customer_create", [], {"name": "Forged", "kind": "business"}),
        ("rita", "tenancy:token_list", [], {"name": "forged"}),
        ("rita", "logout", [], {}),
        ("rita", "tenancy:profile", [], {"first_name": "Forged", "language": "es"}),
        ("rita", "set_language", [], {"language": "es"}),
        ("alice", "tenancy:organization", [],
         {"name": "Forged", "currency": "EUR", "language": "en", "time_zone": "UTC"}),
        ("alice", "tenancy:member_create", [], {"name": "Forged", "role": "rep"}),
    ],
)  # fmt: skip
def test_logged_in_forms_refuse_a_post_without_token(world, persona, url_name, args, data) -> None:  # type: ignore[no-untyped-def]
    client = strict(world, persona)
    response = client.post(reverse(url_name, args=args), data)
    assert response.status_code == 403
    # Nothing changed: still logged in, nothing named "Forged" anywhere.
    assert client.get(reverse("home")).status_code == 200
    assert not Customer.objects.filter(name="Forged").exists()
    assert not Member.objects.filter(name="Forged").exists()
    assert not ApiToken.objects.exists()
    world.rita.user.refresh_from_db()
    assert world.rita.user.first_name == "Rita" and world.rita.user.language == ""
    assert Organization.objects.get(pk=world.acme.pk).name == "Acme"


def test_record_edit_delete_invite_and_revoke_refuse_a_post_without_token(world) -> None:  # type: ignore[no-untyped-def]
    client = strict(world, "alice")
    customer = world.records["rita"].customer
    person = f.MemberFactory(organization=world.acme, email="new@acme.test", user=None)
    token, raw = services.api_token_create(member=world.alice, name="keep")
    posts = [
        (reverse("sales:customer_edit", args=[customer.pk]), {"name": "Forged", "kind": "person"}),
        (reverse("sales:customer_delete", args=[customer.pk]), {}),
        (reverse("tenancy:member_invite", args=[person.pk]), {}),
        (reverse("tenancy:token_revoke", args=[token.pk]), {}),
        (reverse("tenancy:switch_organization"), {"organization": world.acme.pk}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    customer.refresh_from_db()
    assert customer.name == "Rita customer"
    assert not person.invitations.exists()
    assert services.api_token_authenticate(raw) == world.alice


def test_the_same_post_with_the_token_goes_through(world) -> None:  # type: ignore[no-untyped-def]
    client = strict(world, "rita")
    form_page = client.get(reverse("tenancy:token_list"))
    token = form_page.cookies["csrftoken"].value
    created = client.post(reverse("tenancy:token_list"),
                          {"name": "genuine", "csrfmiddlewaretoken": token})  # fmt: skip
    assert created.status_code == 200 and created.context["raw"]
    out = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert out.status_code == 302


# Every rendered form carries the token.


class FormParser(HTMLParser):
    """Collects each <form>: its method, action, and the names of its inputs;
    and whether htmx requests are sent with the X-CSRFToken header."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.htmx_writes = 0
        self.htmx_header = False
        self._open: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "body" and "X-CSRFToken" in (a.get("hx-headers") or ""):
            self.htmx_header = True
        if any(k in a for k in ("hx-post", "hx-put", "hx-patch", "hx-delete")):
            self.htmx_writes += 1
        if tag == "form":
            self._open = {"method": (a.get("method") or "get").lower(),
                          "action": a.get("action"), "inputs": set()}  # fmt: skip
            self.forms.append(self._open)
        elif tag in ("input", "button", "select", "textarea") and self._open is not None:
            self._open["inputs"].add(a.get("name"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def page_urls(world: Any) -> list[str]:
    """Every page an admin can GET: fixed pages, and each shared record page
    filled with the first record the admin sees."""
    urls = [reverse(name) for name in ("home", "tenancy:profile", "tenancy:organization",
                                       "tenancy:token_list")]  # fmt: skip
    loginless = f.MemberFactory(organization=world.acme, email="new@acme.test", user=None)
    urls.append(reverse("tenancy:member_detail", args=[loginless.pk]))

    def walk(resolver: URLResolver, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in ("tenancy", "sales"):
                    walk(entry, entry.namespace)
                continue
            assert isinstance(entry, URLPattern)
            resource = getattr(entry.callback, "view_initkwargs", {}).get("resource")
            if resource is None or not namespace:
                continue
            name = f"{namespace}:{entry.name}"
            if "<int:pk>" in str(entry.pattern):
                obj = resource.model.objects.visible_to(world.alice).order_by("pk").first()
                assert obj is not None, name
                urls.append(reverse(name, args=[obj.pk]))
            else:
                urls.append(reverse(name))

    walk(get_resolver(), "")
    return urls


def test_every_post_form_on_every_page_carries_the_token(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client("alice")
    anonymous = Client()
    pages = [(anonymous, reverse("login")), (anonymous, reverse("signup"))]
    pages += [(client, url) for url in page_urls(world)]
    assert len(pages) > 50
    post_forms = 0
    for who, url in pages:
        response = who.get(url)
        assert response.status_code == 200, url
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["method"] == "post":
                post_forms += 1
                assert "csrfmiddlewaretoken" in form["inputs"], (url, form["action"])
        if parser.htmx_writes:
            assert parser.htmx_header, url
    assert post_forms > 30
