from pathlib import Path

from portal.exchange.importing.kinds import columns_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_lists_every_import_kind_and_column():
    assert columns_markdown() in (ROOT / "README.md").read_text(), (
        "README out of date: paste `manage.py import --columns` under 'Import kinds'"
    )
