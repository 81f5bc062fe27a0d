"""Signals the goals app sends, for other apps to act on (notifications).

`progress_recorded(sender=Goal, organization=<Organization>, rows=<list of store.Row>)`:
`goals_recompute` wrote these progress rows (goal id, day, value, pace,
forecast, band, probability, status), after its transaction committed.

`goal_state_changed(sender=Goal, actor=<Member>, goal=<Goal>)`: a rep proposed
a goal (or revised a proposal), or a manager approved or rejected one; the
goal carries its new `state`. Sent inside the writing transaction."""

import django.dispatch

progress_recorded = django.dispatch.Signal()
goal_state_changed = django.dispatch.Signal()
