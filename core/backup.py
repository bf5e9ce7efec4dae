"""Backup and restore of the whole site in one archive: the database, MEDIA_ROOT and PRIVATE_MEDIA_ROOT.

`manage.py backup` and `manage.py restore` are thin wrappers around `create_backup` and
`restore_backup`; docs/operations.md is the operator's guide. The archive is a .tar.gz:

    database/postgresql.dump   `pg_dump -Fc`, taken in the same snapshot as the row counts
    database/db.sqlite3        or a consistent copy made with SQLite's backup API
    media/...                  every file under MEDIA_ROOT
    private/...                every file under PRIVATE_MEDIA_ROOT
    manifest.json              written last: applied migrations per app, versions, row counts per
                               table, and the SHA-256 and size of every other file in the archive

A restore goes only into a new site. The database is new when it has no tables, or when it holds only
this site's tables and nobody has used it yet: `migrate` may have run (content types, permissions,
role groups and the built-in rows of data migrations), but there are no user accounts, no admin log
entries and no history rows. The media folders must hold no files. Everything in the archive is
checked (migration state against this code, every checksum) before anything is written.
"""

import hashlib
import importlib.metadata
import io
import json
import os
import platform
import re
import shutil
import socket
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

import django
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from simple_history.models import HistoricalChanges

FORMAT = "qingfeng-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
FOLDERS = ("media", "private")
DATABASE_MEMBERS = {"postgresql": "database/postgresql.dump", "sqlite": "database/db.sqlite3"}
# libpq reads these from the environment: nothing secret ever goes on a command line.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

Log = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


# --- shared helpers --------------------------------------------------------------------------


def folder_roots() -> dict[str, Path]:
    return {"media": Path(settings.MEDIA_ROOT), "private": Path(settings.PRIVATE_MEDIA_ROOT)}


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size} B"  # pragma: no cover


