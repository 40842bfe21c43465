"""The nodes a build from a copy of a published warehouse takes over (warehouse/dbt_step.py,
reused_nodes): only what reads the reference seeds alone, and nothing that reads a var or a
relation outside its refs (directly or through a project macro)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from warehouse.dbt_step import dbt_arguments, reused_nodes
from warehouse.paths import BuildPaths

PROJECT = "budget_warehouse"


def _node(name: str, kind: str, path: str, parents=(), code: str = "", macros=()):
    return SimpleNamespace(
        name=name,
        resource_type=kind,
        original_file_path=path,
        package_name=PROJECT,
        raw_code=code,
        depends_on=SimpleNamespace(nodes=list(parents), macros=list(macros)),
    )


def _macro(code: str, macros=(), package: str = PROJECT):
    return SimpleNamespace(
        macro_sql=code, package_name=package, depends_on=SimpleNamespace(macros=list(macros))
    )


def _manifest() -> SimpleNamespace:
    nodes = [
        _node("codes", "seed", "seeds/reference/codes.csv"),
        _node("landed_cells", "seed", "seeds/landed/landed_cells.csv"),
        _node(
            "stg_codes",
            "model",
            "models/stg_codes.sql",
            ["seed.codes"],
            "select * from {{ seed_relation('codes') }} -- this model",
            ["macro.seed_relation"],
        ),
        _node("int_names", "model", "models/int_names.sql", ["model.stg_codes"], "select 1"),
        _node(
            "unique_stg_codes_code",
            "test",
            "models/x.yml",
            ["model.stg_codes"],
            "{{ test_unique(**_dbt_generic_test_kwargs) }}",
            ["macro.dbt.test_unique"],
        ),
        # reads the landed rows too: runs
        _node(
            "stg_cells", "model", "models/stg_cells.sql", ["seed.landed_cells", "model.stg_codes"]
        ),
        _node(
            "relationships_cells_codes",
            "test",
            "models/x.yml",
            ["model.stg_cells", "model.stg_codes"],
            "{{ test_relationships() }}",
        ),
        # no parent (a var only), a var on reference rows, a var through a project macro,
        # a relation looked up outside the refs
        _node("int_quarantined", "model", "models/q.sql", [], "select {{ var('quarantine') }}"),
        _node("int_by_var", "model", "models/v.sql", ["model.stg_codes"], "{{ var('x') }}"),
        _node(
            "int_by_macro",
            "model",
            "models/m.sql",
            ["model.stg_codes"],
            "{{ quarantined() }}",
            ["macro.quarantined"],
        ),
        _node(
            "int_previous",
            "model",
            "models/p.sql",
            ["model.stg_codes"],
            "{% set r = adapter.get_relation(database=this.database) %}",
        ),
        _node("int_after_var", "model", "models/a.sql", ["model.int_by_var"], "select 1"),
    ]
    kinds = {"seed": "seed", "model": "model", "test": "test"}
    return SimpleNamespace(
        nodes={f"{kinds[n.resource_type]}.{n.name}": n for n in nodes},
        macros={
            "macro.seed_relation": _macro("{{ ref(name) }}"),
            "macro.quarantined": _macro("{{ helper() }}", ["macro.helper"]),
            "macro.helper": _macro("{{ var('quarantine', []) }}"),
            "macro.dbt.test_unique": _macro("{{ run_query('x') }}", package="dbt"),
        },
    )


def test_only_what_reads_the_reference_seeds_alone_is_taken_over() -> None:
    assert reused_nodes(_manifest(), PROJECT) == [
        "codes",
        "int_names",
        "stg_codes",
        "unique_stg_codes_code",
    ]


def test_the_real_project_takes_over_its_reference_models_only() -> None:
    """On the project's own manifest: the reference seeds' staging, their two intermediate
    models and tests; never int_documents__quarantined (the var), nothing of the landed rows."""
    import json

    from warehouse.paths import REPO_ROOT

    path = REPO_ROOT / ".build" / "dbt" / "target" / "manifest.json"
    if not path.is_file():
        import pytest

        pytest.skip("no dbt manifest: run a build first")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    as_objects = SimpleNamespace(
        nodes={
            unique_id: _node(
                node["name"], node["resource_type"], node["original_file_path"],
                node["depends_on"].get("nodes", []), node.get("raw_code", ""),
                node["depends_on"].get("macros", []),
            )
            for unique_id, node in manifest["nodes"].items()
        },
        macros={
            unique_id: _macro(
                macro["macro_sql"], macro["depends_on"]["macros"], macro["package_name"]
            )
            for unique_id, macro in manifest["macros"].items()
        },
    )  # fmt: skip
    reused = reused_nodes(as_objects, PROJECT)
    assert "int_documents__quarantined" not in reused
    assert "int_divisions__all_levels" in reused and "int_expenditure__function_names" in reused
    assert {n for n in reused if n.startswith("stg_")} == {
        n["name"] for n in manifest["nodes"].values() if n["name"].startswith("stg_reference__")
    }
    assert not [n for n in reused if "landed" in n or n.startswith(("fct_", "dim_", "mart_"))]


def test_reused_nodes_are_excluded_by_name_without_their_tests_indirectly() -> None:
    paths = BuildPaths.create(docs=Path("docs"), warehouse=Path("/tmp/w.duckdb"))
    args = dbt_arguments(paths, verbose=False, threads=None, landed_loaded=True, reused=["a"])
    assert args[args.index("--exclude") + 1 :][:2] == ["path:seeds/landed", "a"]
    assert args[-2:] == ["--indirect-selection", "empty"]
    assert "--indirect-selection" not in dbt_arguments(
        paths, verbose=False, threads=None, landed_loaded=True
    )
