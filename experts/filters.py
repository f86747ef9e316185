"""The coordinators' expert search: facets and free text over listed profiles (django-filter).

Within one facet any chosen value will do (Lahti or Hollola); different facets must all hold. The
URL carries slugs, not ids, so that a shared search link reads well and survives a database reload.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .models import (
    ExperienceArea,
    ExpertProfile,
    Language,
    Municipality,
    Organisation,
    ProfileExperience,
    Relation,
    TaskType,
    TextQuery,
    TrainingLevel,
)

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    def __init__(self, *args, **kwargs):
        # Labels sit above their fields and checkboxes: no colon after them.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# Facet -> the profile's many-to-many field it filters on.
M2M_FACETS = {"task": "task_types", "language": "languages", "municipality": "municipalities"}


def linked_to_any(field_name: str, ids: list[int]):
    """Rows of the M2M table linking the outer profile to any of `ids`, for EXISTS: a join would repeat
    a profile once per match and need DISTINCT, which is slow at scale and fights the ranking."""
    field = ExpertProfile._meta.get_field(field_name)
    return field.remote_field.through.objects.filter(
        **{f"{field.m2m_field_name()}_id": OuterRef("pk"), f"{field.m2m_reverse_field_name()}_id__in": ids}
    )


def taxonomy_filter(model, label):
    return django_filters.ModelMultipleChoiceFilter(
        queryset=model.objects.filter(is_active=True),
        to_field_name="slug",
        label=label,
        method="filter_related",
        widget=forms.CheckboxSelectMultiple,
    )


class ExpertFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search words"),
        method="filter_text",
        max_length=MAX_QUERY_LENGTH,
        help_text=_("For example a topic, a diagnosis, a place or a name. Parts of words and typos also match."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    date = django_filters.DateFilter(
        label=_("Available on"),
        method="filter_available_on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    remote = django_filters.BooleanFilter(
        label=_("Takes remote assignments"), method="filter_remote", widget=forms.CheckboxInput
    )
    area = taxonomy_filter(ExperienceArea, _("Experience area"))
    relation = django_filters.ChoiceFilter(
        label=_("Whose experience"),
        choices=Relation.choices,
        empty_label=_("Own or as a close one"),
        method="filter_relation",
        widget=forms.RadioSelect,
    )
    task = taxonomy_filter(TaskType, _("Task"))
    language = taxonomy_filter(Language, _("Language"))
    municipality = taxonomy_filter(Municipality, _("Municipality"))
    training = django_filters.MultipleChoiceFilter(
        label=_("Training level"),
        choices=TrainingLevel.choices,
        method="filter_training",
        widget=forms.CheckboxSelectMultiple,
    )
    organisation = taxonomy_filter(Organisation, _("Organisation"))

    text_query: TextQuery | None = None

    class Meta:
        model = ExpertProfile
        fields: list[str] = []
        form = SearchForm

    def filter_related(self, queryset, name, value):
        if not value:
            return queryset
        ids = [item.pk for item in value]
        if name == "organisation":
            return queryset.filter(organisation__in=ids)
        if name == "area":
            return queryset.filter(Exists(self.experiences(area_ids=ids)))
        return queryset.filter(Exists(linked_to_any(M2M_FACETS[name], ids)))

    def filter_relation(self, queryset, name, value):
        # With areas chosen, filter_related asks for the relation on the same experience row.
        if self.form.cleaned_data.get("area"):
            return queryset
        return queryset.filter(Exists(self.experiences()))

    def experiences(self, area_ids=()):
        rows = ProfileExperience.objects.filter(profile=OuterRef("pk"))
        if area_ids:
            rows = rows.filter(area__in=area_ids)
        relation = self.form.cleaned_data.get("relation")
        return rows.filter(relation=relation) if relation else rows

    def filter_training(self, queryset, name, value):
        return queryset.filter(training_level__in=value)

    def filter_remote(self, queryset, name, value):
        return queryset.filter(remote_ok=True) if value else queryset

    def filter_available_on(self, queryset, name, value):
        return queryset.available_on(value)

    def filter_text(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        # The view ranks with the same TextQuery (its label corrections cost a query).
        self.text_query = TextQuery(text)
        return queryset.filter(self.text_query.match)
