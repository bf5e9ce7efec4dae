"""Content review before publishing (信息发布审核).

What the public site shows of a unit's pages (news and notices, base pages, campaign pages) goes
draft → 待审核 (the author submits) → published by a reviewer, or back to the author with a reason.
A reviewer is a commission administrator, or a member of staff marked as reviewer (审核人, a unit
leader) for the items of their unit's subtree, and never approves an item they submitted
themselves. Commission administrators may also publish directly.

`Reviewed` is the abstract model that gives an item its review state; `is_published` stays the
public switch, and the model's own save service keeps the two in step through `review_sync`
(published ⇔ review state published, a database constraint on each model). The transitions are
the functions below; each saves the item through the save service the caller passes, so that
stamps, validation and the history (who did what, when) are those of any other save."""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import flatten
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from units.scoping import may_publish_directly, may_review


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")


class ReviewError(DomainError):
    error_messages = {
        "not_submittable": _("Only a draft or a returned item can be submitted for review."),
        "not_submitted": _("Only an item awaiting review can be approved or returned."),
        "not_reviewer": _("You may not review the items of this unit."),
        "own_item": _("You submitted this item; another reviewer must approve it."),
        "reason_required": _("Please say what should be changed; the author sees it."),
        "not_published": _("Only a published item can be withdrawn."),
    }


