"""How long the morning survey job takes to email N surveys to a local SMTP
server (issue 18: 10,000 invitations ≤ 60 s, throttling honoured).

    .venv/bin/rumbo migrate   # on the database named by DATABASE_URL (a scratch one)
    DATABASE_URL=... .venv/bin/python bench/survey_send.py [--count 10000]

Creates an organisation "bench-surveys-<n>" with one rep, N customers each
with a contact (own address) and an open survey follow-up due today (bulk
inserts, not timed), starts aiosmtpd on a free port, and times
`rumbo.care.surveys.due_run` — the real path: invitation, hashed link, email
over SMTP, follow-up done with its activity. A second run right after must
send nothing (every address is within its 30 days)."""

from __future__ import annotations

import argparse
import os
import socket
import time
from typing import Any

import django


class Counter:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.count += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rumbo.settings")
    django.setup()
    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.utils import timezone

    from rumbo.care import surveys
    from rumbo.care.models import FollowUp
    from rumbo.sales.models import Contact, Customer
    from rumbo.tenancy.services import organization_create

    slug = f"bench-surveys-{int(time.time())}"
    org, admin = organization_create(slug=slug, name=slug, currency="EUR",
                                     admin_email=f"admin@{slug}.test")  # fmt: skip
    customers = Customer.objects.bulk_create(
        Customer(organization=org, owner=admin, name=f"Customer {i}") for i in range(args.count)
    )
    Contact.objects.bulk_create(
        Contact(organization=org, customer=c, name=f"Contact {i}", email=f"c{i}@{slug}.test")
        for i, c in enumerate(customers)
    )
    today = timezone.localdate()
    FollowUp.objects.bulk_create(
        FollowUp(
            organization=org, owner=admin, customer=c, kind="survey", title="Survey", due_on=today
        )  # fmt: skip
        for c in customers
    )
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = False
    try:
        started = time.perf_counter()
        sent, _ = surveys.due_run()
        took = time.perf_counter() - started
        FollowUp.objects.bulk_create(
            FollowUp(
                organization=org,
                owner=admin,
                customer=c,
                kind="survey",
                title="Again",
                due_on=today,
            )  # fmt: skip
            for c in customers[:100]
        )
        again, _ = surveys.due_run()
    finally:
        controller.stop()
    print(f"{args.count} survey follow-ups due: {sent} sent, {counter.count} received by SMTP "
          f"in {took:.1f} s ({sent / took:.0f}/s)")  # fmt: skip
    print(f"a second run for 100 of the addresses sent {again}")


if __name__ == "__main__":
    main()
