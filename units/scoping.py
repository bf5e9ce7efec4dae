"""The access rule every back office screen follows: staff see their unit's subtree.

Commission administrators (and superusers) see every unit. Unit staff see, filter, search,
autocomplete, export and edit only rows whose unit is their own unit or lies below it. Cadres
and the public have no admin access at all.

`ScopedAdmin` is the one admin base class every app's admin uses; a model admin names the path
from its model to the owning unit in `unit_field` ("unit", "base__unit", ...).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Exists, ManyToManyField, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.resources import modelresource_factory
from simple_history.admin import SimpleHistoryAdmin

from core.errors import DomainError
from core.images import CheckedImageField
from core.models import Topic
from core.spreadsheets import ReadableModelResource, SafeXLSX
from core.storage import StorageFailureAdminMixin
from units.models import PATH_SEPARATOR, Membership, Unit

ALL_UNITS = "all"


def user_membership(user):
    """The user's Membership (with its unit), or None; looked up once per request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_membership_cache"):
        user._membership_cache = Membership.objects.select_related("unit").filter(user=user).first()
    return user._membership_cache


def user_scope(user):
    """The unit whose subtree the user may manage, ALL_UNITS, or None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return ALL_UNITS
    membership = user_membership(user)
    if membership is None or membership.role == Membership.Role.CADRE:
        return None
    if membership.role == Membership.Role.COMMISSION_ADMIN:
        return ALL_UNITS
    return membership.unit


def may_publish_directly(user) -> bool:
    """Commission administrators publish without a review step (units/review.py)."""
    return user_scope(user) == ALL_UNITS


def is_reviewer(user) -> bool:
    """Commission administrators, and unit staff marked as reviewers of their subtree."""
    scope = user_scope(user)
    return scope == ALL_UNITS or (scope is not None and user_membership(user).can_review)


def may_review(user, unit) -> bool:
    """Whether `user` may approve or return items of `unit` (信息发布审核): a commission
    administrator for every unit; a member of staff marked as reviewer for their subtree."""
    scope = user_scope(user)
    if scope == ALL_UNITS:
        return True
    return is_reviewer(user) and unit is not None and unit.path.startswith(scope.path)


def user_home_unit(user):
    """The user's own unit (the default for new rows), or None."""
    membership = user_membership(user)
    return membership.unit if membership else None


def scope_queryset(queryset, user, unit_field):
    """Limit `queryset` to the user's scope. `unit_field` is the lookup to the owning Unit, a
    tuple of lookups (a row is in scope through any of them), or None for units themselves."""
    scope = user_scope(user)
    if scope == ALL_UNITS:
        return queryset
    if scope is None:
        return queryset.none()
    if not unit_field:
        return queryset.filter(path__startswith=scope.path)
    lookups = (unit_field,) if isinstance(unit_field, str) else tuple(unit_field)
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{f"{lookup}__path__startswith": scope.path})
    scoped = queryset.filter(condition)
    if len(lookups) > 1 or _crosses_many_to_many(queryset.model, lookups[0]):
        scoped = scoped.distinct()
    return scoped


def units_for(user):
    return scope_queryset(Unit.objects.all(), user, None)


def units_user_may_act_for(user):
    """The units a user may act for on the public site (book a visit for, say): staff and
    administrators their scope, a cadre their own unit, anyone else none."""
    if user_scope(user) is not None:
        return units_for(user)
    membership = user_membership(user)
    if membership is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk=membership.unit_id)


def _crosses_many_to_many(model, lookup: str) -> bool:
    for name in lookup.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        if isinstance(field, ManyToManyField) or field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def ancestor_paths(unit) -> list[str]:
    """The paths of the units above `unit` (its parent, the parent's parent … the root)."""
    segments = unit.path.split(PATH_SEPARATOR)[:-1]
    return [PATH_SEPARATOR.join(segments[:end]) + PATH_SEPARATOR for end in range(1, len(segments))]


