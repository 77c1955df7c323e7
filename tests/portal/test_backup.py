"""The backup scripts (deploy/backup/) really dump, rotate and restore.

No Docker here: the scripts run as the backup service runs them, against the test PostgreSQL
server, with a pg_dump whose version is at least the server's (the system's, or the embedded
server's own binaries). A backup is restored into a new database, which must hold the same
rows in every table, the same triggers and functions, and the same uploaded files.
"""

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from portal.roles import Role
from supervision.models import ReporterIdentity
from tests.conftest import build_world
from tests.grassroots.factories import PartyMemberFactory
from tests.supervision.factories import ComplaintFactory

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "deploy" / "backup"


def server_major() -> int:
    return connection.cursor().connection.info.server_version // 10000


def pg_bin() -> str:
    """The directory of a pg_dump that can dump this server (same or newer major version)."""
    candidates = [shutil.which("pg_dump")]
    try:
        import pgserver

        candidates.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"))
    except ImportError:
        pass
    for candidate in filter(None, candidates):
        if not Path(candidate).exists():
            continue
        version = subprocess.run([candidate, "--version"], capture_output=True, text=True).stdout
        if int(re.search(r"(\d+)\.", version).group(1)) >= server_major():
            return str(Path(candidate).parent)
    pytest.fail(f"no pg_dump for PostgreSQL {server_major()} (install postgresql-client)")


def libpq_env(**extra) -> dict[str, str]:
    params = connection.settings_dict
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(
        PGHOST=params["HOST"] or "localhost",
        PGPORT=str(params["PORT"] or 5432),
        PGUSER=params["USER"],
        PGDATABASE=params["NAME"],
        PG_BIN=pg_bin(),
    )
    if params["PASSWORD"]:
        env["PGPASSWORD"] = params["PASSWORD"]
    env.update(extra)
    return env


def run(script: str, *args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(SCRIPTS / script), *args], env=env, capture_output=True, text=True, timeout=300
    )


