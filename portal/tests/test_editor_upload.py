"""The rich-text editor's image upload: staff only, real images only, stored clean."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.tests.images import gps_jpeg, png_bytes

URL = reverse("portal:editor-image-upload")


@pytest.fixture
def staff_client(client, staff_a):
    client.force_login(staff_a)
    return client


def upload(client, name, content, content_type="image/png"):
    return client.post(URL, {"upload": SimpleUploadedFile(name, content, content_type=content_type)})


def test_anonymous_and_cadres_cannot_upload(client, cadre_a):
    assert upload(client, "a.png", png_bytes()).status_code == 302
    client.force_login(cadre_a)
    assert upload(client, "a.png", png_bytes()).status_code == 302


def test_staff_upload_returns_a_media_url_of_a_reencoded_image(staff_client, settings):
    response = upload(staff_client, "photo.png", png_bytes())
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/editor/") and url.endswith(".png")
    stored = settings.MEDIA_ROOT / url.removeprefix("/media/")
    with Image.open(stored) as image:
        assert image.format == "PNG" and image.size == (40, 30)


def test_html_renamed_to_png_is_refused(staff_client):
    response = upload(staff_client, "evil.png", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 400
    assert "不是 JPG、PNG 或 WebP" in response.json()["error"]["message"]


def test_appended_script_is_dropped_by_reencoding(staff_client, settings):
    response = upload(staff_client, "tail.png", png_bytes() + b"<script>alert(1)</script>")
    assert response.status_code == 200
    stored = (settings.MEDIA_ROOT / response.json()["url"].removeprefix("/media/")).read_bytes()
    assert b"<script>" not in stored


def test_huge_pixel_count_is_refused_without_decoding(staff_client):
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")
    response = upload(staff_client, "bomb.png", buffer.getvalue())
    assert response.status_code == 400
    assert "像素过多" in response.json()["error"]["message"]


def test_image_wider_than_the_limit_is_refused(staff_client):
    buffer = io.BytesIO()
    Image.new("1", (7000, 10)).save(buffer, "PNG")
    response = upload(staff_client, "wide.png", buffer.getvalue())
    assert response.status_code == 400
    assert "每边最多 6000 像素" in response.json()["error"]["message"]


def test_gps_exif_is_stripped(staff_client, settings):
    response = upload(staff_client, "gps.jpg", gps_jpeg(), content_type="image/jpeg")
    assert response.status_code == 200
    with Image.open(settings.MEDIA_ROOT / response.json()["url"].removeprefix("/media/")) as image:
        assert not image.getexif()


def test_too_many_bytes_is_refused(staff_client, settings):
    settings.PORTAL_IMAGE_MAX_BYTES = 1024
    response = upload(staff_client, "big.png", png_bytes(size=(400, 400), noise=True))
    assert response.status_code == 400
    assert "图片过大" in response.json()["error"]["message"]


def test_gif_is_refused(staff_client):
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, "GIF")
    assert upload(staff_client, "a.gif", buffer.getvalue(), "image/gif").status_code == 400
