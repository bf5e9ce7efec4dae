from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Publications and bulletins")
    unit_staff_permissions = [
        f"{action}_{model}"
        for model in ["publication", "attachment", "distribution", "placement", "bulletincase"]
        for action in ["view", "add", "change", "delete"]
    ] + ["view_readreceipt", "view_attachmentdelivery"]

    def columns(self):
        from django.urls import reverse
        from django.utils.http import urlencode

        from core.columns import Column
        from publications.models import Publication
        from units.scoping import user_membership

        news_kinds = {Publication.Kind.NEWS, Publication.Kind.NOTICE, Publication.Kind.ANNOUNCEMENT}
        listing = reverse("publications:publication-list")

        def of_kind(kind):
            return lambda user: Publication.objects.visible_to(user).filter(kind=kind)

        def bulletins(user):
            if user_membership(user) is None:
                return Publication.objects.none()
            return Publication.objects.visible_to(user).bulletins()

        return [
            Column(
                key="publications",
                label=_("Materials and bulletins"),
                url=listing,
                items=lambda user: Publication.objects.visible_to(user),
            ),
            # Each kind is a tab of the list (shown while it has items, publication_list).
            *(
                Column(
                    key=f"publications-{kind}",
                    label=label,
                    url=f"{listing}?{urlencode({'kind': kind})}",
                    items=of_kind(kind),
                    news=kind in news_kinds,
                    in_navigation=False,
                )
                for kind, label in Publication.Kind.choices
            ),
            Column(
                key="bulletins",
                label=_("Case bulletins"),
                url=reverse("publications:bulletin-list"),
                items=bulletins,
                public=False,
            ),
        ]

    def home_block(self, request):
        from publications.models import Publication

        items = list(Publication.objects.visible_to(request.user).select_related("issuing_unit")[:8])
        if not items:
            return None
        return {"template": "publications/includes/home_block.html", "publications": items}
