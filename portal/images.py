"""Checking and re-encoding of every uploaded image (editor images, covers, photos, artworks).

An upload is accepted only if Pillow recognises it as JPEG, PNG or WebP by its content, within
the byte and pixel limits. It is then decoded and encoded afresh, which drops anything appended
to the file and all metadata (EXIF, including GPS position).
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


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
