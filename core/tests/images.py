"""Image bytes for upload tests (shared by every app's tests)."""

import io
import os

from PIL import Image

GPS_IFD = 0x8825


def png_bytes(size=(40, 30), noise=False) -> bytes:
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)) if noise else Image.new("RGB", size, "red")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def gps_jpeg() -> bytes:
    """A JPEG whose EXIF holds a GPS position."""
    image = Image.new("RGB", (60, 40), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 20.0), 3: "E", 4: (116.0, 23.0, 30.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    with Image.open(io.BytesIO(data)) as check:
        assert check.getexif().get_ifd(GPS_IFD), "the fixture must really carry GPS data"
    return data
