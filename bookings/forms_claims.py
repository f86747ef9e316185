"""Forms of travel and expense claims: the expert's claim with its receipt, and the coordinator's
reason for returning one.

A receipt is personal data and a file from someone's phone, so what is stored is checked and rebuilt
here: a photo is decoded by Pillow and saved again without its metadata (a phone's photo carries the
place it was taken), a PDF must start as a PDF does, and every file gets a random name of our own.
The type comes from the content, never from the file's name or the browser's word for it.
"""

from io import BytesIO
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .forms import DecimalInputField
from .money import MoneyField

# Pillow's format -> what it is stored as. MPO is how Pillow reads many phone cameras' JPEGs. HEIF
# (iPhone) only where a Pillow plugin reads it (pillow-heif); browsers on iPhones otherwise send a
# JPEG when the page does not ask for HEIC.
RECEIPT_IMAGE_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "HEIF": "JPEG"}
STORED_EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}
# Long enough for a whole A4 receipt photographed sharp; larger is resized.
RECEIPT_MAX_SIDE = 3000
RECEIPT_MAX_PIXELS = 50_000_000  # refused before decoding: a small file can decode to a huge bitmap


def heif_readable() -> bool:
    return "HEIF" in Image.OPEN


def accepted_types() -> str:
    return ",".join(["image/jpeg", "image/png", *(["image/heic", "image/heif"] if heif_readable() else []), ".pdf"])


def receipt_file(upload) -> ContentFile:
    """The receipt as it is stored: a photo re-encoded without metadata, or the PDF as sent, under a
    random name. Raises ValidationError for anything else or anything too large."""
    if upload.size > settings.KP_RECEIPT_MAX_BYTES:
        raise forms.ValidationError(
            _("The file is too large. The largest allowed size is %(limit)s."),
            code="too_large",
            params={"limit": filesizeformat(settings.KP_RECEIPT_MAX_BYTES)},
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return ContentFile(upload.read(), name=f"{uuid4().hex}.pdf")
    content, extension = _clean_image(upload)
    return ContentFile(content, name=f"{uuid4().hex}.{extension}")


def _not_a_receipt() -> forms.ValidationError:
    return forms.ValidationError(
        _("The file is not a photo or a PDF we can use. Choose a JPEG or PNG photo, or a PDF."), code="file_content"
    )


def _clean_image(upload) -> tuple[bytes, str]:
    """The photo decoded and saved again, upright, at most RECEIPT_MAX_SIDE, without EXIF or XMP; and
    the extension it is stored with."""
    try:
        with Image.open(upload) as image:
            if image.format not in RECEIPT_IMAGE_FORMATS or image.width * image.height > RECEIPT_MAX_PIXELS:
                raise _not_a_receipt()
            stored_format = RECEIPT_IMAGE_FORMATS[image.format]
            # Upright first: the orientation lives in the EXIF that is dropped.
            clean = ImageOps.exif_transpose(image)
            clean.thumbnail((RECEIPT_MAX_SIDE, RECEIPT_MAX_SIDE))
            if stored_format == "JPEG" and clean.mode not in ("RGB", "L"):
                clean = clean.convert("RGB")
            clean.info = {}
            buffer = BytesIO()
            clean.save(buffer, format=stored_format, **({"quality": 88} if stored_format == "JPEG" else {}))
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError) as error:
        raise _not_a_receipt() from error
    return buffer.getvalue(), STORED_EXTENSIONS[stored_format]


class ExpenseClaimForm(forms.Form):
    kilometres = DecimalInputField(
        label=_("Kilometres driven by car"),
        required=False,
        min_value=0,
        max_value=5000,
        decimal_places=1,
        help_text=_("With your own car, there and back. Paid by the county's kilometre tariff."),
    )
    tickets = MoneyField(
        label=_("Tickets (€)"),
        required=False,
        max_value=5000,
        help_text=_("Bus, train or other travel tickets, as paid."),
    )
    receipt = forms.FileField(
        label=_("Photo or PDF of the receipts"),
        required=False,
        help_text=_(
            "Needed when you claim tickets. A JPEG or PNG photo or a PDF. Several receipts: photograph "
            "them together or put them in one PDF."
        ),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example the route, or what the tickets were for."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["receipt"].widget.attrs["accept"] = accepted_types()
        limit = filesizeformat(settings.KP_RECEIPT_MAX_BYTES)
        self.fields["receipt"].help_text = f"{self.fields['receipt'].help_text} " + str(
            _("At most %(limit)s.") % {"limit": limit}
        )

    def clean_receipt(self):
        upload = self.cleaned_data.get("receipt")
        return receipt_file(upload) if isinstance(upload, UploadedFile) else None

    def clean(self):
        cleaned = super().clean()
        kilometres = cleaned.get("kilometres") or 0
        tickets = cleaned.get("tickets") or 0
        cleaned["kilometres"], cleaned["tickets"] = kilometres, tickets
        if self.errors:
            return cleaned
        if not kilometres and not tickets:
            raise forms.ValidationError(_("Enter the kilometres or the ticket costs."), code="empty")
        if tickets and cleaned.get("receipt") is None:
            self.add_error(
                "receipt",
                forms.ValidationError(
                    _("Add a photo or a PDF of the receipt for the tickets."), code="receipt_required"
                ),
            )
        return cleaned


class ClaimReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the claim returned?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The expert sees this and can send a corrected claim."),
        error_messages={"required": _("Tell the expert why the claim is returned.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
