import factory
from django.contrib.auth import get_user_model

from units.models import Membership, Unit
from units.services import membership_assign, unit_save

DEFAULT_PASSWORD = "Qingfeng-test-2026"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = Unit.Kind.TOWNSHIP
    code = factory.Sequence(lambda n: f"U{n:04d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return unit_save(unit=model_class(*args, **kwargs), actor=None)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"干部{n}")

    @factory.post_generation
    def password(user, create, value, **kwargs):
        user.set_password(value or DEFAULT_PASSWORD)
        if create:
            user.save(update_fields=["password"])


def make_member(unit: Unit, role: str = Membership.Role.CADRE, **user_fields):
    """A user registered under `unit` with `role`, and the access that goes with it."""
    user = UserFactory(**user_fields)
    membership_assign(user=user, unit=unit, role=role, position="科员", actor=None)
    user.refresh_from_db()
    return user