def scoped_choices(admin_site, db_field, request, current=()):
    """Choices for a relation: what the user may choose, plus the values the row already holds.

    What a user may choose: units of their subtree; for a model whose queryset offers
    `choosable_by(user)` (a shared reference: campaigns, pledge texts … owned above the user's
    unit but used by it), what that method allows; for any other scoped model, its rows as its
    admin shows them. The values already held (`current`, primary keys) stay choosable, so that
    saving a form never drops a value the user was shown. None: no limit applies."""
    related = db_field.related_model
    manager = related._default_manager
    if related is Unit:
        allowed = units_for(request.user)
    elif hasattr(manager, "choosable_by"):
        allowed = manager.choosable_by(request.user)
    elif isinstance(admin_site._registry.get(related), ScopedAdmin):
        allowed = admin_site._registry[related].get_queryset(request)
    else:
        return None
    current = [pk for pk in current if pk is not None]
    if not current:
        return allowed
    return manager.filter(Q(pk__in=allowed.values("pk")) | Q(pk__in=current))


def current_values(instance, db_field) -> list:
    """Primary keys the relation `db_field` holds on `instance` (nothing for a new row)."""
    if instance is None or instance.pk is None:
        return []
    if db_field.many_to_many:
        return list(getattr(instance, db_field.name).values_list("pk", flat=True))
    return [getattr(instance, db_field.attname)]


class UnitSubtreeFilter(admin.SimpleListFilter):
    """Filter by a unit and everything below it, offering the units the user manages."""

    title = _("unit (with the units below it)")
    parameter_name = "subtree"

    def lookups(self, request, model_admin):
        units = units_for(request.user).exclude(kind__in=["village", "school", "community", "enterprise"])
        return [(unit.pk, "　" * unit.depth + unit.name) for unit in units[:200]]

    def queryset(self, request, queryset):
        if self.value() and self.value().isascii() and self.value().isdigit():
            unit = units_for(request.user).filter(pk=int(self.value())).first()
            if unit is not None:
                return queryset.filter(unit__path__startswith=unit.path)
        return queryset


class PresentRelatedFilter(admin.RelatedOnlyFieldListFilter):
    """A relation filter listing only the related rows present in the user's scoped list (so a
    township's staff never see other townships' names in the sidebar), found with one EXISTS
    probe per related row, an index lookup on the foreign key, rather than a DISTINCT over every
    row of the list."""

    def field_choices(self, field, request, model_admin):
        present = model_admin.get_queryset(request).filter(**{self.field_path: OuterRef("pk")})
        related = field.remote_field.model._default_manager.filter(Exists(present))
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            related = related.order_by(*ordering)
        return [(row.pk, str(row)) for row in related]


