"""Care follows the deals: a won deal starts its plan, a deal no longer won
stops it, a customer buying again stops the plans of their earlier deals."""

from __future__ import annotations

from typing import Any

from rumbo.sales.models import Deal


def deals_changed_receiver(sender: Any, *, organization_id: int, keys: Any, **kwargs: Any) -> None:
    if sender is not Deal or not keys:
        return
    from rumbo.care.services import plans_follow_deals

    plans_follow_deals(organization_id=organization_id, keys=keys)
