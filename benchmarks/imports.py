"""Benchmark: a 10,000-row member file checked and imported (not a test; printed figures).

    .venv/bin/python -m portal.devstack exec -- .venv/bin/python benchmarks/imports.py

Recreates a database `bench_imports` next to DATABASE_URL's, migrates it, builds a county of
10 townships and 100 branches, writes a member roster of --rows rows (.xlsx, every column of
the template filled, dates written the ways offices write them) and times, through the
engine the Celery tasks run (portal.exchange.importing.engine):

  * the check (dry run: every row through member_create, then rolled back),
  * the import (the same, committed in one transaction),
  * the check of the same file again (every row "unchanged"),

and the same at a tenth of the size, to show the cost per row does not grow with the size
of the transaction. Targets (issue #10): check < 15 s and import < 30 s for 10,000 rows.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE = "bench_imports"


def bench_database_url(base_url: str, name: str) -> str:
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(base_url: str) -> None:
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def build_county():
    from portal import services
    from portal.models import Organization, User
    from portal.roles import Role

    county = services.organization_create(
        name="云溪县委", kind=Organization.Kind.COUNTY_COMMITTEE, category="organ"
    )
    branches = []
    for t in range(10):
        town = services.organization_create(
            name=f"第{t + 1}镇党委", kind="committee", category="organ", parent=county
        )
        for b in range(10):
            branches.append(
                services.organization_create(
                    name=f"第{t + 1}镇{b + 1}村党支部",
                    kind="branch",
                    category="village",
                    parent=town,
                )
            )
    staff = User.objects.create_user(
        username="bench-staff", password="x", role=Role.STAFF, organization=county
    )
    return staff, [f"云溪县委/{b.parent.name}/{b.name}" for b in branches]


def roster(rows: int, paths: list[str], *, offset: int = 0) -> bytes:
    from openpyxl import Workbook

    from portal.idnumbers import check_char

    rng = random.Random(rows + offset)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(
        [
            "姓名",
            "性别",
            "民族",
            "出生日期",
            "身份证号",
            "联系电话",
            "学历",
            "所在支部",
            "发展阶段",
            "申请入党日期",
            "确定积极分子日期",
            "确定发展对象日期",
            "入党日期",
            "转正日期",
            "流动党员",
            "离退休",
        ]
    )
    for n in range(rows):
        serial = n + offset
        year, day = 1950 + serial % 50, 1 + serial % 28
        birth = f"{year}{1 + (serial // 50) % 12:02d}{day:02d}"
        body = f"4331{serial // 9000 % 100:02d}{birth}{serial % 900 // 9:02d}{serial % 9 + 1}"
        id_number = body + check_char(body)
        gender = "男" if int(id_number[16]) % 2 else "女"
        joined = 1975 + serial % 45
        sheet.append(
            [
                f"党员{serial}",
                gender,
                "汉族",
                f"{birth[:4]}年{int(birth[4:6])}月{int(birth[6:])}日",
                id_number,
                f"139{serial:08d}",
                rng.choice(["初中", "高中", "大学本科", "大专"]),
                paths[serial % len(paths)],
                "正式党员",
                f"{joined - 2}.3.1",
                f"{joined - 2}/9/1",
                f"{joined - 1}-09-01",
                f"{joined}-01-05",
                f"{joined + 1}年1月6日",
                "否",
                "否",
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def timed(job, *, apply):
    from portal.exchange.importing import engine

    if apply:
        assert engine.claim_for_apply(job)
    started = time.perf_counter()
    job = engine.run(job, apply=apply)
    return job, time.perf_counter() - started


def run_size(rows: int, staff, paths, *, offset: int) -> list[tuple]:
    from portal.exchange.importing.models import ImportJob

    data = roster(rows, paths, offset=offset)
    job = ImportJob.objects.create(
        kind="members",
        user=staff,
        organization=staff.organization,
        filename="bench.xlsx",
        data=data,
    )
    job, check = timed(job, apply=False)
    assert job.rejected_rows == 0, job.errors[:3]
    job, apply = timed(job, apply=True)
    assert job.status == "applied", job.message
    again = ImportJob.objects.create(
        kind="members",
        user=staff,
        organization=staff.organization,
        filename="bench.xlsx",
        data=data,
    )
    again, recheck = timed(again, apply=False)
    assert again.unchanged_rows == rows
    return [
        (rows, "check (dry run)", check, f"{len(data) / 2**20:.1f} MiB .xlsx"),
        (rows, "import (one transaction)", apply, f"{job.new_rows} new"),
        (rows, "check again", recheck, f"{again.unchanged_rows} unchanged"),
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    base = os.environ["DATABASE_URL"]
    recreate_database(base)
    os.environ["DATABASE_URL"] = bench_database_url(base, DATABASE)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    staff, paths = build_county()
    results = run_size(args.rows // 10, staff, paths, offset=10 * args.rows)
    results += run_size(args.rows, staff, paths, offset=0)
    print(
        f"\nMember import ({DATABASE}, 100 branches, engine in-process as the Celery task runs it)"
    )
    print(f"{'rows':>7}  {'step':<26}{'seconds':>9}{'rows/s':>9}{'ms/row':>8}  note")
    for rows, step, seconds, note in results:
        print(
            f"{rows:>7}  {step:<26}{seconds:>9.1f}{rows / seconds:>9.0f}{1000 * seconds / rows:>8.2f}  {note}"
        )
    big = {step: seconds for rows, step, seconds, _n in results if rows == args.rows}
    small = {step: seconds for rows, step, seconds, _n in results if rows != args.rows}
    ratio = (big["import (one transaction)"] / args.rows) / (
        small["import (one transaction)"] / (args.rows // 10)
    )
    print(
        f"import cost per row, {args.rows} rows vs {args.rows // 10}: {ratio:.2f}× (1.0 = linear)"
    )
    if args.rows == 10_000:
        check_ok = big["check (dry run)"] < 15
        apply_ok = big["import (one transaction)"] < 30
        print(
            f"target check < 15 s: {'PASS' if check_ok else 'FAIL'}; "
            f"import < 30 s: {'PASS' if apply_ok else 'FAIL'}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