def count_rows(cursor, tables, quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        # The names come from the database's own catalogue and are quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        counts[table] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def migration_differences(applied: dict[str, list[str]]) -> list[str]:
    """How the applied migrations `applied` ({app: [name, ...]}) differ from this code's
    migrations; [] when they match. A squashed migration counts as applied when all the
    migrations it replaces are, and the replaced names are known to the code."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    archive = {(app, name) for app, names in applied.items() for name in names}
    replaced = {key for migration in loader.disk_migrations.values() for key in migration.replaces or ()}
    missing = sorted(
        key
        for key, migration in loader.graph.nodes.items()
        if key not in archive and not (migration.replaces and all(r in archive for r in migration.replaces))
    )
    unknown = sorted(archive - set(loader.disk_migrations) - replaced)
    differences = []
    if missing:
        differences.append(
            "not applied in the archive (it predates them): " + ", ".join(f"{a}.{n}" for a, n in missing)
        )
    if unknown:
        differences.append(
            "applied in the archive but unknown to this code (the archive is newer or from another branch): "
            + ", ".join(f"{a}.{n}" for a, n in unknown)
        )
    return differences


def _files_under(root: Path, skip: tuple[Path, ...], log: Log) -> Iterator[Path]:
    if not root.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if (here / d).resolve() not in skip)
        for filename in sorted(filenames):
            path = here / filename
            if path.resolve() in skip:
                continue
            if path.is_symlink() or not path.is_file():
                log(f"  skipped (not a regular file): {path}")
                continue
            yield path


# --- PostgreSQL tools ------------------------------------------------------------------------


def _pg_env() -> dict[str, str]:
    settings_dict = connection.settings_dict
    env = os.environ.copy()
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in PG_OPTION_ENV.items():
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _pg_conninfo() -> str:
    """`dbname='…'`: always read by libpq as a connection string, whatever the name holds."""
    name = connection.settings_dict.get("NAME")
    if not name:
        raise BackupError("DATABASES['default']['NAME'] is empty: name the database to back up or restore.")
    escaped = str(name).replace("\\", "\\\\").replace("'", "\\'")
    return f"dbname='{escaped}'"


def _tool_version(path: str) -> tuple[int, str]:
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    match = re.search(r"(\d+)(?:\.\d+)*", result.stdout)
    if result.returncode != 0 or not match:
        raise BackupError(f"cannot tell the version of {path}: {result.stderr.strip() or result.stdout.strip()}")
    return int(match.group(1)), match.group(0)


def _pg_tool(name: str, server_major: int, need_major: int) -> tuple[str, str]:
    """The PostgreSQL client tool `name` of at least version `need_major`: Debian's per-version
    folder of the server's major version first, then the PATH."""
    candidates = [Path(f"/usr/lib/postgresql/{server_major}/bin/{name}")]
    on_path = shutil.which(name)
    if on_path:
        candidates.append(Path(on_path))
    found = [str(path) for path in candidates if path.is_file() and os.access(path, os.X_OK)]
    if not found:
        raise BackupError(
            f"{name} 未找到 / {name} not found: install the PostgreSQL client, version {need_major} or newer "
            f"(Debian/Ubuntu: apt install postgresql-client-{need_major})."
        )
    versions = []
    for path in found:
        major, version = _tool_version(path)
        if major >= need_major:
            return path, version
        versions.append(f"{path} is {version}")
    raise BackupError(
        f"{name} 版本过旧 / {name} is too old: {'; '.join(versions)}, this needs version {need_major} or newer "
        f"(Debian/Ubuntu: apt install postgresql-client-{need_major})."
    )


def _run(args: list[str], tool: str, log: Log) -> None:
    result = subprocess.run(args, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    detail = (result.stderr or result.stdout).strip()
    if result.returncode != 0:
        raise BackupError(f"{tool} 失败 / {tool} failed (exit code {result.returncode}):\n{detail[-3000:]}")
    for line in detail.splitlines()[:20]:
        log(f"  {tool}: {line}")


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


# --- backup ----------------------------------------------------------------------------------


class _HashingReader:
    """A file object that hashes what tarfile reads from it, so each file is read only once."""

    def __init__(self, handle, digest):
        self.handle, self.digest = handle, digest

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    info = tar.gettarinfo(str(path), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        tar.addfile(info, _HashingReader(handle, digest))
    return {"sha256": digest.hexdigest(), "size": info.size}


def _dump_postgresql(work: Path, log: Log) -> tuple[Path, dict, dict, dict]:
    server_major = _server_major()
    pg_dump, pg_dump_version = _pg_tool("pg_dump", server_major, server_major)
    dump = work / "postgresql.dump"
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for the dump, the row counts and the migration state: they always agree.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, server_version = cursor.fetchone()
        conninfo = f"--dbname={_pg_conninfo()}"
        tables = connection.introspection.table_names(cursor)
        if "django_migrations" not in tables:
            raise BackupError("the database has no django_migrations table: is this the site's database?")
        migrations = applied_migrations(cursor)
        counts = count_rows(cursor, tables, connection.ops.quote_name)
        log(f"  database: PostgreSQL {server_version}, {len(counts)} tables, {sum(counts.values())} rows")
        log(f"  pg_dump {pg_dump_version} ({pg_dump}) …")
        _run(
            [pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={dump}", conninfo],
            "pg_dump",
            log,
        )
    info = {
        "vendor": "postgresql",
        "member": DATABASE_MEMBERS["postgresql"],
        "name": str(connection.settings_dict.get("NAME")),
        "server_version": server_version,
        "pg_dump_version": pg_dump_version,
        "pg_dump_major": int(pg_dump_version.split(".")[0]),
    }
    return dump, info, migrations, counts


def _dump_sqlite(work: Path, log: Log) -> tuple[Path, dict, dict, dict]:
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or "mode=memory" in name or not Path(name).is_file():
        raise BackupError(f"SQLite database file not found: {name or '(no name)'}")
    copy = work / "db.sqlite3"
    source, target = sqlite3.connect(name, timeout=20), sqlite3.connect(copy)
    try:
        source.backup(target)  # a consistent copy even while the site writes
        cursor = target.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        tables = [row[0] for row in cursor.fetchall()]
        if "django_migrations" not in tables:
            raise BackupError(f"{name} has no django_migrations table: is this the site's database?")
        migrations = applied_migrations(cursor)
        counts = count_rows(cursor, tables, connection.ops.quote_name)
    finally:
        source.close()
        target.close()
    log(f"  database: SQLite {sqlite3.sqlite_version} {name}, {len(counts)} tables, {sum(counts.values())} rows")
    info = {
        "vendor": "sqlite",
        "member": DATABASE_MEMBERS["sqlite"],
        "name": name,
        "server_version": sqlite3.sqlite_version,
    }
    return copy, info, migrations, counts


def _versions() -> dict:
    packages = {}
    for distribution in importlib.metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            packages[name] = distribution.version
    return {
        "python": platform.python_version(),
        "django": django.get_version(),
        "packages": dict(sorted(packages.items(), key=lambda item: item[0].lower())),
    }


def default_output() -> Path:
    return Path(settings.VAR_DIR) / "backups" / f"qingfeng-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"


def create_backup(output: str | Path | None = None, *, log: Log = print) -> Path:
    """Write the archive to `output` (a file name, or a folder for the default name) and return its path.
    The archive appears under its name only when complete; a failure leaves nothing behind."""
    target = Path(output) if output else default_output()
    if target.is_dir() or str(output or "").endswith(("/", os.sep)):
        target = target / default_output().name
    if target.exists():
        raise BackupError(f"{target} already exists: choose another name; a backup never overwrites one.")
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"cannot back up a {connection.vendor} database (only PostgreSQL and SQLite).")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(handle)  # mkstemp's file is readable by its owner only, and so is the archive
    partial = Path(partial_name)
    log(f"备份开始 / backup started → {target}")
    try:
        with tempfile.TemporaryDirectory(prefix=".qingfeng-backup-", dir=target.parent) as work_name:
            work = Path(work_name)
            dump = {"postgresql": _dump_postgresql, "sqlite": _dump_sqlite}[connection.vendor]
            database_file, database, migrations, counts = dump(work, log)
            differences = migration_differences(migrations)
            if differences:
                log("  warning: the database's migrations differ from this code's; a restore needs matching code:")
                for line in differences:
                    log(f"    {line}")
            files = {}
            with tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT, compresslevel=6) as tar:
                files[database["member"]] = _add(tar, database_file, database["member"])
                log(f"  database file: {human_size(files[database['member']]['size'])}")
                skip = (partial.resolve(), work.resolve())
                folders = {}
                for label, root in folder_roots().items():
                    count = size = 0
                    for path in _files_under(root, skip, log):
                        name = f"{label}/{path.relative_to(root).as_posix()}"
                        files[name] = _add(tar, path, name)
                        count, size = count + 1, size + files[name]["size"]
                    folders[label] = {"root": str(root), "files": count, "bytes": size}
                    log(f"  {label}: {count} files, {human_size(size)} from {root}")
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "created_at": timezone.localtime().isoformat(timespec="seconds"),
                    "host": socket.gethostname(),
                    "database": database,
                    "folders": folders,
                    "migrations": migrations,
                    "versions": _versions(),
                    "row_counts": counts,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(data))
                log(f"  manifest: {len(files)} files with SHA-256 checksums, {len(counts)} row counts")
            with open(partial, "rb") as written:
                os.fsync(written.fileno())
            os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    log(f"备份完成 / backup written: {target} ({human_size(target.stat().st_size)})")
    return target


# --- restore ---------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> tuple[dict, list[tarfile.TarInfo]]:
    """The manifest and the file members of an opened archive, after checking every name."""
    try:
        members = tar.getmembers()
        manifest_member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(manifest_member).read())
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(f"the archive has no readable {MANIFEST}: is it a backup of this site? ({error})") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not a {FORMAT} manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"archive format version {manifest.get('format_version')} is not {FORMAT_VERSION}.")
    files = manifest.get("files")
    if not isinstance(files, dict) or not isinstance(manifest.get("migrations"), dict):
        raise BackupError(f"{MANIFEST} lacks its file list or migration state.")
    for name in files:
        path = PurePosixPath(name)
        top = path.parts[0] if path.parts else ""
        if path.is_absolute() or ".." in path.parts or len(path.parts) < 2 or top not in {*FOLDERS, "database"}:
            raise BackupError(f"{MANIFEST} names an unsafe path: {name}")
    content = []
    seen = set()
    for member in members:
        if member.name == MANIFEST:
            continue
        if member.name not in files or not member.isfile() or member.name in seen:
            raise BackupError(f"unexpected entry in the archive: {member.name}")
        seen.add(member.name)
        content.append(member)
    missing = sorted(set(files) - seen)
    if missing:
        listed = ", ".join(missing[:10])
        raise BackupError(f"{len(missing)} files of the manifest are missing from the archive: {listed}")
    return manifest, content


