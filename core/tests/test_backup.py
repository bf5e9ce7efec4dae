"""`manage.py backup` and `manage.py restore`: round trips through real processes on SQLite and on
PostgreSQL (each with its own folders and databases), and the refusals: a migration state that
differs from the code, a file that fails its checksum, a database in use, a failed backup."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import dj_database_url
import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from core.backup import _pg_conninfo, _pg_env, migration_differences

ROOT = Path(__file__).resolve().parents[2]
PRIVATE_FILE = "private/signatures/drawn-签名.png"
LOGIN = (
    "from django.contrib.auth import authenticate\n"
    "from django.test import RequestFactory\n"
    "user = authenticate(RequestFactory().post('/accounts/login/'), username='jiwei', password='Qingfeng-demo-2026')\n"
    "print('login:', user.username if user else None)\n"
)


def manage(*args: str, var: Path, database_url: str | None = None, check: bool = True):
    """Run manage.py in a fresh process with its own DJANGO_VAR_DIR (SQLite there unless `database_url`)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DJANGO_VAR_DIR=str(var))
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def build_demo_site(var: Path, archive: Path, database_url: str | None = None) -> SimpleNamespace:
    """The demo city plus one private file, and a backup of it."""
    manage("migrate", "--noinput", var=var, database_url=database_url)
    manage("load_demo", var=var, database_url=database_url)
    private = var / PRIVATE_FILE
    private.parent.mkdir(parents=True)
    private.write_bytes(b"\x89PNG drawn signature")
    result = manage("backup", "--output", str(archive), var=var, database_url=database_url)
    return SimpleNamespace(var=var, archive=archive, output=result.stdout)


def site_files(var: Path) -> dict[str, str]:
    """{'media/…' or 'private/…': SHA-256} of every file of a site."""
    return {
        path.relative_to(var).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in ("media", "private")
        for path in sorted((var / folder).rglob("*"))
        if path.is_file()
    }


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
        ]
        return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}  # noqa: S608


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive, "r:gz") as tar:
        return json.loads(tar.extractfile("manifest.json").read())