class ScopedAdmin(StorageFailureAdminMixin, ExportMixin, SimpleHistoryAdmin):
    """Admin base for every model that belongs to a unit: scoping, .xlsx export and history."""

    unit_field: str | tuple[str, ...] | None = "unit"
    # Exports are .xlsx only, with formula-like cells neutralised.
    export_formats = [SafeXLSX]
    # Every image upload is checked and re-encoded before it is stored.
    formfield_overrides = {models.ImageField: {"form_class": CheckedImageField}}

    # The changelist counts the filtered rows once; "N of M" would count the whole scope again.
    show_full_result_count = False
    # Rendering a row costs more than finding it: 50 rows a page keeps a million-row list fast.
    list_per_page = 50

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user, self.unit_field)

    def apply_each(self, request, items, operation, done_message, *, name=str) -> int:
        """An action's work: `operation(item)` for each selected item, a warning naming each item a
        rule refused (DomainError), and one message counting those done."""
        done = 0
        for item in items:
            try:
                operation(item)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{name(item)}：{error.message}", messages.WARNING)
        if done:
            self.message_user(request, done_message % {"count": done}, messages.SUCCESS)
        return done

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete of a relation offers what the relation's form field accepts: for a
        # shared reference, what the user may choose (choosable_by), not only their own rows.
        manager = self.model._default_manager
        if hasattr(manager, "choosable_by") and request.path == reverse("admin:autocomplete"):
            queryset = manager.choosable_by(request.user)
        return super().get_search_results(request, queryset, search_term)

    def get_resource_classes(self, request):
        # Without a resource of its own, a list exports readably (Chinese headers, names not ids).
        if self.resource_classes:
            return self.resource_classes
        return [modelresource_factory(self.model, resource_class=ReadableModelResource)]

    # Lookups the work report's drill-down links use beyond the list filters (e.g. "slot__date__gte").
    report_lookups: tuple[str, ...] = ()

    def lookup_allowed(self, lookup, value, request=None):
        if lookup in self.report_lookups or lookup.endswith("__path__startswith"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_list_filter(self, request):
        # Relation filters list only the related rows present in the scoped list, so a
        # township's staff never see other townships' names in the sidebar.
        return [
            (entry, PresentRelatedFilter) if isinstance(entry, str) and self._is_relation(entry) else entry
            for entry in super().get_list_filter(request)
        ]

    def _is_relation(self, lookup: str) -> bool:
        model = self.model
        field = None
        for name in lookup.split("__"):
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                return False
            model = field.related_model
            if model is None:
                return False
        return field is not None and field.is_relation

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_in_scope(self, request, object_id):
        # simple_history falls back to the history table for rows it cannot find, which would
        # show other units' rows (and deleted ones) to unit staff. Only administrators get that.
        if user_scope(request.user) == ALL_UNITS:
            return
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The relation fields built below keep the values this row holds (scoped_choices).
        request.scoped_instance = obj
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        held = current_values(getattr(request, "scoped_instance", None), db_field)
        queryset = scoped_choices(self.admin_site, db_field, request, held)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        held = current_values(getattr(request, "scoped_instance", None), db_field)
        queryset = scoped_choices(self.admin_site, db_field, request, held)
        if queryset is not None:
            kwargs["queryset"] = queryset
        if db_field.related_model is Topic:
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        field = self.unit_field
        if isinstance(field, str) and "__" not in field and field not in initial:
            home = user_home_unit(request.user)
            if home is not None and self._is_unit_foreign_key(field):
                initial[field] = home.pk
        return initial

    def _is_unit_foreign_key(self, name: str) -> bool:
        try:
            field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return False
        return field.many_to_one and field.related_model is Unit

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        super().save_model(request, obj, form, change)

    def check_unit_in_scope(self, request, obj):
        """The form already offers only units in scope; this refuses anything that slipped past
        (a custom form, a read-only unit field) before it reaches the database."""
        if isinstance(self.unit_field, str) and self._is_unit_foreign_key(self.unit_field):
            unit = getattr(obj, self.unit_field)
            scope = user_scope(request.user)
            if scope != ALL_UNITS and (scope is None or unit is None or not unit.is_within(scope)):
                raise PermissionDenied


class ScopedInline(admin.TabularInline):
    """Inline whose foreign-key choices follow the same scoping rule; the values its rows
    already hold stay choosable."""

    formfield_overrides = {models.ImageField: {"form_class": CheckedImageField}}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        parent = getattr(request, "scoped_instance", None)
        held = []
        if parent is not None and parent.pk is not None:
            link = self.fk_name or next(
                field.name
                for field in self.model._meta.get_fields()
                if field.many_to_one and field.related_model is type(parent)
            )
            held = list(self.model._default_manager.filter(**{link: parent}).values_list(db_field.attname, flat=True))
        queryset = scoped_choices(self.admin_site, db_field, request, held)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# The kinds of unit that unit staff may create below their own; administrators create any kind.
KINDS_BELOW = {
    Unit.Kind.TOWNSHIP: [Unit.Kind.VILLAGE, Unit.Kind.COMMUNITY, Unit.Kind.SCHOOL, Unit.Kind.ENTERPRISE],
    Unit.Kind.VILLAGE: [],
    Unit.Kind.COMMUNITY: [],
    Unit.Kind.SCHOOL: [],
    Unit.Kind.ENTERPRISE: [],
}


def unit_kinds_user_may_create(user) -> list[str]:
    """Unit kinds the user may give a new unit (or a unit below theirs): a township's staff add
    villages, communities, schools and enterprises — never a city, an organ or another township,
    which would distort the sector counts."""
    scope = user_scope(user)
    if scope == ALL_UNITS:
        return list(Unit.Kind.values)
    if scope is None:
        return []
    return [str(kind) for kind in KINDS_BELOW.get(scope.kind, [])]