def check_manifest(manifest: dict) -> None:
    """Refuse an archive of another database engine, or one whose migrations differ from this code's."""
    vendor = manifest.get("database", {}).get("vendor")
    if vendor != connection.vendor or manifest["database"].get("member") not in manifest["files"]:
        raise BackupError(
            f"the archive holds a {vendor} database and this site runs on {connection.vendor}: "
            "restore it into the same kind of database."
        )
    differences = migration_differences(manifest["migrations"])
    if differences:
        raise BackupError(
            "迁移状态不一致 / the archive's migration state differs from this code's migrations:\n  "
            + "\n  ".join(differences)
            + "\nRestore with the version of the code the archive was made with (its migrations match), "
            "then upgrade the code and run migrate."
        )


def _guard_tables() -> set[str]:
    """Tables that have rows once anybody has used the site."""
    from django.apps import apps

    tables = {get_user_model()._meta.db_table, LogEntry._meta.db_table}
    tables |= {model._meta.db_table for model in apps.get_models() if issubclass(model, HistoricalChanges)}
    return tables


def check_target_is_new() -> None:
    """Refuse unless the database and the media folders are new (see the module docstring)."""
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        if tables:
            known = set(connection.introspection.django_table_names())
            foreign = sorted(set(tables) - known - {"django_migrations"})
            if foreign:
                raise BackupError(
                    "目标数据库不是新库 / the database holds tables this site does not know "
                    f"({', '.join(foreign[:10])}): restore only into a new, empty database."
                )
            guarded = count_rows(cursor, _guard_tables() & set(tables), connection.ops.quote_name)
            used = {table: count for table, count in guarded.items() if count}
            if used:
                rows = ", ".join(f"{table}: {count} rows" for table, count in sorted(used.items())[:5])
                rows += ", …" if len(used) > 5 else ""
                raise BackupError(
                    f"目标数据库非空 / the database is in use ({rows}): restore only into a new database "
                    "(empty, or just migrated with no users), never over a live site."
                )
    for label, root in folder_roots().items():
        if next(_files_under(root, (), lambda line: None), None) is not None:
            raise BackupError(
                f"目标文件夹非空 / the {label} folder {root} already holds files: restore into empty folders."
            )