class Reviewed(models.Model):
    review_status = models.CharField(
        _("review"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True, editable=False)
    return_reason = models.CharField(_("reason for returning"), max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True


def published_matches_review(name: str) -> models.CheckConstraint:
    """The constraint each reviewed model declares: shown on the site exactly when published."""
    return models.CheckConstraint(
        condition=Q(is_published=True, review_status=ReviewStatus.PUBLISHED)
        | (Q(is_published=False) & ~Q(review_status=ReviewStatus.PUBLISHED)),
        name=name,
    )


def review_sync(item: Reviewed) -> None:
    """Called by the model's save service: an item saved as published (by a commission
    administrator, the system, the demo) is in the published state; one taken off the site is a
    draft again."""
    if item.is_published:
        item.review_status = ReviewStatus.PUBLISHED
    elif item.review_status == ReviewStatus.PUBLISHED:
        item.review_status = ReviewStatus.DRAFT


@transaction.atomic
def review_submit(*, item: Reviewed, actor, save) -> Reviewed:
    if item.review_status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ReviewError.for_code("not_submittable")
    item.review_status, item.submitted_by, item.submitted_at = ReviewStatus.SUBMITTED, actor, timezone.now()
    item.return_reason = ""
    return save(item)


@transaction.atomic
def review_approve(*, item: Reviewed, actor, save) -> Reviewed:
    """Publish a submitted item, by a reviewer of its unit other than the one who submitted it."""
    if item.review_status != ReviewStatus.SUBMITTED:
        raise ReviewError.for_code("not_submitted")
    if not may_review(actor, item.review_unit()):
        raise ReviewError.for_code("not_reviewer")
    if item.submitted_by_id is not None and item.submitted_by_id == actor.pk:
        raise ReviewError.for_code("own_item")
    item.review_status, item.is_published = ReviewStatus.PUBLISHED, True
    item.reviewed_by, item.reviewed_at = actor, timezone.now()
    return save(item)


@transaction.atomic
def review_return(*, item: Reviewed, actor, reason: str, save) -> Reviewed:
    if item.review_status != ReviewStatus.SUBMITTED:
        raise ReviewError.for_code("not_submitted")
    if not may_review(actor, item.review_unit()):
        raise ReviewError.for_code("not_reviewer")
    if not reason.strip():
        raise ReviewError.for_code("reason_required")
    item.review_status, item.return_reason = ReviewStatus.RETURNED, reason.strip()[:200]
    item.reviewed_by, item.reviewed_at = actor, timezone.now()
    return save(item)


@transaction.atomic
def review_withdraw(*, item: Reviewed, actor, save) -> Reviewed:
    """Take a published item off the site (a reviewer of its unit); it is a draft again."""
    if item.review_status != ReviewStatus.PUBLISHED:
        raise ReviewError.for_code("not_published")
    if not may_review(actor, item.review_unit()):
        raise ReviewError.for_code("not_reviewer")
    item.is_published = False
    item.review_status = ReviewStatus.DRAFT
    return save(item)


def review_check_edit(*, item: Reviewed, actor, changed: bool) -> None:
    """Before an edit from the admin is saved (where `is_published` is read-only to whoever may
    not publish directly): their change to a published item sends it back to review, off the site
    until a reviewer approves it again, so that nothing reaches the public unreviewed."""
    if may_publish_directly(actor) or not changed:
        return
    if item.pk is not None and item.review_status == ReviewStatus.PUBLISHED:
        item.is_published = False
        item.review_status, item.submitted_by, item.submitted_at = ReviewStatus.SUBMITTED, actor, timezone.now()


# The back office --------------------------------------------------------------------------------


class ReviewActionForm(ActionForm):
    reason = forms.CharField(label=_("Reason (for returning)"), required=False, max_length=200)


class ReviewAdminMixin:
    """For the admin of a reviewed model (before ScopedAdmin in the bases): the review state in
    the list and on the form, `is_published` read-only to whoever may not publish directly, and
    the actions submit, approve, return and withdraw. `review_save(obj, actor)` is the model's
    save service; the admin's save_model calls `review_check_edit` before it."""

    action_form = ReviewActionForm
    actions = ["submit_for_review", "approve_and_publish", "return_for_changes", "withdraw"]
    REVIEW_FIELDS = ("review_state", "review_trail")

    def review_save(self, obj, actor):
        raise NotImplementedError

    def get_list_display(self, request):
        return [*super().get_list_display(request), "review_state"]

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "review_status"]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), *self.REVIEW_FIELDS]
        if not may_publish_directly(request.user):
            readonly.append("is_published")
        return readonly

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        shown = {name for _title, options in fieldsets for name in flatten(options["fields"])}
        review = [name for name in self.REVIEW_FIELDS if name not in shown]
        return [*fieldsets, (_("Review before publishing"), {"fields": review})] if obj is not None else fieldsets

    @admin.display(description=_("review"), ordering="review_status")
    def review_state(self, obj):
        return obj.get_review_status_display()

    @admin.display(description=_("review steps"))
    def review_trail(self, obj):
        steps = []
        if obj.submitted_at:
            steps.append(_("submitted by %(user)s at %(time)s") % _step(obj.submitted_by, obj.submitted_at))
        if obj.reviewed_at:
            steps.append(_("reviewed by %(user)s at %(time)s") % _step(obj.reviewed_by, obj.reviewed_at))
        if obj.review_status == ReviewStatus.RETURNED and obj.return_reason:
            steps.append(_("returned: %(reason)s") % {"reason": obj.return_reason})
        return "；".join(str(step) for step in steps) or "—"

    def _review(self, request, queryset, transition, done_message, **extra):
        def save(obj):
            return self.review_save(obj, request.user)

        self.apply_each(
            request, queryset, lambda item: transition(item=item, actor=request.user, save=save, **extra), done_message
        )

    @admin.action(description=_("Submit the selected items for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._review(request, queryset, review_submit, _("%(count)d items submitted for review."))

    @admin.action(description=_("Approve and publish the selected items"), permissions=["change"])
    def approve_and_publish(self, request, queryset):
        self._review(request, queryset, review_approve, _("%(count)d items approved and published."))

    @admin.action(description=_("Return the selected items for changes (give a reason)"), permissions=["change"])
    def return_for_changes(self, request, queryset):
        reason = request.POST.get("reason", "")
        self._review(request, queryset, review_return, _("%(count)d items returned."), reason=reason)

    @admin.action(description=_("Withdraw the selected items from the site"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._review(request, queryset, review_withdraw, _("%(count)d items withdrawn."))


def _step(user, moment) -> dict:
    name = (user.get_full_name() or user.username) if user is not None else _("the system")
    return {"user": name, "time": timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")}
