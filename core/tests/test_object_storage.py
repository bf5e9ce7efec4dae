"""Uploads in S3-compatible object storage (DJANGO_S3_BUCKET), against a local S3 server (moto's,
over HTTP on loopback): public media readable by plain links, private files never public and
handed out as signed links that expire, a failed write a clear StorageFailed."""

import json
import socket
import urllib.error
import urllib.request
from urllib.parse import parse_qs, quote, urlsplit

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.http import Http404
from moto.server import ThreadedMotoServer

from config.settings import object_storages
from core.storage import StorageFailed, files_removed_on_error, private_file_response, private_storage

BUCKET = "qingfeng"
# The bucket policy README "Shared media" asks for: anyone may read media/, nothing else.
PUBLIC_MEDIA_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/media/*"}
    ],
}


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3(s3_endpoint, settings, monkeypatch):
    """The settings a site with DJANGO_S3_BUCKET gets, and a client to look into the bucket."""
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_MEDIA_POLICY))
    environ = {"DJANGO_S3_BUCKET": BUCKET, "DJANGO_S3_ENDPOINT_URL": s3_endpoint, "DJANGO_S3_REGION": "us-east-1"}
    settings.STORAGES = {**settings.STORAGES, **object_storages(environ)}
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def fetch(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 - the local test server
            return answer.status, answer.read(), answer.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def test_without_a_bucket_uploads_stay_in_folders():
    assert object_storages({}) == {}


def test_public_media_get_plain_links_under_media(s3):
    media = storages["default"]
    name = media.save("editor/照片.png", ContentFile(b"\x89PNG public"))
    assert s3.get_object(Bucket=BUCKET, Key=f"media/{name}")["Body"].read() == b"\x89PNG public"
    url = media.url(name)
    assert "Signature" not in url and "/media/editor/" in url
    assert fetch(url)[:2] == (200, b"\x89PNG public")


def test_private_files_are_never_public_and_go_out_as_signed_links_that_expire(s3):
    storage = private_storage()
    name = storage.save("attachments/2026/通报原文.pdf", ContentFile(b"%PDF-1.4 secret"))
    key = f"private/{name}"
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no AuthenticatedUsers
    assert fetch(f"{storage.endpoint_url}/{BUCKET}/{quote(key)}")[0] == 403  # no link without a signature
    file = FieldFile(None, FileField(storage=storage), name)
    response = private_file_response(file, as_attachment=True, filename="通报原文.pdf", content_type="application/pdf")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Expires"] == ["300"] and "X-Amz-Signature" in query
    assert "attachment" in query["response-content-disposition"][0]
    status, body, headers = fetch(response["Location"])
    assert (status, body, headers["Content-Type"]) == (200, b"%PDF-1.4 secret", "application/pdf")
    assert "no-store" in headers["Cache-Control"]
    storage.delete(name)
    with pytest.raises(Http404):
        private_file_response(file)


def test_a_write_the_bucket_refuses_is_a_clear_error_and_leaves_nothing(s3):
    storage = storages["private"]
    storage.bucket_name = "no-such-bucket"
    with pytest.raises(StorageFailed) as refused, files_removed_on_error():
        storage.save("signatures/2026/签名.png", ContentFile(b"\x89PNG"))
    assert refused.value.message == StorageFailed.for_code("save_failed").message
    assert s3.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
