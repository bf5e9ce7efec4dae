"""The production arrangement on one machine, on loopback: nginx (the site rendered from
deploy/nginx/ by deploy/nginx/render.sh) in front of two gunicorn app servers (deploy/gunicorn.conf.py)
on one PostgreSQL database, Redis for cache, sessions, limits and the job broker, and a Celery
worker. Each test talks HTTP to nginx or to one app server directly, as a browser or a proxy would.

Run by `make test-deploy` (.ci/run, after `make test`); needs nginx, openssl, PostgreSQL
(QF_CLUSTER_POSTGRES, default postgres://postgres@127.0.0.1:5432) and Redis (QF_CLUSTER_REDIS,
default redis://127.0.0.1:6379/13, emptied before and after). Everything it starts is stopped
and its database dropped at the end."""

import base64
import datetime
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import uuid
from http.client import HTTPConnection, HTTPSConnection
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import openpyxl
import psycopg2
import pytest
import redis
from django_otp.oath import totp
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
POSTGRES = os.environ.get("QF_CLUSTER_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("QF_CLUSTER_REDIS", "redis://127.0.0.1:6379/13")
PASSWORD = "Qingfeng-demo-2026"  # the demo accounts' (demo/units.py)
TOTP_KEY = secrets.token_hex(20)
INSECURE = ssl._create_unverified_context()  # noqa: S323 - the test's own self-signed certificate

SETUP = """
import datetime, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from bases.models import EducationBase, VisitSlot
from campaigns.models import ActivityKind
from pledges.models import PledgeText
from publications.models import Publication
from units.scoping import user_membership

jiwei = get_user_model().objects.get(username="jiwei")
TOTPDevice.objects.filter(user=jiwei).delete()
TOTPDevice.objects.create(user=jiwei, name="cluster", key="{key}", confirmed=True)
base = EducationBase.objects.filter(is_published=True).order_by("pk").first()
start = timezone.localdate() + datetime.timedelta(days=10)
slots = [
    VisitSlot.objects.create(base=base, date=start + datetime.timedelta(days=i), start_time=datetime.time(14, 7),
                             end_time=datetime.time(16, 7), capacity=50).pk
    for i in range(40)
]
ganbu = get_user_model().objects.get(username="ganbu")
pledge = PledgeText.objects.published().exclude(signatures__user=ganbu).order_by("pk").first()
pledge.requires_drawn_signature = True
pledge.save()
awaiting = Publication.objects.get(review_status="submitted")
print(json.dumps({{
    "base": base.slug, "slots": slots, "pledge": pledge.pk, "awaiting": [awaiting.pk, awaiting.title],
    "unit": user_membership(jiwei).unit.name, "unit_id": user_membership(jiwei).unit.pk,
    "kind": str(ActivityKind.choices[0][1]),
}}, ensure_ascii=False))
"""


def png(colour: str) -> bytes:
    image = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(image, "PNG")
    return image.getvalue()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Client:
    """One browser (or one proxy) speaking HTTP/1.1 to `origin`, keeping its own cookies; `host`
    is the Host it claims (nginx's, when it talks to an app server directly as nginx would), and
    `source` the loopback address it connects from (nginx tells the app which client it was)."""

    def __init__(self, origin: str, *, host: str | None = None, source: str = "127.0.0.1", forwarded_for=None):
        self.origin, self.host, self.source = urlsplit(origin), host, source
        self.forwarded_for = forwarded_for
        self.cookies: dict[str, str] = {}

    def request(self, method, path, *, form=None, files=None, headers=None):
        parts = self.origin
        if parts.scheme == "https":
            conn = HTTPSConnection(parts.hostname, parts.port, context=INSECURE, timeout=60)
        else:
            conn = HTTPConnection(parts.hostname, parts.port, timeout=60)
        conn.source_address = (self.source, 0)
        host = self.host or parts.netloc
        sent = {"Host": host, **(headers or {})}
        if self.host:  # as nginx does: the client's scheme and address
            sent.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": self.forwarded_for or self.source})
        elif self.forwarded_for:
            sent["X-Forwarded-For"] = self.forwarded_for
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None or files:
            sent["Origin"] = f"https://{host}"
            sent["Referer"] = f"https://{host}{path}"
            fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **(form or {})}
            if files:
                boundary = uuid.uuid4().hex
                body = b"".join(
                    [
                        *(
                            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                            for name, value in fields.items()
                        ),
                        *(
                            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                            f"Content-Type: application/octet-stream\r\n\r\n".encode()
                            + data
                            + b"\r\n"
                            for name, (filename, data) in files.items()
                        ),
                        f"--{boundary}--\r\n".encode(),
                    ]
                )
                sent["Content-Type"] = f"multipart/form-data; boundary={boundary}"
            else:
                body = urlencode(fields, doseq=True).encode()
                sent["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return SimpleNamespace(
            status=response.status,
            headers={name.lower(): value for name, value in response.getheaders()},
            body=content,
            text=content.decode("utf-8", errors="replace"),
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, form=None, **kwargs):
        return self.request("POST", path, form=form or {}, **kwargs)

    def log_in(self, username, *, mfa=False):
        self.get("/accounts/login/")
        response = self.post("/accounts/login/", {"username": username, "password": PASSWORD, "next": "/"})
        assert response.status == 302, response.text[:2000]
        if mfa:
            self.get("/accounts/mfa/verify/?next=/admin/")
            code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
            verified = self.post("/accounts/mfa/verify/?next=/admin/", {"code": code, "next": "/admin/"})
            assert verified.status == 302 and verified.headers["location"].endswith("/admin/"), verified.text[
                verified.text.find("<main") :
            ][:1500]
        return self