def rewrite(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` with every member's bytes passed through change(name, data)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz", format=tarfile.PAX_FORMAT) as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def assert_restored(site: SimpleNamespace, target: Path, restore_output: str, target_counts: dict[str, int]):
    manifest = manifest_of(site.archive)
    assert target_counts == manifest["row_counts"]
    assert manifest["row_counts"]["auth_user"] > 0 and manifest["row_counts"]["pledges_signature"] > 0
    source_files = site_files(site.var)
    assert PRIVATE_FILE in source_files and any(name.startswith("media/") for name in source_files)
    assert site_files(target) == source_files
    assert {
        name: entry["sha256"]
        for name, entry in manifest["files"].items()
        if "/" in name and not name.startswith("database/")
    } == source_files
    assert "row counts: all" in restore_output and "恢复完成" in restore_output


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    return build_demo_site(tmp_path_factory.mktemp("site"), tmp_path_factory.mktemp("backups") / "site.tar.gz")


def test_backup_writes_one_archive_with_database_files_and_manifest(sqlite_site):
    assert [path.name for path in sqlite_site.archive.parent.iterdir()] == ["site.tar.gz"]
    assert sqlite_site.archive.stat().st_mode & 0o077 == 0
    manifest = manifest_of(sqlite_site.archive)
    assert manifest["database"]["vendor"] == "sqlite" and "database/db.sqlite3" in manifest["files"]
    assert "0001_initial" in manifest["migrations"]["core"]
    assert {"python", "django", "packages"} <= set(manifest["versions"])
    assert manifest["versions"]["packages"]["Django"] == manifest["versions"]["django"]
    assert manifest["row_counts"] == sqlite_counts(sqlite_site.var / "db.sqlite3")
    with tarfile.open(sqlite_site.archive, "r:gz") as tar:
        for name, entry in manifest["files"].items():
            assert hashlib.sha256(tar.extractfile(name).read()).hexdigest() == entry["sha256"]
    private_files = sum(name.startswith("private/") for name in site_files(sqlite_site.var))
    assert PRIVATE_FILE in site_files(sqlite_site.var)
    assert "备份完成 / backup written" in sqlite_site.output
    assert f"private: {private_files} files" in sqlite_site.output


def test_sqlite_round_trip_into_a_just_migrated_site(sqlite_site, tmp_path):
    manage("migrate", "--noinput", var=tmp_path)  # an unused migrated schema counts as new
    result = manage("restore", str(sqlite_site.archive), "--yes", var=tmp_path)

    assert_restored(sqlite_site, tmp_path, result.stdout, sqlite_counts(tmp_path / "db.sqlite3"))
    assert sqlite_counts(tmp_path / "db.sqlite3") == sqlite_counts(sqlite_site.var / "db.sqlite3")
    assert "login: jiwei" in manage("shell", "-c", LOGIN, var=tmp_path).stdout


def test_restore_refuses_a_database_in_use(sqlite_site):
    counts = sqlite_counts(sqlite_site.var / "db.sqlite3")
    result = manage("restore", str(sqlite_site.archive), "--yes", var=sqlite_site.var, check=False)
    assert result.returncode != 0
    assert "the database is in use" in result.stderr and "auth_user" in result.stderr
    assert sqlite_counts(sqlite_site.var / "db.sqlite3") == counts


def assert_nothing_restored(var: Path):
    assert site_files(var) == {}
    assert not (var / "db.sqlite3").exists() or sqlite_counts(var / "db.sqlite3") == {}


def test_restore_refuses_an_archive_whose_migration_state_differs(sqlite_site, tmp_path):
    last_core = manifest_of(sqlite_site.archive)["migrations"]["core"][-1]

    def tamper(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["core"].remove(last_core)
        manifest["migrations"]["units"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    archive = rewrite(sqlite_site.archive, tmp_path / "tampered.tar.gz", tamper)
    target = tmp_path / "target"
    target.mkdir()
    result = manage("restore", str(archive), "--yes", var=target, check=False)

    assert result.returncode != 0
    assert "migration state differs" in result.stderr
    assert f"core.{last_core}" in result.stderr and "units.9999_from_the_future" in result.stderr
    assert_nothing_restored(target)


def test_restore_refuses_a_file_that_fails_its_checksum(sqlite_site, tmp_path):
    archive = rewrite(
        sqlite_site.archive,
        tmp_path / "tampered.tar.gz",
        lambda name, data: b"tampered" + data if name == PRIVATE_FILE else data,
    )
    target = tmp_path / "target"
    target.mkdir()
    result = manage("restore", str(archive), "--yes", var=target, check=False)

    assert result.returncode != 0
    assert "checksum mismatch" in result.stderr and PRIVATE_FILE in result.stderr
    assert_nothing_restored(target)


def test_a_failed_backup_leaves_no_archive(tmp_path):
    output = tmp_path / "backups"
    output.mkdir()
    result = manage("backup", "--output", str(output / "site.tar.gz"), var=tmp_path / "no-site-here", check=False)
    assert result.returncode != 0 and "backup failed" in result.stderr
    assert list(output.iterdir()) == []

    (output / "site.tar.gz").write_bytes(b"an older backup")
    result = manage("backup", "--output", str(output / "site.tar.gz"), var=tmp_path, check=False)
    assert result.returncode != 0 and "already exists" in result.stderr
    assert (output / "site.tar.gz").read_bytes() == b"an older backup"


def test_migration_differences_name_what_is_missing_and_what_is_unknown():
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    applied: dict[str, list[str]] = {}
    for app, name in graph.nodes:
        applied.setdefault(app, []).append(name)
    assert migration_differences(applied) == []

    dropped = graph.leaf_nodes("core")[0]
    applied["core"].remove(dropped[1])
    applied["units"].append("9999_from_the_future")
    missing, unknown = migration_differences(applied)
    assert f"core.{dropped[1]}" in missing and "units.9999_from_the_future" in unknown


def test_the_postgresql_password_goes_through_the_environment(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "s3cret-pass")
    monkeypatch.setitem(connection.settings_dict, "NAME", "it's")
    assert _pg_env()["PGPASSWORD"] == "s3cret-pass"
    assert _pg_conninfo() == "dbname='it\\'s'"


POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


def pg_connect(config: dict, name: str):
    import psycopg2

    keys = {"USER": "user", "PASSWORD": "password", "HOST": "host", "PORT": "port"}
    db = psycopg2.connect(dbname=name, **{key: config[setting] for setting, key in keys.items() if config[setting]})
    db.autocommit = True
    return db


def pg_counts(config: dict, name: str) -> dict[str, int]:
    db = pg_connect(config, name)
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            counts = {}
            for (table,) in cursor.fetchall():
                cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
                counts[table] = cursor.fetchone()[0]
            return counts
    finally:
        db.close()


@pytest.mark.skipif(not POSTGRES, reason="DATABASE_URL is not a PostgreSQL database")
def test_postgresql_round_trip_into_a_new_database(tmp_path):
    """Scratch databases named after the current one (qf_x -> qf_x_backup_source, …), dropped at the end."""
    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    names = {role: f"{config['NAME']}_backup_{role}"[:63] for role in ("source", "target")}
    urls = {
        role: urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl() for role, name in names.items()
    }
    admin = pg_connect(config, "postgres")
    try:
        with admin.cursor() as cursor:
            for name in names.values():
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                cursor.execute(f'CREATE DATABASE "{name}"')
        source, target = tmp_path / "source", tmp_path / "target"
        source.mkdir()
        target.mkdir()
        site = build_demo_site(source, tmp_path / "site.tar.gz", urls["source"])
        assert manifest_of(site.archive)["database"]["vendor"] == "postgresql"
        assert "postgresql.dump" in site.output or "pg_dump" in site.output

        result = manage("restore", str(site.archive), "--yes", var=target, database_url=urls["target"])

        assert pg_counts(config, names["target"]) == pg_counts(config, names["source"])
        assert_restored(site, target, result.stdout, pg_counts(config, names["target"]))
        assert "login: jiwei" in manage("shell", "-c", LOGIN, var=target, database_url=urls["target"]).stdout
    finally:
        with admin.cursor() as cursor:
            for name in names.values():
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
