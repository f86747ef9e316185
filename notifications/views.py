from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from . import kinds
from .backends import sms_available
from .emails import read_unsubscribe_token
from .forms import PreferencesForm
from .models import Channel, NotificationPreference
from .phone import display_number, sms_number
from .services import set_preference


@login_required
def preferences(request):
    # Queries: the person's stored choices (1).
    stored = {
        (kind, channel): value
        for kind, channel, value in NotificationPreference.objects.filter(user=request.user).values_list(
            "kind", "channel", "enabled"
        )
    }
    # Email is on unless turned off, a text message off unless chosen (services.is_enabled).
    enabled = {
        (kind.code, Channel.EMAIL) for kind in kinds.optional_kinds() if stored.get((kind.code, Channel.EMAIL), True)
    }
    enabled |= {(kind.code, Channel.SMS) for kind in kinds.sms_kinds() if stored.get((kind.code, Channel.SMS), False)}
    number = sms_number(request.user.phone)
    form = PreferencesForm(request.POST or None, enabled=enabled, sms=sms_available(), has_number=bool(number))
    if request.method == "POST" and form.is_valid():
        for kind, channel, value in form.choices():
            set_preference(user=request.user, kind=kind, channel=channel, enabled=value)
        messages.success(request, _("Your notification choices were saved."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "transactional": [kind for kind in kinds.all_kinds() if kind.transactional],
            "sms": sms_available(),
            "number": display_number(number) if number else "",
        },
    )


# The signed token in the URL is the authorisation, and RFC 8058 mail clients POST here without a
# CSRF token; GET only shows a confirmation so that link scanners cannot unsubscribe anyone.
@csrf_exempt
def unsubscribe(request, token):
    data = read_unsubscribe_token(token)
    user = get_user_model().objects.filter(pk=data["u"]).first() if data else None
    try:
        kind = kinds.get(data["k"]) if data else None
    except KeyError:
        kind = None
    if user is None or kind is None or kind.transactional or data["c"] not in Channel.values:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        set_preference(user=user, kind=kind.code, channel=data["c"], enabled=False)
        return render(request, "notifications/unsubscribe_done.html", {"kind": kind})
    return render(request, "notifications/unsubscribe_confirm.html", {"kind": kind})
