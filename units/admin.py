from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from units.models import Membership, Unit
from units.scoping import ALL_UNITS, ScopedAdmin, units_for, user_home_unit, user_scope
from units.services import membership_sync_access, unit_save

User = get_user_model()


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    unit_field = None
    list_display = ["indented_name", "code", "kind", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["path"]
    list_per_page = 100
    autocomplete_fields = ["parent"]
    fields = ["name", "kind", "parent", "code", "order", "is_active"]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return format_html('<span class="unit-depth-{}">{}</span>', min(obj.depth, 6), obj.name)

    def get_changeform_initial_data(self, request):
        # A new unit goes below the user's own unit unless they choose otherwise.
        initial = super().get_changeform_initial_data(request)
        home = user_home_unit(request.user)
        if home is not None:
            initial.setdefault("parent", home.pk)
        return initial

    def get_readonly_fields(self, request, obj=None):
        # Staff may rename their own unit but not move it out of their reach.
        if obj is not None and user_scope(request.user) == obj:
            return ["parent", "code"]
        return []

    def save_model(self, request, obj, form, change):
        scope = user_scope(request.user)
        if scope != ALL_UNITS and not (obj == scope or (obj.parent and obj.parent.is_within(scope))):
            raise PermissionDenied
        unit_save(unit=obj, actor=request.user)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["unit"]
    fields = ["unit", "role", "position", "is_cadre"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = units_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts with their unit and role. Access rights follow the role (see units.roles), so
    only superusers see the raw permission fields."""

    inlines = [MembershipInline]
    list_display = ["username", "first_name", "membership_unit", "membership_role", "is_active", "last_login"]
    list_filter = ["membership__role", "membership__unit__kind", "is_active"]
    search_fields = ["username", "first_name", "last_name", "membership__unit__name", "membership__position"]
    list_select_related = ["membership__unit"]
    # Stamped by the system; as form fields they lost their seconds on every save.
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description=_("unit"), ordering="membership__unit__path")
    def membership_unit(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.unit if membership else "—"

    @admin.display(description=_("role"), ordering="membership__role")
    def membership_role(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "—"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in {"is_superuser", "groups", "user_permissions"}],
                },
            )
            for name, options in fieldsets
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        membership = Membership.objects.filter(user=form.instance).select_related("user").first()
        if membership is not None:
            membership_sync_access(membership=membership)
