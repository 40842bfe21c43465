"""docs/DATA_CONTRACT.md against the marts' model YAML: the column tables are generated
(``python -m warehouse.contract_doc``), the hand-written table of grains names only marts and
columns the YAML has."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from warehouse.contract_doc import (
    BEGIN,
    ContractDocError,
    expected_contract,
    load_marts,
    main,
    render,
)

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "docs" / "DATA_CONTRACT.md"


def _hand_table() -> dict[str, str]:
    """model → its 'key columns' cell, from the hand-written table above the generated block."""
    prose = CONTRACT.read_text(encoding="utf-8").split(BEGIN)[0]
    rows = re.findall(r"^\| `(\w+)` \| .*? \| (.*) \|$", prose, re.M)
    return dict(rows)


def test_the_contract_file_is_what_the_yaml_says() -> None:
    assert CONTRACT.read_text(encoding="utf-8") == expected_contract(ROOT), (
        "docs/DATA_CONTRACT.md differs from models/marts/*.yml: run "
        "`.venv/bin/python -m warehouse.contract_doc` and commit the file"
    )


def test_the_hand_written_table_names_every_mart_and_only_columns_it_has() -> None:
    marts = {mart.name: {c.name for c in mart.columns} for mart in load_marts(ROOT)}
    table = _hand_table()
    assert sorted(table) == sorted(marts), "a mart missing from (or unknown to) the grain table"
    unknown = {}
    for model, cell in table.items():
        named = set(re.findall(r"`([a-z][a-z0-9_]*)`", cell))
        others = named & set(marts)  # "its indicators go to `fct_performance_targets` …"
        allowed = marts[model].union(*(marts[other] for other in others))
        unknown[model] = sorted(named - others - allowed)
    assert {m: cols for m, cols in unknown.items() if cols} == {}


def test_every_mart_column_has_a_type_and_a_description() -> None:
    missing = [
        (mart.name, column.name)
        for mart in load_marts(ROOT)
        for column in mart.columns
        if not column.data_type or not column.description
    ]
    assert missing == []


def _project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "models", project / "models")
    (project / "docs").mkdir()
    shutil.copy2(CONTRACT, project / "docs" / "DATA_CONTRACT.md")
    return project


def test_a_changed_description_makes_the_check_fail_until_regenerated(tmp_path: Path) -> None:
    project = _project_copy(tmp_path)
    assert main(["--check", "--project", str(project)]) == 0
    block = project / "models" / "docs" / "common_columns.md"
    text = block.read_text(encoding="utf-8")
    block.write_text(text.replace("Fiscal year the document is about.", "The year."), "utf-8")
    assert main(["--check", "--project", str(project)]) == 1
    assert main(["--project", str(project)]) == 0
    assert main(["--check", "--project", str(project)]) == 0
    contract = (project / "docs" / "DATA_CONTRACT.md").read_text(encoding="utf-8")
    assert "| `fiscal_year` | INTEGER | The year. |" in contract
    assert contract.split(BEGIN)[0] == CONTRACT.read_text(encoding="utf-8").split(BEGIN)[0]


def test_a_doc_call_without_a_block_names_the_column() -> None:
    with pytest.raises(ContractDocError, match=r"x\.yml: m\.c: doc\('nowhere'\)"):
        render("{{ doc('nowhere') }}", {}, "x.yml: m.c")
    assert render(" {{ doc('a') }}  more\n text ", {"a": "A."}, "w") == "A. more text"
