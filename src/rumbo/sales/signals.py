"""Signals the sales records send.

`facts_changed(sender=<model>, organization_id=<int>, keys=<set of (member_id, date)>)`
says which (rep, day) keys a write touched: the keys of the rows as they are
now and, for an update or a delete, as they were before (a deal moved to
another rep or date changes both). Timestamps (a complaint's `opened_at`) may
be sent as they are; the receiver reads them in the organisation's time zone.
Sent inside the writing transaction by sales services and the import apply step;
the metrics engine queues the keys and refreshes them after commit.

`feedback_recorded(sender=<model>, actor=<Member>, record=<Complaint or
SurveyResponse>, creating=<bool>)`: a complaint or survey response was saved
through the sales services (not by an import); sent inside the writing
transaction. Notifications tell the people concerned."""

import django.dispatch

facts_changed = django.dispatch.Signal()
feedback_recorded = django.dispatch.Signal()