def wait_for(check, *, seconds=60.0, what="the service"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{what} did not come up within {seconds:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cluster")
    var = tmp / "var"
    database = f"qf_cluster_{os.getpid()}"
    admin = psycopg2.connect(f"{POSTGRES}/postgres")
    admin.autocommit = True
    admin.cursor().execute(f"DROP DATABASE IF EXISTS {database}")
    admin.cursor().execute(f"CREATE DATABASE {database}")
    cache = redis.Redis.from_url(REDIS)
    cache.flushdb()
    nginx_port, http_port, port_a, port_b = free_port(), free_port(), free_port(), free_port()
    site = f"127.0.0.1:{nginx_port}"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "GUNICORN_"))}
    env.pop("DATABASE_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_HTTPS="1",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
        DJANGO_VAR_DIR=str(var),
        DJANGO_PRIVATE_ACCEL_PREFIX="/_private/",
        DATABASE_URL=f"{POSTGRES}/{database}",
        REDIS_URL=REDIS,
        PORTAL_SITE_URL=f"https://{site}",
        GUNICORN_WORKERS="2",
        GUNICORN_FORWARDED_ALLOW_IPS="127.0.0.1",
    )
    processes: dict[str, subprocess.Popen] = {}

    def manage(*args):
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
        )
        assert result.returncode == 0, f"manage.py {args[0]}: {result.stdout}\n{result.stderr}"
        return result.stdout

    def start(name, command, **extra):
        log = open(tmp / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        processes[name] = subprocess.Popen(  # noqa: S603 - fixed commands
            command, cwd=ROOT, env={**env, **extra}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    try:
        manage("migrate", "--noinput", "--verbosity", "0")
        manage("load_demo")
        manage("collectstatic", "--noinput", "--verbosity", "0")
        manage("rebuild_search_index", "--verbosity", "0")
        setup = json.loads(manage("shell", "-c", SETUP.format(key=TOTP_KEY)).strip().splitlines()[-1])

        subprocess.run(  # noqa: S603 - a throwaway certificate for loopback
            [shutil.which("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        rendered = subprocess.run(  # noqa: S603 - the repository's own script
            [str(ROOT / "deploy/nginx/render.sh"), f"127.0.0.1:{port_a}", f"127.0.0.1:{port_b}"],
            env={
                **os.environ,
                "QF_SERVER_NAME": "127.0.0.1",
                "QF_VAR_DIR": str(var),
                "QF_TLS_CERT": str(tmp / "cert.pem"),
                "QF_TLS_KEY": str(tmp / "key.pem"),
                "QF_HTTPS_LISTEN": site,
                "QF_HTTP_LISTEN": f"127.0.0.1:{http_port}",
                "QF_CACHE_DIR": str(tmp / "nginx-cache"),
            },
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        (tmp / "site.conf").write_text(rendered.stdout)
        temp_paths = "\n".join(
            f"  {kind}_temp_path {tmp / ('nginx-' + kind)};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (tmp / "nginx.conf").write_text(
            f"daemon off;\nworker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'nginx-error.log'} warn;\n"
            + ("user root;\n" if os.geteuid() == 0 else "")
            + "events { worker_connections 512; }\n"
            f"http {{\n  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            f"  access_log {tmp / 'nginx-access.log'};\n{temp_paths}\n  include {tmp / 'site.conf'};\n}}\n"
        )
        nginx = [
            shutil.which("nginx"),
            "-p",
            str(tmp),
            "-e",
            str(tmp / "nginx-error.log"),
            "-c",
            str(tmp / "nginx.conf"),
        ]
        subprocess.run([*nginx, "-t"], check=True, capture_output=True)  # noqa: S603

        gunicorn = [str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "config.wsgi"]
        start("app-a", gunicorn, GUNICORN_BIND=f"127.0.0.1:{port_a}")
        start("app-b", gunicorn, GUNICORN_BIND=f"127.0.0.1:{port_b}")
        start("worker", [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "1", "--loglevel", "INFO"])
        start("nginx", nginx)
        for port in (port_a, port_b):
            wait_for(lambda port=port: Client(f"http://127.0.0.1:{port}").get("/healthz").status == 200, what=port)
        wait_for(lambda: Client(f"https://{site}").get("/healthz").status == 200, what="nginx")
        yield SimpleNamespace(
            site=f"https://{site}",
            host=site,
            a=f"http://127.0.0.1:{port_a}",
            b=f"http://127.0.0.1:{port_b}",
            var=var,
            tmp=tmp,
            database=database,
            db_url=f"{POSTGRES}/{database}",
            processes=processes,
            **setup,
        )
    finally:
        for process in processes.values():
            stop(process)
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.close()
        cache.flushdb()
        shutil.rmtree(tmp / "nginx-cache", ignore_errors=True)


def on_app(cluster, server: str, *, session: Client | None = None, **kwargs) -> Client:
    """A client that talks to app server `server` ("a" or "b") directly, as nginx would, with the
    cookies of `session` if given."""
    client = Client(getattr(cluster, server), host=cluster.host, **kwargs)
    client.cookies = dict(session.cookies) if session else {}
    return client


@pytest.fixture(scope="module")
def editor(cluster) -> Client:
    """The commission's administrator, logged in with two-factor authentication on server A (once:
    a TOTP code is accepted only once in its 30 seconds)."""
    return on_app(cluster, "a").log_in("jiwei", mfa=True)


def query(cluster, sql, params=()):
    with psycopg2.connect(cluster.db_url) as conn, conn.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def app_log_mentions(cluster, path: str) -> bool:
    return any(path in (cluster.tmp / f"{name}.log").read_text() for name in ("app-a", "app-b"))


def test_a_login_on_server_a_is_valid_on_server_b(cluster):
    cadre = on_app(cluster, "a").log_in("ganbu")
    page = on_app(cluster, "b", session=cadre).get("/bulletins/")
    assert page.status == 200 and "案例通报" in page.text
    assert Client(cluster.b, host=cluster.host).get("/bulletins/").status == 302  # no session: to the login


def test_a_rate_limit_counts_requests_on_both_servers(cluster):
    """Search allows 30 a minute per client: 15 on each server, then the 31st is refused on either.
    (Each query differs: a page the anonymous page cache already holds costs nothing and is not
    counted.) The limit counts in fixed minutes: a run that straddles a minute is run again."""
    for attempt in range(3):
        minute = int(time.time() // 60)
        client = f"198.51.100.{attempt + 7}"
        answers = [
            on_app(cluster, "ab"[i % 2], forwarded_for=client)
            .get(f"/search/?q=%E5%BB%89%E6%B4%81+{attempt}-{i}")
            .status
            for i in range(32)
        ]
        if int(time.time() // 60) == minute:
            break
    assert answers[:30] == [200] * 30 and answers[30:] == [429, 429]
    assert on_app(cluster, "a", forwarded_for="198.51.100.99").get("/search/?q=%E5%BB%89%E6%B4%81").status == 200


def test_static_and_uploaded_public_files_are_served_by_nginx_from_the_shared_volume(cluster, editor):
    uploaded = editor.request("POST", "/editor/images/", files={"upload": ("集群.png", png("red"))})
    assert uploaded.status == 200, uploaded.text
    url = urlsplit(json.loads(uploaded.body)["url"]).path
    served = Client(cluster.site).get(url)
    assert served.status == 200 and served.body[:8] == b"\x89PNG\r\n\x1a\n"
    assert served.body == (cluster.var / url.removeprefix("/")).read_bytes()
    assert not app_log_mentions(cluster, url)  # nginx sent it; no app server saw the request
    home = Client(cluster.site).get("/")
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', home.text).group(1)
    assert Client(cluster.site).get(stylesheet).headers["cache-control"] == "public, max-age=31536000, immutable"


def test_a_private_file_is_refused_anonymously_and_sent_by_nginx_to_its_cadre(cluster):
    cadre = Client(cluster.site).log_in("ganbu")
    pledge = f"/pledges/{cluster.pledge}/"
    cadre.get(pledge)
    drawn_signature = "data:image/png;base64," + base64.b64encode(png("black")).decode()  # as the signature pad
    signed = cadre.post(pledge, {"drawn_signature": drawn_signature})
    assert signed.status == 302 and "/pledges/certificates/" in signed.headers["location"]
    certificate = urlsplit(signed.headers["location"]).path
    drawn = certificate + "signature.png"
    anonymous = Client(cluster.site).get(drawn)
    assert anonymous.status == 302 and "/accounts/login/" in anonymous.headers["location"]
    assert Client(cluster.site).get("/_private/").status == 404  # the internal location is not reachable
    stored = next((cluster.var / "private" / "signatures").rglob("*.png"))
    for server in "ab":  # either app server finds the file on the shared volume and hands it to nginx
        answer = on_app(cluster, server, session=cadre).get(drawn)
        assert answer.status == 200 and answer.body == b""
        assert answer.headers["x-accel-redirect"].startswith("/_private/signatures/")
    delivered = cadre.get(drawn)
    assert delivered.status == 200 and delivered.headers["content-type"] == "image/png"
    assert delivered.body == stored.read_bytes() and "no-store" in delivered.headers["cache-control"]
    assert "x-accel-redirect" not in delivered.headers


def test_an_anonymous_page_is_cached_and_changes_when_an_editor_on_b_publishes(cluster, editor):
    pk, title = cluster.awaiting
    visitor = Client(cluster.site)
    first, second = visitor.get("/"), visitor.get("/")
    assert first.status == second.status == 200 and title not in second.text
    assert second.headers.get("x-proxy-cache") == "HIT"
    on_b = on_app(cluster, "b", session=editor)
    changelist = "/admin/publications/publication/"
    on_b.get(changelist)
    approved = on_b.post(changelist, {"action": "approve_and_publish", "_selected_action": str(pk), "index": "0"})
    assert approved.status == 302
    assert query(cluster, "SELECT is_published FROM publications_publication WHERE id = %s", [pk]) == [(True,)]
    # The app's own page cache is stale on server A within a second (the generation in Redis);
    # nginx's 5-second copy then expires.
    wait_for(lambda: title in on_app(cluster, "a").get("/").text, seconds=2, what="the item on server A")
    started = time.monotonic()
    wait_for(lambda: title in Client(cluster.site).get("/").text, seconds=10, what="the published item")
    print(f"\nnginx showed the published item {time.monotonic() - started:.1f} s after the approval")


def test_a_job_queued_by_server_a_runs_on_the_worker_and_its_result_shows_on_server_b(cluster, editor):
    staff = on_app(cluster, "a", session=editor)
    template = staff.get("/admin/campaigns/activityrecord/import/template/")
    workbook = openpyxl.load_workbook(io.BytesIO(template.body))
    sheet = workbook.worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    values = {"单位": cluster.unit, "日期": datetime.date(2021, 3, 1), "类型": cluster.kind, "次数": 1, "人次": 20}
    for row in range(5_001):  # above the 5,000 rows that import inline
        sheet.append([{**values, "标题": f"集群导入第{row + 1}条"}.get(heading) for heading in headings])
    upload = io.BytesIO()
    workbook.save(upload)
    staff.get("/admin/campaigns/activityrecord/import/")
    queued = staff.request(
        "POST", "/admin/campaigns/activityrecord/import/", files={"file": ("活动.xlsx", upload.getvalue())}
    )
    assert queued.status == 302 and "/import/jobs/" in queued.headers["location"], queued.text[:3000]
    job_page = urlsplit(queued.headers["location"]).path
    on_b = on_app(cluster, "b", session=staff)
    wait_for(lambda: "job-done" in on_b.get(job_page).text, seconds=180, what="the import job")
    assert (
        "celery" in (cluster.tmp / "worker.log").read_text() and "succeeded" in (cluster.tmp / "worker.log").read_text()
    )
    assert query(cluster, "SELECT count(*) FROM campaigns_activityrecord WHERE title LIKE '集群导入第%%'") == [(5_001,)]


def test_a_report_made_by_the_worker_is_downloaded_through_nginx(cluster, editor):
    query = f"start=2020-01-01&end=2022-09-06&issued_on=2022-09-10&unit={cluster.unit_id}"
    queued = on_app(cluster, "a", session=editor).get(f"/reports/report.docx?{query}")
    assert queued.status == 302 and "/reports/jobs/" in queued.headers["location"], queued.text[:2000]
    job_page = urlsplit(queued.headers["location"]).path
    on_b = on_app(cluster, "b", session=editor)
    wait_for(lambda: "job-done" in on_b.get(job_page).text, seconds=120, what="the report job")
    through_nginx = Client(cluster.site)
    through_nginx.cookies = dict(editor.cookies)
    document = through_nginx.get(job_page + "file/")
    assert document.status == 200 and document.body[:2] == b"PK" and "x-accel-redirect" not in document.headers
    assert "attachment" in document.headers["content-disposition"]


def book(cluster, number: int, slot: int) -> tuple[int, str]:
    """One visitor, from their own address, books a group visit through nginx."""
    visitor = Client(cluster.site, source=f"127.0.0.{10 + number}")
    path = f"/bases/{cluster.base}/book/{slot}/"
    try:
        visitor.get(path)
        answer = visitor.post(
            path,
            {
                "visitor": "organisation",
                "organisation": f"集群测试单位{number}",
                "purpose": "警示教育",
                "group_size": "5",
                "contact_name": "王老师",
                "contact_phone": f"1391234{number:04d}",
                "note": "",
                "consent": "on",
                "website": "",
                "request_token": str(uuid.uuid4()),
            },
        )
    except OSError as error:
        return 0, str(error)
    return answer.status, answer.headers.get("location", "")


def test_killing_server_a_under_load_loses_no_booking_and_nginx_goes_on_with_b(cluster):
    results: dict[int, tuple[int, str]] = {}
    numbers = iter(range(40))
    lock = threading.Lock()

    def visitor():
        while True:
            with lock:
                number = next(numbers, None)
            if number is None:
                return
            results[number] = book(cluster, number, cluster.slots[number])
            if len(results) == 12:
                os.killpg(cluster.processes["app-a"].pid, signal.SIGKILL)  # A dies mid-load

    threads = [threading.Thread(target=visitor) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cluster.processes["app-a"].wait(timeout=10)
    told = {
        number: location.rstrip("/").rsplit("/", 1)[-1]
        for number, (status, location) in results.items()
        if status == 302
    }
    failed = sorted(status for status, _ in results.values() if status != 302)
    stored = dict(
        query(
            cluster,
            "SELECT organisation, reference FROM bases_visitbooking WHERE organisation LIKE '集群测试单位%%'",
        )
    )
    print(f"\n40 bookings while app server A was killed: {len(told)} booked, failed answers {failed}")
    assert all(stored.get(f"集群测试单位{number}") == reference for number, reference in told.items())  # none lost
    assert all(status >= 500 for status in failed) and len(stored) <= len(told) + len(failed)
    assert len(failed) <= 6  # at most the requests in flight on A when it died
    assert all(results[number][0] == 302 for number in range(28, 40))  # afterwards every booking goes to B
    assert Client(cluster.site).get("/healthz").status == 200