def _extract_verified(tar: tarfile.TarFile, members, manifest: dict, staging: Path, log: Log) -> None:
    """Extract every file to `staging`, checking its SHA-256 and size against the manifest."""
    bad = []
    for member in members:
        expected = manifest["files"][member.name]
        destination = staging / member.name
        destination.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        source = tar.extractfile(member)
        with open(destination, "wb") as handle:
            while block := source.read(1024 * 1024):
                digest.update(block)
                handle.write(block)
        os.utime(destination, (member.mtime, member.mtime))
        if digest.hexdigest() != expected.get("sha256") or member.size != expected.get("size"):
            bad.append(member.name)
    if bad:
        raise BackupError(
            f"校验失败 / checksum mismatch in {len(bad)} files, nothing was restored: {', '.join(bad[:10])}"
        )
    log(f"  checksums: all {len(members)} files match the manifest")


def _restore_postgresql(dump: Path, manifest: dict, log: Log) -> None:
    server_major = _server_major()
    need = max(server_major, int(manifest["database"].get("pg_dump_major") or 0))
    pg_restore, version = _pg_tool("pg_restore", server_major, need)
    tables = connection.introspection.table_names()
    if tables:
        # The migrated schema is empty (checked): drop it so that the dump creates every table itself.
        with transaction.atomic(), connection.cursor() as cursor:
            quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"DROP TABLE IF EXISTS {quoted} CASCADE")
        log(f"  dropped the {len(tables)} tables of the unused migrated schema")
    connection.close()
    log(f"  pg_restore {version} ({pg_restore}) …")
    _run(
        [
            pg_restore,
            "--no-password",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={_pg_conninfo()}",
            str(dump),
        ],
        "pg_restore",
        log,
    )


