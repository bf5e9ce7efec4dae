from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications and bulletins")
    unit_staff_permissions = [
        f"{action}_{model}"
        for model in ["publication", "attachment", "distribution", "placement", "bulletincase"]
        for action in ["view", "add", "change", "delete"]
    ] + ["view_readreceipt"]

    def navigation_item(self, request):
        from django.urls import reverse

        from publications.models import Publication
        from units.scoping import user_membership

        items = []
        if Publication.objects.visible_to(request.user).exists():
            items.append({"label": _("Materials and bulletins"), "url": reverse("publications:publication-list")})
        if user_membership(request.user) is not None:
            items.append({"label": _("Case bulletins"), "url": reverse("publications:bulletin-list")})
        return items

    def home_block(self, request):
        from publications.models import Publication

        items = list(Publication.objects.visible_to(request.user).select_related("issuing_unit")[:8])
        if not items:
            return None
        return {"template": "publications/includes/home_block.html", "publications": items}
