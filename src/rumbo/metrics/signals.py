"""What the metrics engine tells the apps that read its rollups.

`rollups_refreshed(organization_id, member_ids)`: the rollups of these members
changed (an incremental refresh ran), so figures built on them — a goal's
progress — may be recomputed. Sent after the refresh, by whichever process ran
it (a Huey worker, or the test's own thread in immediate mode)."""

from django.dispatch import Signal

rollups_refreshed = Signal()
