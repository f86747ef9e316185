"""The coordinators' expert search: facets and free text over listed profiles (django-filter).

Within one facet any chosen value will do (Lahti or Hollola); different facets must all hold. The
URL carries slugs, not ids, so that a shared search link reads well and survives a database reload.
"""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms_profile import TimeInput, validate_date_in_range
from .models import ExpertProfile, Relation, TextQuery, TrainingLevel, facet, taxonomy_lists

MAX_QUERY_LENGTH = 200
# The time picker sends 14:30; typed where there is no picker, the Finnish 14.30 works too.
TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S", "%H.%M.%S"]


class SearchForm(forms.Form):
    def __init__(self, *args, **kwargs):
        # Labels sit above their fields and checkboxes: no colon after them.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        # A time range is a time on the chosen date: both ends, the end after the start.
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if (start or end) and not cleaned.get("date") and "date" not in self.errors:
            self.add_error("date", _("Choose the date of the time range."))
        if bool(start) != bool(end):
            self.add_error("end_time" if start else "start_time", _("Give both the start and the end time."))
        elif start and end and end <= start:
            self.add_error("end_time", _("The end time must be after the start time."))
        return cleaned


def taxonomy_filter(label):
    """Any of an admin-kept list's items in use, by slug. ExpertFilter sets the choices per request."""
    return django_filters.MultipleChoiceFilter(
        label=label, method="filter_related", widget=forms.CheckboxSelectMultiple
    )


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search words"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "For example a topic, a diagnosis, a place or a name, in any form. Related words, parts of words "
            "and typos also match."
        ),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    date = django_filters.DateFilter(
        label=_("Available on"),
        method="filter_available_on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_date_in_range],  # 31.12.9999 would overflow in free_on()
    )
    # The time on that date (filter_available_on applies both): experts whose weekly hours cover it.
    start_time = django_filters.TimeFilter(
        label=_("Time from"),
        method="filter_time",
        input_formats=TIME_FORMATS,
        widget=TimeInput(),
    )
    end_time = django_filters.TimeFilter(
        label=_("Time until"),
        method="filter_time",
        input_formats=TIME_FORMATS,
        widget=TimeInput(),
        help_text=_(
            "Optional. Only experts whose usual weekly hours cover the whole time and who have no other "
            "assignment then. Experts who have not given weekly hours are not shown for a date anyway."
        ),
    )
    remote = django_filters.BooleanFilter(
        label=_("Takes remote assignments"), method="filter_remote", widget=forms.CheckboxInput
    )
    area = taxonomy_filter(_("Experience area"))
    relation = django_filters.ChoiceFilter(
        label=_("Whose experience"),
        choices=Relation.choices,
        empty_label=_("Own or as a close one"),
        method="filter_relation",
        widget=forms.RadioSelect,
    )
    task = taxonomy_filter(_("Task"))
    language = taxonomy_filter(_("Language"))
    municipality = taxonomy_filter(_("Municipality"))
    training = django_filters.MultipleChoiceFilter(
        label=_("Training as an experience expert"),
        choices=TrainingLevel.choices,
        method="filter_training",
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = taxonomy_filter(_("Organisation"))

    text_query: TextQuery | None = None

    class Meta:
        model = ExpertProfile
        fields: list[str] = []
        form = SearchForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists in one query, for the choices (checked and shown) and the result cards' labels.
        self.lists = taxonomy_lists()
        self.by_slug = {kind: {item.slug: item for item in items} for kind, items in self.lists.items()}
        for kind, items in self.lists.items():
            self.filters[kind].extra["choices"] = [(item.slug, item.name) for item in items if item.is_active]

    def filter_related(self, queryset, name, value):
        if not value:
            return queryset
        value = [self.by_slug[name][slug] for slug in value]
        if name == "organisation":
            return queryset.filter(organisation__in=[item.pk for item in value])
        # Any of the chosen values will do: the tokens overlap (a facet's name is its token kind).
        # With a relation chosen, an area counts only when held in that relation.
        relation = self.form.cleaned_data.get("relation") if name == "area" else None
        extra = [relation] if relation else []
        return queryset.filter(facets__overlap=[facet(name, item.pk, *extra) for item in value])

    def filter_relation(self, queryset, name, value):
        # With areas chosen, filter_related asks for the relation on the same experience row.
        if not value or self.form.cleaned_data.get("area"):
            return queryset
        return queryset.filter(facets__contains=[facet("relation", value)])

    def filter_training(self, queryset, name, value):
        return queryset.filter(training_level__in=value)

    def filter_remote(self, queryset, name, value):
        return queryset.filter(remote_ok=True) if value else queryset

    def filter_available_on(self, queryset, name, value):
        # The queryset is already listed(): only what bookable() adds to it, and the availability.
        queryset = queryset.filter(ExpertProfile.objects.bookable_q(value))
        start, end = self.form.cleaned_data.get("start_time"), self.form.cleaned_data.get("end_time")
        return queryset.free_at(value, start, end) if start and end else queryset.free_on(value)

    def filter_time(self, queryset, name, value):
        return queryset  # a time on the date: filter_available_on

    @property
    def count_probe(self):
        """For the capped count (SearchResults), when the text is the only condition: the profiles
        matching TextQuery.probe, some of the matches, that the full-text index alone finds. A word
        alone usually matches more than the cap. With other conditions the matches are usually
        within it, the count must read them all anyway, and the probe would be one query more."""
        self.qs  # noqa: B018 - filtering sets text_query
        others = [value for name, value in self.form.cleaned_data.items() if name != "q"]
        if self.text_query is None or self.text_query.probe is None or any(others):
            return None
        return self.queryset.filter(self.text_query.probe)

    def filter_text(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        # The view ranks with the same TextQuery (its corrections cost a query; the synonyms come
        # from the lists already read).
        self.text_query = TextQuery(text, self.lists)
        return queryset.filter(self.text_query.match)
