"""API operations for sales records."""

from ninja import Router

router = Router(tags=["sales"])
