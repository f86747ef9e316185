"""An expert's payee details for payroll, for coordinators and admins only (accounts.search_experts).

The URL is under /toimeksiannot/ although it names an expert: payroll is bookings' business, and the
experts app does not import bookings. Every page that shows the details writes an audit event naming
the fields it showed; a save writes one naming the fields that changed. Never the values.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.http import posted
from experts.models import ExpertProfile

from ..forms_payees import PayeeForm
from ..models import Payee
from ..payees import (
    PLAIN_FIELDS,
    SENSITIVE_FIELDS,
    decrypted,
    mask_iban,
    payee_of,
    record_payee_read,
    save_payee,
    sensitive_enabled,
)
from .coordinator import coordinator_required


def _profile(pk: int) -> ExpertProfile:
    return get_object_or_404(ExpertProfile.objects.select_related("user"), pk=pk)


@coordinator_required
def payee_detail(request, pk):
    """The details as payroll has them; the bank account only by its last digits, the identity code
    only as given or not (the edit page shows them whole)."""
    profile = _profile(pk)
    payee = payee_of(profile)
    secrets = decrypted(payee) if payee is not None and sensitive_enabled() else None
    if payee is not None:
        shown = PLAIN_FIELDS + (["bank_account"] if secrets and secrets.bank_account else [])
        record_payee_read(actor=request.user, profile=profile, fields=shown)
    context = {
        "profile": profile,
        "payee": payee,
        "sensitive": sensitive_enabled(),
        "bank_account": mask_iban(secrets.bank_account) if secrets else "",
        "has_identity_code": bool(secrets and secrets.identity_code),
    }
    return render(request, "bookings/payee_detail.html", context)


@coordinator_required
def payee_edit(request, pk):
    profile = _profile(pk)
    payee = payee_of(profile) or Payee(profile=profile)
    form = PayeeForm(posted(request), instance=payee)
    if request.method == "POST" and form.is_valid():
        _payee, changed = save_payee(profile=profile, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("The payee details were saved.") if changed else _("Nothing was changed."))
        return redirect("bookings:payee", profile.pk)
    if request.method == "GET" and payee.pk:
        # The form shows what is stored, the sensitive fields in full when they are on.
        record_payee_read(
            actor=request.user, profile=profile, fields=PLAIN_FIELDS + (SENSITIVE_FIELDS if sensitive_enabled() else [])
        )
    context = {"profile": profile, "payee": payee, "form": form, "sensitive": sensitive_enabled()}
    return render(request, "bookings/payee_form.html", context)
