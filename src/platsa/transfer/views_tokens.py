"""The user's own API keys: make one (shown once), see when each was last used, revoke it."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from platsa.accounts.models import User
from platsa.common.clock import today
from platsa.common.http import posted
from platsa.common.permissions import require
from platsa.transfer.models import ApiToken
from platsa.transfer.tokens import MAX_DAYS, MAX_TOKENS, token_create, token_revoke, tokens_in_force


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the key is for"),
        max_length=100,
        help_text=gettext_lazy("E.g. the system that uses it: you see it in the list."),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_DAYS
    )


def _user(request: HttpRequest) -> User:
    return require(request.user, "use_api")


#: The new key waits here between the POST that makes it and the page that shows it once.
NEW_KEY = "platsa_new_api_key"


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if tokens_in_force(user, today=today()) >= MAX_TOKENS:
            form.add_error(
                None, _("You have %(n)s keys in force: revoke one first.") % {"n": MAX_TOKENS}
            )
        else:
            _token, secret = token_create(
                user, name=form.cleaned_data["name"], days=form.cleaned_data["days"], today=today()
            )
            request.session[NEW_KEY] = secret
            return redirect("api_tokens")
    return render(
        request,
        "transfer/api_tokens.html",
        {
            "form": form,
            # Shown once: taken out of the session as the page is made.
            "secret": request.session.pop(NEW_KEY, None) if request.method == "GET" else None,
            "tokens": ApiToken.objects.filter(user=user),
            "today": today(),
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    token = ApiToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise Http404
    token_revoke(token)
    messages.success(request, _("The key is revoked: it no longer opens the API."))
    return redirect("api_tokens")
