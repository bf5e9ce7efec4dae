from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UsernameField
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from units.models import Membership, Unit
from units.scoping import (
    ALL_UNITS,
    ScopedAdmin,
    UnitSubtreeFilter,
    unit_kinds_user_may_create,
    units_for,
    user_home_unit,
    user_scope,
)
from units.services import membership_assign, membership_sync_access, unit_save

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
        # Staff may rename their own unit but not move it out of their reach nor change its kind.
        if obj is not None and user_scope(request.user) == obj:
            return ["parent", "code", "kind"]
        return []

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            allowed = unit_kinds_user_may_create(request.user)
            kwargs["choices"] = [(value, label) for value, label in Unit.Kind.choices if value in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        scope = user_scope(request.user)
        if scope != ALL_UNITS and not (obj == scope or (obj.parent and obj.parent.is_within(scope))):
            raise PermissionDenied
        if obj != scope and obj.kind not in unit_kinds_user_may_create(request.user):
            raise PermissionDenied
        unit_save(unit=obj, actor=request.user)


class MembershipInline(admin.StackedInline):
    model = Membership
    can_delete = False
    autocomplete_fields = ["unit"]
    fields = ["unit", "role", "position", "is_cadre", "can_review"]

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

    def get_queryset(self, request):
        # Only superusers see (and so edit, deactivate or set the password of) superusers.
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Access rights follow the role (membership_sync_access): nobody else grants them by hand.
        hidden = {"is_staff", "is_superuser", "groups", "user_permissions"}
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
        ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        membership = Membership.objects.filter(user=form.instance).select_related("user").first()
        if membership is not None:
            membership_sync_access(membership=membership)


class CadreForm(forms.ModelForm):
    """A member's entry on their unit's roster: their name, unit (moving them is choosing
    another unit), position and whether they count on the cadre roster."""

    full_name = forms.CharField(label=_("full name"), max_length=150)

    class Meta:
        model = Membership
        fields = ["unit", "role", "position", "is_cadre", "can_review"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["full_name"].initial = self.instance.user.first_name
            # Accounts made before the roster (a superuser, say) may have no name yet.
            self.fields["full_name"].required = bool(self.instance.user.first_name)


class NewCadreForm(CadreForm):
    """A new account on the roster, with the login name and first password its holder uses."""

    username = UsernameField(
        label=_("login name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only; the cadre logs in with it."),
    )
    password1 = forms.CharField(
        label=_("initial password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Tell the cadre; they can change it after logging in."),
    )
    password2 = forms.CharField(
        label=_("initial password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"]
        for validator in User._meta.get_field("username").validators:
            validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login name is already taken."), code="taken")
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", forms.ValidationError(_("The two passwords differ."), code="mismatch"))
        elif second:
            candidate = User(username=cleaned.get("username", ""), first_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(second, candidate)
            except forms.ValidationError as error:
                self.add_error("password2", error)
        return cleaned


@admin.register(Membership)
class RosterAdmin(ScopedAdmin):
    """The cadre roster of the user's units. Unit staff add cadres, correct them, move them to
    another unit of their subtree and deactivate them; every entry they make is a cadre (no
    back-office role, no admin flags, groups or permissions). Commission administrators also
    choose the role. Saving goes through membership_assign, so the access follows the role."""

    list_display = ["full_name", "login_name", "unit", "position", "role", "is_cadre", "account_active"]
    list_filter = [UnitSubtreeFilter, "role", "is_cadre", "user__is_active"]
    search_fields = ["user__username", "user__first_name", "position", "unit__name"]
    list_select_related = ["user", "unit"]
    list_per_page = 50
    autocomplete_fields = ["unit"]
    actions = ["deactivate", "reactivate"]

    @admin.display(description=_("full name"), ordering="user__first_name")
    def full_name(self, obj):
        return obj.user.first_name or "—"

    @admin.display(description=_("login name"), ordering="user__username")
    def login_name(self, obj):
        return obj.user.username

    @admin.display(description=_("account active"), boolean=True, ordering="user__is_active")
    def account_active(self, obj):
        return obj.user.is_active

    # Access follows the role (units.roles): unit staff keep the cadres of their subtree, never
    # another member of staff or an administrator (those are not listed for them at all).
    def _administers(self, request) -> bool:
        return user_scope(request.user) == ALL_UNITS

    def _keeps_roster(self, request) -> bool:
        return user_scope(request.user) is not None

    def has_module_permission(self, request):
        return self._keeps_roster(request)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) if self._administers(request) else self._keeps_roster(request)

    def has_add_permission(self, request):
        return super().has_add_permission(request) if self._administers(request) else self._keeps_roster(request)

    def has_change_permission(self, request, obj=None):
        if self._administers(request):
            return super().has_change_permission(request, obj)
        return self._keeps_roster(request) and (obj is None or self._is_plain_cadre(obj))

    @staticmethod
    def _is_plain_cadre(membership) -> bool:
        return membership.role == Membership.Role.CADRE and not membership.user.is_superuser

    def get_queryset(self, request):
        # Unit staff keep the cadres; other staff and administrators are kept by the commission.
        queryset = super().get_queryset(request)
        if not self._administers(request):
            queryset = queryset.filter(role=Membership.Role.CADRE, user__is_superuser=False)
        return queryset

    def has_delete_permission(self, request, obj=None):
        # Members leave the roster by being deactivated; their receipts and signatures stay.
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = NewCadreForm if obj is None else CadreForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        account = ["username", "full_name", "password1", "password2"] if obj is None else ["login_name", "full_name"]
        return [
            (_("Account"), {"fields": account}),
            (_("Roster"), {"fields": ["unit", "position", "role", "is_cadre", "can_review"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = [] if obj is None else ["login_name"]
        if not self._administers(request):
            readonly += ["role", "can_review"]  # always a cadre
        return readonly

    def save_model(self, request, obj, form, change):
        self.check_unit_in_scope(request, obj)
        role = obj.role if self._administers(request) else Membership.Role.CADRE
        data = form.cleaned_data
        if change:
            user = obj.user
        else:
            user = User.objects.create_user(
                username=data["username"], password=data["password1"], first_name=data["full_name"]
            )
        if user.first_name != data["full_name"]:
            user.first_name = data["full_name"]
            user.save(update_fields=["first_name"])
        membership = membership_assign(
            user=user,
            unit=obj.unit,
            role=role,
            position=obj.position,
            is_cadre=obj.is_cadre,
            can_review=obj.can_review if self._administers(request) else None,
            actor=request.user,
        )
        obj.pk, obj.user, obj.role = membership.pk, user, membership.role

    def _set_active(self, request, queryset, *, active: bool) -> int:
        done = 0
        for membership in queryset.select_related("user", "unit"):
            user = membership.user
            if user == request.user or user.is_active == active or not self.has_change_permission(request, membership):
                continue
            with transaction.atomic():
                # Off the roster while inactive, so that read rates and signature counts stop
                # waiting for someone who has left; back on it when reactivated.
                membership_assign(
                    user=user,
                    unit=membership.unit,
                    role=membership.role,
                    position=membership.position,
                    is_cadre=active,
                    actor=request.user,
                )
                user.is_active = active
                user.save(update_fields=["is_active"])
            self.log_change(request, membership, gettext("Reactivated") if active else gettext("Deactivated"))
            done += 1
        return done

    @admin.action(description=_("Deactivate the selected members (no login, off the roster)"), permissions=["change"])
    def deactivate(self, request, queryset):
        done = self._set_active(request, queryset, active=False)
        self.message_user(
            request, ngettext("%(count)d member deactivated.", "%(count)d members deactivated.", done) % {"count": done}
        )

    @admin.action(description=_("Reactivate the selected members (back on the roster)"), permissions=["change"])
    def reactivate(self, request, queryset):
        done = self._set_active(request, queryset, active=True)
        self.message_user(
            request, ngettext("%(count)d member reactivated.", "%(count)d members reactivated.", done) % {"count": done}
        )


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """The role groups are synced from the code (units.roles); only superusers touch them."""

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser
