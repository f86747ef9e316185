"""Forms of the expert's own profile: the six sections of the guided form, status and availability.

Each section form saves one part of the profile and tells which profile fields it changed
(`changed_profile_fields()`), so that services.save_profile_section() can log them (names only).
"""

import unicodedata
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from uuid import uuid4

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import (
    NEVER_PUBLIC,
    VISIBLE_FIELDS,
    BlockedPeriod,
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    Organisation,
    ProfileStatus,
    Relation,
    TaskType,
    Visibility,
    Weekday,
)
from .services import clean_visibility

# Pillow format name -> file extension. Anything else (GIF, HEIC, SVG, PDF renamed .jpg) is refused.
PHOTO_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MAX_SIDE = 1200
# A small file can still decode to a huge bitmap (a "decompression bomb"): refuse before decoding.
PHOTO_MAX_PIXELS = 40_000_000


def active_or_chosen(model, chosen_ids):
    """The admin-kept list's entries in use, plus those the profile already has (kept if retired)."""
    return model.objects.filter(Q(is_active=True) | Q(pk__in=chosen_ids))


def sanitize_photo(upload) -> ContentFile:
    """Check an uploaded photo and re-encode it: at most 1200px, without EXIF (GPS, camera) or XMP.

    The original bytes are never stored, and the file gets a random name: a phone's file name or
    metadata can tell where and when the picture was taken.
    """
    if upload.size > settings.KP_MAX_PHOTO_BYTES:
        limit = settings.KP_MAX_PHOTO_BYTES / (1024 * 1024)
        raise forms.ValidationError(
            _("The photo is too large. The largest allowed size is %(limit).0f MB."),
            code="too_large",
            params={"limit": limit},
        )
    invalid = forms.ValidationError(
        _("The file is not a photo we can use. Choose a JPEG, PNG or WebP image."), code="invalid_image"
    )
    try:
        with Image.open(upload) as image:
            if image.format not in PHOTO_FORMATS or image.width * image.height > PHOTO_MAX_PIXELS:
                raise invalid
            image_format = image.format
            icc_profile = image.info.get("icc_profile")
            # Turn the picture upright first: the orientation lives in the EXIF that is dropped.
            clean = ImageOps.exif_transpose(image)
            clean.thumbnail((PHOTO_MAX_SIDE, PHOTO_MAX_SIDE))
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, SyntaxError, ValueError) as error:
        raise invalid from error
    clean.info = {}
    if image_format == "JPEG" and clean.mode not in ("RGB", "L"):
        clean = clean.convert("RGB")
    elif clean.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        clean = clean.convert("RGBA")
    buffer = BytesIO()
    options = {"quality": 85} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    if icc_profile:
        options["icc_profile"] = icc_profile  # colours, not personal data
    clean.save(buffer, format=image_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{uuid4().hex}.{PHOTO_FORMATS[image_format]}")


# The dates a person can mean on these pages. A year typed as 9999 is a slip, and date arithmetic
# past 31.12.9999 (the next day, the end of the month) raises OverflowError: a server error.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)


def validate_date_in_range(value: date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise forms.ValidationError(
            _("Give a date between the years %(first)s and %(last)s."),
            code="date_out_of_range",
            params={"first": EARLIEST_DATE.year, "last": LATEST_DATE.year},
        )


class BoundedDateField(forms.DateField):
    """A date between EARLIEST_DATE and LATEST_DATE: every date field of a form or a filter."""

    default_validators = [validate_date_in_range]


class DateInput(forms.DateInput):
    """The browser's date picker. Its value is always ISO 8601, whatever the page language (a Finnish
    "14.12.2026" would show as an empty field)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")  # not the Finnish "9.00"


# Letters (Lo) and symbols (So) that show as blank space: Hangul fillers and the blank Braille pattern.
BLANK_CHARACTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def is_visible(char: str) -> bool:
    """Whether a character leaves a mark: not a space or separator (Z*), a control, format (zero-width)
    or unassigned code point (C*), a lone combining mark (M*), nor a blank letter or symbol."""
    return unicodedata.category(char)[0] not in "ZCM" and char not in BLANK_CHARACTERS


class ProfileSectionMixin:
    """What services.save_profile_section() needs: the names of the profile fields that changed."""

    def changed_profile_fields(self) -> list[str]:
        return sorted(set(self.changed_data))


class BasicsForm(ProfileSectionMixin, forms.ModelForm):
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPEG, PNG or WebP. We remove the location and camera details from the picture."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = ExpertProfile
        fields = ["display_name", "photo", "bio"]
        help_texts = {"bio": _("A few sentences about yourself and your experience, in your own words.")}
        widgets = {"bio": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.replaced_photo = self.instance.photo.name or ""
        if not self.replaced_photo:
            del self.fields["remove_photo"]

    def clean_display_name(self):
        name = " ".join(self.cleaned_data["display_name"].split())
        if not any(is_visible(char) for char in name):
            # A lone zero-width space passes "required" but leaves a card, a booking and an email
            # with no name to read.
            raise forms.ValidationError(
                _("Write a name. Spaces or invisible characters alone are not a name."), code="invisible"
            )
        return name

    def clean_photo(self):
        # Without a new upload FileField.clean() returns the stored photo: leave that one as it is.
        upload = self.cleaned_data.get("photo")
        return sanitize_photo(upload) if isinstance(upload, UploadedFile) else upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remove_photo") and not isinstance(self.files.get(self.add_prefix("photo")), UploadedFile):
            cleaned["photo"] = False  # FileField.save_form_data() clears the field on False
        return cleaned

    def changed_profile_fields(self) -> list[str]:
        if self.instance._state.adding:  # a new profile: everything given is new, even the default name
            return sorted(name for name in self._meta.fields if self.cleaned_data.get(name))
        changed = set(self.changed_data) - {"remove_photo"}
        if self.cleaned_data.get("photo") is False:
            changed.add("photo")
        return sorted(changed)


class ExperienceForm(ProfileSectionMixin, forms.ModelForm):
    """One radio group per experience area: not mine / own experience / as a close one."""

    class Meta:
        model = ExpertProfile
        fields = ["topics_not_discussed"]
        help_texts = {
            "topics_not_discussed": _("Coordinators will not ask you to speak about these. You can change this later.")
        }
        widgets = {"topics_not_discussed": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = dict(self.instance.experiences.values_list("area_id", "relation")) if self.instance.pk else {}
        choices = [("", _("Not mine")), *Relation.choices]
        self.area_fields = []
        for area in active_or_chosen(ExperienceArea, current):
            name = f"area_{area.pk}"
            self.fields[name] = forms.ChoiceField(
                label=area.name,
                choices=choices,
                required=False,
                initial=current.get(area.pk, ""),
                widget=forms.RadioSelect,
            )
            self.area_fields.append((name, area))
        # The description comes after the areas on the page.
        self.order_fields([name for name, _area in self.area_fields] + ["topics_not_discussed"])

    def experience_fields(self):
        return [self[name] for name, _area in self.area_fields]

    def changed_profile_fields(self) -> list[str]:
        changed = set(self.changed_data)
        fields = {"topics_not_discussed"} & changed
        if any(name in changed for name, _area in self.area_fields):
            fields.add("experience")
        return sorted(fields)

    def save(self, commit=True):
        profile = super().save(commit=commit)
        chosen = {area.pk: self.cleaned_data[name] for name, area in self.area_fields if self.cleaned_data[name]}
        # Set semantics: the page says everything; a double submit changes nothing the second time.
        profile.experiences.exclude(area_id__in=chosen).delete()
        for area_id, relation in chosen.items():
            profile.experiences.update_or_create(area_id=area_id, defaults={"relation": relation})
        return profile


WORK_MODES = [("remote", _("Remote (video or phone)")), ("in_person", _("In person"))]


class WorkForm(ProfileSectionMixin, forms.ModelForm):
    work_mode = forms.MultipleChoiceField(
        label=_("How I can work"),
        choices=WORK_MODES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose remote, in person or both.")},
    )

    class Meta:
        model = ExpertProfile
        fields = ["task_types", "languages", "municipalities", "work_mode", "training_level", "organisation"]
        widgets = {
            "task_types": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "municipalities": forms.CheckboxSelectMultiple,
            "training_level": forms.RadioSelect,
        }
        help_texts = {
            "languages": _("Languages you can work in, including sign language and plain language."),
            "municipalities": _("Where you can take on in-person assignments."),
            "organisation": _("The county or an association, such as Mieli ry, if you work through one."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile = self.instance
        for name, model in [("task_types", TaskType), ("languages", Language), ("municipalities", Municipality)]:
            chosen = list(getattr(profile, name).values_list("pk", flat=True)) if profile.pk else []
            self.fields[name].queryset = active_or_chosen(model, chosen)
        self.fields["organisation"].queryset = active_or_chosen(Organisation, [profile.organisation_id])
        self.fields["organisation"].empty_label = _("No organisation")
        # A level from a completed training's record (trainings) is not the expert's to change.
        if profile.training_level_source == "record":
            del self.fields["training_level"]
        self.initial["work_mode"] = [
            mode for mode, wanted in [("remote", profile.remote_ok), ("in_person", profile.in_person_ok)] if wanted
        ]

    def clean(self):
        cleaned = super().clean()
        modes = cleaned.get("work_mode") or []
        # The check constraint needs one of the two; without a choice the field error above says so.
        if modes:
            self.instance.remote_ok = "remote" in modes
            self.instance.in_person_ok = "in_person" in modes
        return cleaned


class NeedsForm(ProfileSectionMixin, forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = ["accessibility_needs"]
        widgets = {"accessibility_needs": forms.Textarea(attrs={"rows": 5})}


class VisibilityForm(ProfileSectionMixin, forms.ModelForm):
    """A radio group per profile detail; health-related ones are never offered as public."""

    class Meta:
        model = ExpertProfile
        fields = ["is_public"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, label in VISIBLE_FIELDS.items():
            choices = Visibility.choices
            if field in NEVER_PUBLIC:
                choices = [choice for choice in choices if choice[0] != Visibility.PUBLIC]
            self.fields[f"visibility_{field}"] = forms.ChoiceField(
                label=label,
                choices=choices,
                initial=self.instance.visibility_of(field),
                widget=forms.RadioSelect,
                help_text=_("Health-related details are never public.") if field in NEVER_PUBLIC else "",
            )
        self.order_fields([f"visibility_{field}" for field in VISIBLE_FIELDS] + ["is_public"])

    def visibility_fields(self):
        return [self[f"visibility_{field}"] for field in VISIBLE_FIELDS]

    def clean(self):
        cleaned = super().clean()
        self.instance.visibility = clean_visibility(
            {field: cleaned.get(f"visibility_{field}") for field in VISIBLE_FIELDS}
        )
        return cleaned

    def changed_profile_fields(self) -> list[str]:
        changed = set(self.changed_data)
        fields = {"is_public"} & changed
        if any(name.startswith("visibility_") for name in changed):
            fields.add("visibility")
        return sorted(fields)


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I have read the text above and I give my consent."),
        error_messages={"required": _("Tick the box to give your consent.")},
    )


class PaperConsentForm(forms.Form):
    """A coordinator enters the consent an expert signed on paper (views/on_behalf.py)."""

    signed_on = BoundedDateField(label=_("Date of signing"), widget=DateInput)
    confirm = forms.BooleanField(
        error_messages={"required": _("Tick the box to confirm that the expert signed the form.")},
    )

    def __init__(self, *args, text, **kwargs):
        super().__init__(*args, **kwargs)
        self.text = text
        self.fields["confirm"].label = _(
            "The expert has read (or had read to them) consent version %(version)s and signed it on paper"
        ) % {"version": text.version}
        self.fields["signed_on"].initial = timezone.localdate()

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        if self.text.published_at and signed_on < timezone.localdate(self.text.published_at):
            raise forms.ValidationError(
                _("This version was published on %(date)s: the form cannot have been signed before that."),
                code="before_publication",
                params={"date": date_format(timezone.localdate(self.text.published_at), "SHORT_DATE_FORMAT")},
            )
        return signed_on


@dataclass(frozen=True)
class Section:
    number: int
    slug: str
    title: str
    template: str
    form_class: type | None


# The guided form's steps, in order; sections 1–5 can be edited later from "My profile".
SECTIONS = [
    Section(1, "perustiedot", _("About me"), "experts/profile_section_basics.html", BasicsForm),
    Section(2, "kokemus", _("My experience"), "experts/profile_section_experience.html", ExperienceForm),
    Section(3, "tehtavat", _("Tasks and areas"), "experts/profile_section_work.html", WorkForm),
    Section(4, "tarpeet", _("My own needs"), "experts/profile_section_needs.html", NeedsForm),
    Section(5, "nakyvyys", _("Who sees what"), "experts/profile_section_visibility.html", VisibilityForm),
    Section(6, "suostumus", _("Consent"), "experts/profile_section_consent.html", None),
]
SECTIONS_BY_SLUG = {section.slug: section for section in SECTIONS if section.form_class}
LAST_STEP = len(SECTIONS)


class StatusForm(ProfileSectionMixin, forms.ModelForm):
    class Meta:
        model = ExpertProfile
        fields = ["status", "paused_until"]
        labels = {"status": _("My status"), "paused_until": _("Last day of the pause (optional)")}
        help_texts = {"paused_until": _("You become available again automatically on the day after this date.")}
        widgets = {"status": forms.RadioSelect, "paused_until": DateInput()}
        field_classes = {"paused_until": BoundedDateField}

    def clean(self):
        cleaned = super().clean()
        until = cleaned.get("paused_until")
        if cleaned.get("status") != ProfileStatus.PAUSED:
            cleaned["paused_until"] = None
        elif until and until < timezone.localdate():
            self.add_error("paused_until", _("The date cannot be in the past."))
        return cleaned


class SlotForm(forms.Form):
    """One row of the weekly pattern; a row with no times is simply not used."""

    weekday = forms.TypedChoiceField(choices=Weekday.choices, coerce=int, widget=forms.HiddenInput)
    start = forms.TimeField(label=pgettext_lazy("time of day", "From"), required=False, widget=TimeInput())
    end = forms.TimeField(label=pgettext_lazy("time of day", "Until"), required=False, widget=TimeInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if bool(start) != bool(end) and not self.errors:
            self.add_error("end" if start else "start", _("Give both the start and the end time."))
        elif start and end and end <= start:
            self.add_error("end", _("The end time must be after the start time."))
        return cleaned

    def weekday_label(self) -> str:
        try:
            return Weekday(int(self["weekday"].value())).label
        except (TypeError, ValueError):
            return ""


class BaseSlotFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        by_day: dict[int, list] = {}
        for form in self.forms:
            if form.cleaned_data.get("start"):
                by_day.setdefault(form.cleaned_data["weekday"], []).append(form)
        for forms_of_day in by_day.values():
            forms_of_day.sort(key=lambda form: form.cleaned_data["start"])
            for earlier, later in zip(forms_of_day, forms_of_day[1:], strict=False):
                if later.cleaned_data["start"] < earlier.cleaned_data["end"]:
                    later.add_error("start", _("This time overlaps another time on the same day."))

    def slots(self) -> list[tuple[int, object, object]]:
        return [
            (form.cleaned_data["weekday"], form.cleaned_data["start"], form.cleaned_data["end"])
            for form in self.forms
            if form.cleaned_data.get("start")
        ]


SlotFormSet = forms.formset_factory(SlotForm, formset=BaseSlotFormSet, extra=0, max_num=35, validate_max=True)


def slot_initial(profile: ExpertProfile) -> list[dict]:
    """The saved slots of each weekday followed by one empty row for that day (a second slot)."""
    saved = list(profile.weekly_slots.all())
    rows = []
    for day in Weekday:
        rows += [{"weekday": day.value, "start": slot.start, "end": slot.end} for slot in saved if slot.weekday == day]
        rows.append({"weekday": day.value})
    return rows


class MonthlyCapForm(forms.Form):
    # A plain form: services.set_weekly_availability() compares the cap with the saved one.
    monthly_cap = forms.IntegerField(
        label=_("Assignments per month at most"),
        required=False,
        min_value=1,
        max_value=60,
        help_text=_("Leave empty if you do not want a limit."),
    )


class BlockedPeriodForm(forms.ModelForm):
    class Meta:
        model = BlockedPeriod
        fields = ["start", "end", "note"]
        widgets = {"start": DateInput(), "end": DateInput()}
        field_classes = {"start": BoundedDateField, "end": BoundedDateField}

    def __init__(self, *args, profile: ExpertProfile, **kwargs):
        super().__init__(*args, **kwargs)
        self.profile = self.instance.profile = profile

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if not (start and end):
            return cleaned
        if end < start:
            self.add_error("end", _("The end date must be on or after the start date."))
        elif end < timezone.localdate():
            self.add_error("end", _("The period has already ended."))
        elif (
            self.profile.blocked_periods.filter(start__lte=end, end__gte=start)
            .exclude(start=start, end=end)  # the same period again (a double submit) is not an error
            .exists()
        ):
            self.add_error("start", _("This period overlaps a period you have already blocked."))
        return cleaned