def connect(dbname: str) -> psycopg.Connection:
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or "localhost",
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def inventory(dbname: str) -> dict:
    """Row count of every table, and the triggers and functions of the public schema."""
    with connect(dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        counts = {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }
        triggers = conn.execute(
            "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND NOT t.tgisinternal"
        ).fetchone()[0]
        functions = sorted(
            row[0]
            for row in conn.execute(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public'"
            )
        )
    return {"counts": counts, "triggers": triggers, "functions": functions}


def files(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in directory.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def restored_name():
    name = f"{connection.settings_dict['NAME']}_restored"
    with connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    yield name
    with connect("postgres") as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def county_with_files(transactional_db, settings):
    """Committed rows (a member with an ID number, a complaint with its reporter) and uploads."""
    world = build_world()
    member = PartyMemberFactory(branch=world.branch_a1)
    ComplaintFactory(
        receiver=world.user(Role.SUPERVISOR),
        subject_organization=world.branch_a1,
        reporter={
            "name": "举报人乙",
            "unit": "某村",
            "address": "某路2号",
            "contact": "13900000001",
        },
    )
    media = Path(settings.MEDIA_ROOT)
    (media / "grassroots" / "2026").mkdir(parents=True)
    (media / "grassroots" / "2026" / "签到表.jpg").write_bytes(b"\xff\xd8\xff" + os.urandom(4096))
    (media / "supervision").mkdir()
    (media / "supervision" / "scan.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2048))
    return member, media


@pytest.fixture
def schema_only(db, settings):
    """The test database as migrated (no row of this test is committed: a dump sees none),
    and a media directory with one file. Enough where the content does not matter."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    (media / "one.txt").write_text("one file")
    return None, media


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
def test_a_backup_restores_into_a_new_database_with_every_row_and_file(
    county_with_files, restored_name, tmp_path, encrypted
):
    member, media = county_with_files
    backups = tmp_path / "backups"
    extra = {}
    if encrypted:
        (tmp_path / "passphrase").write_text("a long passphrase kept off the backup host\n")
        extra["BACKUP_PASSPHRASE_FILE"] = str(tmp_path / "passphrase")
    # when the backup service runs
    result = run("backup.sh", env=libpq_env(BACKUP_DIR=str(backups), MEDIA_DIR=str(media), **extra))
    assert result.returncode == 0, result.stderr
    [backup] = backups.iterdir()
    assert re.fullmatch(r"portal-\d{8}-\d{6}", backup.name)
    names = {path.name for path in backup.iterdir()}
    if encrypted:
        assert names == {"database.dump.enc", "media.tar.gz.enc", "SHA256SUMS"}
        # nothing readable without the passphrase: no ID number in the encrypted dump
        assert member.id_number.encode() not in (backup / "database.dump.enc").read_bytes()
    else:
        assert names == {"database.dump", "media.tar.gz", "SHA256SUMS"}

    # and it is restored into a new database and an empty media directory
    restored_media = tmp_path / "restored-media"
    result = run(
        "restore.sh",
        str(backup),
        restored_name,
        env=libpq_env(MEDIA_DIR=str(restored_media), **extra),
    )
    assert result.returncode == 0, result.stderr

    # then every table holds the same rows, with the triggers (the audit trail) and functions
    source = inventory(connection.settings_dict["NAME"])
    restored = inventory(restored_name)
    assert restored == source
    assert source["counts"]["grassroots_partymember"] == 1
    assert source["counts"]["supervision_reporteridentity"] == 1
    with connect(restored_name) as conn:
        assert conn.execute("SELECT id_number FROM grassroots_partymember").fetchone() == (
            member.id_number,
        )
        reporter = ReporterIdentity.objects.get()
        assert conn.execute(
            "SELECT name, contact FROM supervision_reporteridentity"
        ).fetchone() == (
            reporter.name,
            reporter.contact,
        )
    # and every uploaded file comes back byte for byte
    assert files(restored_media) == files(media)
    assert "grassroots/2026/签到表.jpg" in files(restored_media)


def test_an_encrypted_backup_is_not_restored_without_its_passphrase(
    schema_only, restored_name, tmp_path
):
    _member, media = schema_only
    (tmp_path / "passphrase").write_text("the passphrase\n")
    env = libpq_env(
        BACKUP_DIR=str(tmp_path / "b"),
        MEDIA_DIR=str(media),
        BACKUP_PASSPHRASE_FILE=str(tmp_path / "passphrase"),
    )
    assert run("backup.sh", env=env).returncode == 0
    [backup] = (tmp_path / "b").iterdir()
    result = run(
        "restore.sh", str(backup), restored_name, env=libpq_env(MEDIA_DIR=str(tmp_path / "m"))
    )
    assert result.returncode != 0
    assert "the backup is encrypted: set BACKUP_PASSPHRASE_FILE" in result.stderr


def test_a_damaged_backup_is_refused_before_anything_is_created(
    schema_only, restored_name, tmp_path
):
    _member, media = schema_only
    env = libpq_env(BACKUP_DIR=str(tmp_path / "b"), MEDIA_DIR=str(media))
    assert run("backup.sh", env=env).returncode == 0
    [backup] = (tmp_path / "b").iterdir()
    # given one byte of the dump changed on disk
    dump = backup / "database.dump"
    data = bytearray(dump.read_bytes())
    data[len(data) // 2] ^= 0xFF
    dump.write_bytes(bytes(data))
    # then the restore stops at the checksum, and no database was created
    result = run(
        "restore.sh", str(backup), restored_name, env=libpq_env(MEDIA_DIR=str(tmp_path / "m"))
    )
    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
    with connect("postgres") as conn:
        assert not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [restored_name]
        ).fetchone()


def test_restore_never_overwrites_an_existing_database(schema_only, tmp_path):
    _member, media = schema_only
    env = libpq_env(BACKUP_DIR=str(tmp_path / "b"), MEDIA_DIR=str(media))
    assert run("backup.sh", env=env).returncode == 0
    [backup] = (tmp_path / "b").iterdir()
    live = connection.settings_dict["NAME"]
    result = run("restore.sh", str(backup), live, env=libpq_env(MEDIA_DIR=str(tmp_path / "m")))
    assert result.returncode != 0
    assert f"database {live} exists" in result.stderr


def test_a_failed_backup_leaves_nothing_that_counts_as_a_backup(db, tmp_path):
    env = libpq_env(
        BACKUP_DIR=str(tmp_path / "b"), MEDIA_DIR=str(tmp_path), PGDATABASE="no_such_database"
    )
    result = run("backup.sh", env=env)
    assert result.returncode != 0
    assert list((tmp_path / "b").iterdir()) == []


def test_rotation_keeps_the_recent_days_and_one_backup_a_week_before_them(tmp_path):
    # given a daily backup from 1 to 30 October 2026 (1 October is a Thursday)
    first = datetime.date(2026, 10, 1)
    for offset in range(30):
        (tmp_path / f"portal-{first + datetime.timedelta(days=offset):%Y%m%d}-023000").mkdir()
    (tmp_path / ".partial-portal-20260901-023000").mkdir()
    old = datetime.datetime(2026, 9, 1).timestamp()
    os.utime(tmp_path / ".partial-portal-20260901-023000", (old, old))
    # when rotated keeping 14 days and 2 weeks
    result = subprocess.run(
        ["sh", str(SCRIPTS / "rotate.sh"), str(tmp_path), "14", "2"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # then 17-30 October stay, and before them the newest of the two weeks before:
    # Friday 16 October (week 42) and Sunday 11 October (week 41); 4 October (week 40) goes
    kept = sorted(path.name[7:15] for path in tmp_path.iterdir())
    assert kept == ["20261011", "20261016"] + [f"202610{day}" for day in range(17, 31)]
