"""API operations for the current member, members and teams."""

from ninja import Router

router = Router(tags=["organisation"])
