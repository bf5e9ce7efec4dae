from django.contrib.auth.models import Group
from django.db import transaction

from core.history import record_actor
from units.models import Membership, Unit
from units.roles import group_for_role


@transaction.atomic
def unit_save(*, unit: Unit, actor) -> Unit:
    """Validate and save a unit, keeping its tree path and its descendants' paths right.

    A unit cannot be moved below itself (Unit.clean). When the parent, order or code changes,
    every descendant's path is rewritten in the same transaction.
    """
    unit.full_clean(exclude=["path"])
    old_path = Unit.objects.filter(pk=unit.pk).values_list("path", flat=True).first() if unit.pk else ""
    unit.path = (unit.parent.path if unit.parent_id else "") + unit.path_segment()
    record_actor(unit, actor)
    unit.save()
    if old_path and old_path != unit.path:
        descendants = Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk)
        for descendant in descendants.order_by("path"):
            descendant.path = unit.path + descendant.path[len(old_path) :]
            record_actor(descendant, actor)
            descendant.save(update_fields=["path"])
    return unit


@transaction.atomic
def membership_assign(
    *,
    user,
    unit: Unit,
    role: str,
    actor,
    position: str = "",
    is_cadre: bool = True,
    can_review: bool | None = None,
) -> Membership:
    """Give a user their unit and role, and the admin access that goes with the role. `can_review`
    (None: unchanged) makes unit staff a reviewer of their subtree's items; a cadre never is."""
    membership = Membership.objects.filter(user=user).first() or Membership(user=user)
    membership.unit, membership.role, membership.position, membership.is_cadre = unit, role, position, is_cadre
    if can_review is not None:
        membership.can_review = can_review
    if role == Membership.Role.CADRE:
        membership.can_review = False
    membership.full_clean()
    record_actor(membership, actor)
    membership.save()
    membership_sync_access(membership=membership)
    return membership


def membership_sync_access(*, membership: Membership) -> None:
    """Make the user's admin access and permission groups follow their role.

    Cadres have no admin access; unit staff and commission administrators do, through the
    group of their role. Superusers keep their flags.
    """
    user = membership.user
    role_groups = Group.objects.filter(name__in=[group_for_role(role) for role in Membership.Role.values])
    user.groups.remove(*role_groups)
    if membership.role == Membership.Role.CADRE:
        user.is_staff = user.is_superuser
    else:
        user.is_staff = True
        group, _created = Group.objects.get_or_create(name=group_for_role(membership.role))
        user.groups.add(group)
    user.save(update_fields=["is_staff"])