def _restore_sqlite(copy: Path) -> None:
    name = str(connection.settings_dict["NAME"])
    connection.close()
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(copy), sqlite3.connect(name, timeout=20)
    try:
        source.backup(target)  # replaces every page of the target, journal and all
    finally:
        source.close()
        target.close()


def _restore_files(staging: Path, log: Log) -> None:
    for label, root in folder_roots().items():
        base = staging / label
        root.mkdir(parents=True, exist_ok=True)
        count = 0
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            if path.is_file():
                destination = root / path.relative_to(base)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(path, destination)
                count += 1
        log(f"  {label}: {count} files restored to {root}")


def compare_row_counts(expected: dict[str, int], log: Log) -> list[str]:
    """Print the restored row counts beside the manifest's; return the tables that differ."""
    connection.close()
    with connection.cursor() as cursor:
        tables = [t for t in connection.introspection.table_names(cursor) if not t.startswith("sqlite_")]
        actual = count_rows(cursor, tables, connection.ops.quote_name)
    width = max((len(table) for table in {*expected, *actual}), default=10)
    log(f"  {'table':<{width}}  {'archive':>9}  {'restored':>9}")
    differ = []
    for table in sorted({*expected, *actual}):
        want, got = expected.get(table), actual.get(table)
        if want != got:
            differ.append(table)
        if want != got or want:
            mark = "" if want == got else "  ← differs"
            shown = ["-" if value is None else value for value in (want, got)]
            log(f"  {table:<{width}}  {shown[0]:>9}  {shown[1]:>9}{mark}")
    total = sum(actual.values())
    if not differ:
        log(f"  row counts: all {len(actual)} tables match the manifest ({total} rows; empty tables not listed)")
    return differ


def restore_backup(archive: str | Path, *, confirm: Callable[[str], bool], log: Log = print) -> None:
    """Restore `archive` into this site's database and media folders, which must be new.
    `confirm(summary)` is asked once everything is checked and before anything is written."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"cannot restore into a {connection.vendor} database (only PostgreSQL and SQLite).")
    log(f"恢复开始 / restore started ← {archive}")
    if connection.vendor == "sqlite":
        Path(connection.settings_dict["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    check_target_is_new()
    log("  target: the database and the media folders are new")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed below
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise BackupError(f"{archive} is not a readable .tar.gz backup: {error}") from error
    staging_parent = Path(settings.VAR_DIR) if Path(settings.VAR_DIR).is_dir() else None
    staging = Path(tempfile.mkdtemp(prefix=".qingfeng-restore-", dir=staging_parent))
    try:
        with tar:
            try:
                log("  reading the archive …")
                manifest, members = read_manifest(tar)
                log(f"  archive of {manifest.get('created_at')} from {manifest.get('host')}")
                check_manifest(manifest)
                log("  migration state: matches this code")
                log(f"  unpacking and checking {len(members)} files …")
                _extract_verified(tar, members, manifest, staging, log)
            except (tarfile.TarError, EOFError, OSError, zlib.error) as error:
                raise BackupError(f"{archive} is damaged: {error}") from error
        roots = folder_roots()
        summary = (
            f"即将恢复 / about to restore the archive of {manifest.get('created_at')} "
            f"({sum(manifest['row_counts'].values())} rows, {len(members)} files) into "
            f"the {connection.vendor} database {connection.settings_dict.get('NAME')} "
            f"and the folders {roots['media']} and {roots['private']}."
        )
        if not confirm(summary):
            raise BackupError("已取消 / restore cancelled: nothing was written.")
        database_file = staging / manifest["database"]["member"]
        if connection.vendor == "postgresql":
            _restore_postgresql(database_file, manifest, log)
        else:
            _restore_sqlite(database_file)
        log("  database restored")
        _restore_files(staging, log)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    differ = compare_row_counts(manifest["row_counts"], log)
    if differ:
        raise BackupError(f"row counts differ from the manifest after the restore: {', '.join(differ)}")
    log(f"恢复完成 / restore complete: {archive}")
