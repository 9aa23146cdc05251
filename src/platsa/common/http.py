"""Small request helpers shared by the apps' views."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict


def posted(request: HttpRequest) -> QueryDict | None:
    """The POST data for a form, or None on GET.

    Not ``request.POST or None``: an untouched form posts nothing to some clients, and it must
    still be bound, so that it says what is missing instead of showing itself again silently.
    """
    return request.POST if request.method == "POST" else None
