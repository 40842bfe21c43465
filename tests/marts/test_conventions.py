"""The project's conventions, checked over dbt's ``manifest.json`` (the spirit of
dbt_project_evaluator, which cannot be installed here).

The manifest comes from ``dbt parse`` of a private copy of the project (empty landed seeds:
parsing reads no data), so this module needs no build and never touches the checkout.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from warehouse_build import private_project

from ingest.records import LANDED_FILES

MART_PREFIXES = ("dim_", "fct_", "mart_", "audit_")
# folder under models/ → the prefix its models carry
FOLDER_PREFIXES = {"staging": ("stg_",), "intermediate": ("int_",), "marts": MART_PREFIXES}
COMMON_COLUMNS = (
    "document_id",
    "unit_id",
    "unit_name",
    "district_code",
    "district_name",
    "division_level",
    "fiscal_year",
    "doc_kind",
)
SOURCE_COLUMNS = ("source_kind", "source_line", "source_page")
# Columns with a doc block of their own name whose description in a mart must be the block's
# (a model may add a sentence after it): the same column means the same thing everywhere.
SHARED_IN_MARTS = (*COMMON_COLUMNS, "source_page", "table_id")
# Where a mart's column of a shared name means something narrower, stated on its own.
OWN_MEANING = {
    ("dim_district", "district_code"),  # the dimension's key, with the code's shapes
    ("dim_district", "division_level"),  # every division has one (never null)
    ("fct_expenditure_by_function", "fiscal_year"),  # a prior-year column keeps its own year
}

Manifest = dict[str, Any]


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> Manifest:
    project = private_project(tmp_path_factory.mktemp("conventions"))
    for name in LANDED_FILES:  # parse needs the seed files, not their rows
        (project / "seeds" / "landed" / f"{name}.csv").write_text("", encoding="utf-8")
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            "parse",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(project / "target"),
            "--log-path",
            str(project / "logs"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))


def _models(manifest: Manifest) -> dict[str, dict[str, Any]]:
    project = manifest["metadata"]["project_name"]
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == project
    }


def _marts(manifest: Manifest) -> dict[str, dict[str, Any]]:
    return {n: m for n, m in _models(manifest).items() if n.startswith(MART_PREFIXES)}


def test_the_manifest_holds_every_model_file(manifest: Manifest) -> None:
    root = Path(__file__).resolve().parents[2] / "models"
    files = sorted(p.stem for p in root.rglob("*.sql"))
    assert sorted(_models(manifest)) == files
    assert len(files) > 50


def test_every_model_and_column_is_described(manifest: Manifest) -> None:
    undescribed = [n for n, m in _models(manifest).items() if not m["description"].strip()]
    assert undescribed == []
    without_columns = [n for n, m in _models(manifest).items() if not m["columns"]]
    assert without_columns == []
    bare = [
        f"{n}.{c}"
        for n, m in _models(manifest).items()
        for c, column in m["columns"].items()
        if not column["description"].strip()
    ]
    assert bare == []


def test_every_mart_has_an_enforced_contract_with_types(manifest: Manifest) -> None:
    marts = _marts(manifest)
    assert len(marts) >= 19
    assert [n for n, m in marts.items() if not m["config"]["contract"]["enforced"]] == []
    untyped = [
        f"{n}.{c}"
        for n, m in marts.items()
        for c, col in m["columns"].items()
        if not col["data_type"]
    ]
    assert untyped == []


def test_every_model_prefix_matches_its_folder(manifest: Manifest) -> None:
    wrong = []
    for name, model in _models(manifest).items():
        parts = Path(model["original_file_path"]).parts  # models/<folder>[/<domain>]/<name>.sql
        folder = parts[1]
        prefixes = FOLDER_PREFIXES.get(folder)
        if prefixes is None or not name.startswith(prefixes):
            wrong.append(model["original_file_path"])
        elif folder == "intermediate" and len(parts) > 3:  # intermediate/<domain>/int_<domain>__
            if not name.startswith(f"int_{parts[2]}__"):
                wrong.append(model["original_file_path"])
        elif folder != "marts" and not re.fullmatch(r"[a-z]+_[a-z0-9_]+", name):
            wrong.append(model["original_file_path"])
    assert wrong == []


def test_every_fact_carries_the_common_and_source_columns(manifest: Manifest) -> None:
    facts = {n: m for n, m in _marts(manifest).items() if n.startswith("fct_")}
    assert len(facts) >= 11
    missing = {
        name: [c for c in (*COMMON_COLUMNS, *SOURCE_COLUMNS) if c not in model["columns"]]
        for name, model in facts.items()
    }
    assert {n: cols for n, cols in missing.items() if cols} == {}


def test_shared_columns_of_the_marts_are_described_by_their_doc_block(manifest: Manifest) -> None:
    blocks = {
        doc["name"]: doc["block_contents"].strip()
        for doc in manifest["docs"].values()
        if doc["package_name"] == manifest["metadata"]["project_name"]
    }
    assert set(SHARED_IN_MARTS) <= set(blocks)
    drifted = [
        f"{name}.{column}"
        for name, model in _marts(manifest).items()
        for column, spec in model["columns"].items()
        if column in SHARED_IN_MARTS
        and (name, column) not in OWN_MEANING
        and not spec["description"].startswith(blocks[column])
    ]
    assert drifted == [], "describe these with {{ doc('<column>') }} (models/docs/*.md)"


def test_the_source_page_test_covers_every_model_with_pages(manifest: Manifest) -> None:
    """tests/dbt/assert_source_page_holds_source_line lists its models by hand: every model
    with source_line and source_page must be among them."""
    tests = [
        n
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and n["name"] == "assert_source_page_holds_source_line"
    ]
    assert len(tests) == 1
    covered = {node.split(".")[-1] for node in tests[0]["depends_on"]["nodes"]}
    with_pages = {
        n
        for n, m in _models(manifest).items()
        if n.startswith(MART_PREFIXES) and {"source_line", "source_page"} <= set(m["columns"])
    }
    assert sorted(with_pages - covered) == []


@pytest.mark.e2e
def test_every_built_column_is_in_the_yaml(manifest: Manifest, con) -> None:
    """Staging and intermediate models have no contract: the columns the session's build made
    (views and tables of schemas staging and marts) must all be in their model's YAML."""
    models = {n: set(m["columns"]) for n, m in _models(manifest).items()}
    built = con.execute(
        "select table_name, column_name from information_schema.columns"
        " where table_schema in ('staging', 'marts')"
    ).fetchall()
    assert {t for t, _ in built} >= set(models)
    assert sorted(f"{t}.{c}" for t, c in built if t in models and c not in models[t]) == []
