"""dbt's unit tests (the ``unit_tests:`` of the model YAML: the mapping rules on fixtures).

The build leaves them out (``dbt build --exclude-resource-type unit_test``, as dbt advises for
production builds: they test the SQL, not the data); they run here, ``dbt test --select
test_type:unit`` in a private copy of the project, against a copy of the session's published
warehouse (a unit test reads its inputs' column types from the relations the build made).
The second test breaks one expected row in the copy and sees dbt fail, so that a broken
mapping rule cannot pass unnoticed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from warehouse_build import Published, private_project

from ingest.records import LANDED_FILES

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class UnitProject:
    project: Path
    database: Path


def run_dbt(unit: UnitProject, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
        "WAREHOUSE_BUILD_PATH": str(unit.database),
    }
    places = {"--project-dir": unit.project, "--profiles-dir": unit.project}
    places |= {"--target-path": unit.project / "target", "--log-path": unit.project / "logs"}
    return subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            *args,
            *(text for option, path in places.items() for text in (option, str(path))),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


def unit_results(unit: UnitProject) -> dict[str, str]:
    """unit test → status, from the last run's run_results.json."""
    results = json.loads((unit.project / "target" / "run_results.json").read_text("utf-8"))
    return {
        r["unique_id"]: r["status"]
        for r in results["results"]
        if r["unique_id"].startswith("unit_test.")
    }


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory, published: Published) -> UnitProject:
    root = tmp_path_factory.mktemp("dbt-unit")
    project = private_project(root)
    for name in LANDED_FILES:  # parse needs the seed files, not their rows
        (project / "seeds" / "landed" / f"{name}.csv").write_text("", encoding="utf-8")
    database = root / "warehouse.duckdb"
    shutil.copyfile(published.warehouse, database)
    return UnitProject(project, database)


def test_every_unit_test_passes(unit: UnitProject) -> None:
    result = run_dbt(unit, "test", "--select", "test_type:unit")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    statuses = unit_results(unit)
    declared = [
        p for p in (unit.project / "models").rglob("*.yml") if "unit_tests:" in p.read_text("utf-8")
    ]
    assert len(statuses) >= 10 and len(declared) >= 5
    assert sorted({s for s in statuses.values()}) == ["pass"]


def test_a_broken_expectation_fails(unit: UnitProject) -> None:
    """One expected row of a unit test changed in the copy: dbt test fails on it."""
    path = unit.project / "models" / "intermediate" / "divisions" / "int_divisions__all_levels.yml"
    text = path.read_text(encoding="utf-8")
    name = re.search(r"unit_tests:\s*\n\s*- name: (\w+)", text)
    assert name is not None, f"{path}: no unit test found to break"
    expect = text.index("expect:", name.end())
    broken, count = re.subn(
        r"division_level: (\w+)", r"division_level: \1_broken", text[expect:], count=1
    )
    assert count == 1, f"{path}: no division_level in the first unit test's expected rows"
    path.write_text(text[:expect] + broken, encoding="utf-8")
    try:
        result = run_dbt(unit, "test", "--select", "int_divisions__all_levels,test_type:unit")
    finally:
        path.write_text(text, encoding="utf-8")
    assert result.returncode == 1, result.stdout[-4000:]
    statuses = unit_results(unit)
    assert (
        statuses[f"unit_test.budget_warehouse.int_divisions__all_levels.{name.group(1)}"] == "fail"
    )
