"""The decorator of function views: a logged-in user with an organisation."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def member_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Like login_required; a user with no organisation is sent to create one."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "member", None) is None:
            return redirect("signup")
        return view(request, *args, **kwargs)

    return wrapped
