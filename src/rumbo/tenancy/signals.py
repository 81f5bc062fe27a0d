"""Signals the tenancy app sends.

`time_zone_changed(sender=Organization, organization=<Organization>, old=<str>, new=<str>)`:
an organisation's time zone changed, so every fact stored as a timestamp now
counts on its local date in the new zone. Sent inside the saving transaction by
`organization_update`; the metrics engine schedules a rebuild after commit."""

import django.dispatch

time_zone_changed = django.dispatch.Signal()
