"""The README's field table is generated from the field declarations and must match them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pulumi_mixpeek.fields import markdown_table

pytestmark = pytest.mark.unit

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_field_table_matches_the_declarations() -> None:
    match = re.search(
        r"<!-- fields:start -->\n(.*?)\n<!-- fields:end -->", README.read_text(), re.S
    )
    assert match, "README.md lost its <!-- fields:start/end --> markers"
    assert match.group(1).strip() == markdown_table().strip(), (
        "README field table is stale: regenerate it with `make readme`"
    )
