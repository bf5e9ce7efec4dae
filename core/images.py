"""Checking and re-encoding of every uploaded image (editor images, covers, photos, artworks).

An upload is accepted only if Pillow recognises it as JPEG, PNG or WebP by its content, within
the byte and pixel limits. It is then decoded and encoded afresh, which drops anything appended
to the file and all metadata (EXIF, including GPS position).
"""

import io
import posixpath
import uuid
from functools import partial

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Originals are kept at most this large: enough for any page, a fraction of a camera's file.
MAX_STORED_SIDE = 2000


def image_clean(upload) -> ContentFile:
    """Return a clean re-encoded copy of `upload`, or raise ValidationError in Chinese."""
    max_bytes = settings.PORTAL_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            _("The image is too large (%(size).1f MB); the limit is %(limit)d MB.")
            % {"size": upload.size / 1024 / 1024, "limit": max_bytes // 1024 // 1024}
        )
    upload.seek(0)
    try:
        with Image.open(upload) as probe:
            image_format = probe.format
            width, height = probe.size
    except Image.DecompressionBombError as error:
        raise _too_many_pixels() from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(_("The file is not a JPG, PNG or WebP image.")) from error
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("The file is not a JPG, PNG or WebP image."))
    if width * height > settings.PORTAL_IMAGE_MAX_PIXELS or max(width, height) > settings.PORTAL_IMAGE_MAX_SIDE:
        raise _too_many_pixels()
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
            return _encode(image, image_format)
    except (OSError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(_("The image is damaged and cannot be read.")) from error


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The image has too many pixels: at most %(side)d pixels a side and %(megapixels)d megapixels in all.")
        % {"side": settings.PORTAL_IMAGE_MAX_SIDE, "megapixels": settings.PORTAL_IMAGE_MAX_PIXELS // 1_000_000}
    )


def _encode(image: Image.Image, image_format: str) -> ContentFile:
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=85, optimize=True)
    elif image_format == "PNG":
        if image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
            image = image.convert("RGBA")
        image.save(buffer, "PNG", optimize=True)
    else:
        image.save(buffer, "WEBP", quality=85)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{ALLOWED_FORMATS[image_format]}")


class CheckedImageField(forms.FileField):
    """Form field for every image upload: a new file goes through image_clean, so the form shows
    the Chinese error and the model stores only the re-encoded copy."""

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return image_clean(value)
        return value


def rendition(source, size: tuple[int, int]) -> ContentFile:
    """A JPEG of `source` cropped to exactly `size`, for cards and galleries."""
    source.open("rb")
    try:
        with Image.open(source) as image:
            fitted = ImageOps.fit(image.convert("RGB"), size, Image.Resampling.LANCZOS)
    finally:
        source.close()
    buffer = io.BytesIO()
    fitted.save(buffer, "JPEG", quality=82, optimize=True)
    stem = posixpath.splitext(posixpath.basename(source.name))[0]
    return ContentFile(buffer.getvalue(), name=f"{stem}-{size[0]}x{size[1]}.jpg")


def renditions_refresh(instance) -> None:
    """Make the thumbnails a model declares in `RENDITIONS` ({thumbnail field: (source field,
    (width, height))}) once, when the source image is new; never on a page request."""
    changed = []
    for target_name, (source_name, size) in getattr(instance, "RENDITIONS", {}).items():
        source, target = getattr(instance, source_name), getattr(instance, target_name)
        if not source:
            if target:
                setattr(instance, target_name, None)
                changed.append(target_name)
            continue
        stem = posixpath.splitext(posixpath.basename(source.name))[0]
        if target and posixpath.basename(target.name).startswith(f"{stem}-{size[0]}x{size[1]}"):
            continue
        thumbnail = rendition(source, size)
        target.save(thumbnail.name, thumbnail, save=False)
        changed.append(target_name)
    if changed:
        instance.save(update_fields=changed)


def renditions_after_commit(instance) -> None:
    """renditions_refresh once the surrounding transaction has committed, so that a rollback
    leaves no stray thumbnail files and no image work runs while rows are locked."""
    transaction.on_commit(partial(renditions_refresh, instance), robust=True)


class RenditionsAdminMixin:
    """For a ModelAdmin: make thumbnails after the admin saved a row or its inline rows."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        renditions_after_commit(obj)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for instance in formset.new_objects + [changed for changed, _fields in formset.changed_objects]:
            renditions_after_commit(instance)
