"""The one command line (``budget-warehouse``, ``python -m warehouse``): commands, exit codes,
``--version``, ``tables`` and ``schema``, ``query`` from stdin, a file and bound parameters, and
README's command examples."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import click
import duckdb
import pytest
from click.testing import CliRunner
from warehouse_build import Published

import warehouse
from ingest.cli import main as ingest_main
from warehouse.cli import cli
from warehouse.errors import EXIT_CODE_MEANINGS, ExitCode, exit_codes_help

ROOT = Path(__file__).resolve().parents[2]
COMMANDS = {"build", "ingest", "validate", "export", "query", "tables", "schema", "report"}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hand-made warehouse: two marts with comments, a hostile text cell."""
    database = tmp_path_factory.mktemp("small") / "w.duckdb"
    with duckdb.connect(str(database)) as con:
        con.execute(
            """
            create schema marts;
            create table marts.fct_x as select * from (values
                (2024, '一般公共服务支出', 1234.5::decimal(18, 4)),
                (2025, '=HYPERLINK("http://x","y")', -2.0)) t(fiscal_year, name, amount_wan);
            comment on table marts.fct_x is 'Spending by 类. Grain: year × name.';
            comment on column marts.fct_x.fiscal_year is 'Fiscal year of the document.';
            comment on column marts.fct_x.name is '类 name as printed.';
            comment on column marts.fct_x.amount_wan is 'Amount in 万元.';
            create table marts.dim_y as select '201' as code;
            """
        )
    return database


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


# --- the group, its version and its exit codes ------------------------------------------------


def test_every_command_is_in_the_group_and_in_help() -> None:
    assert set(cli.commands) == COMMANDS
    result = run("--help")
    assert result.exit_code == 0
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\b", result.output, re.M), name
    assert "Exit codes: 0 done; 1 could not do it" in result.output


def test_version_is_the_packages_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"budget-warehouse, version {warehouse.__version__}\n"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["scripts"]["budget-warehouse"] == "warehouse.cli:cli"
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "warehouse.__version__"}


def test_one_table_of_exit_codes() -> None:
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)
    assert [int(c) for c in ExitCode] == list(range(len(ExitCode)))
    for code, meaning in EXIT_CODE_MEANINGS.items():
        assert f"{int(code)} {meaning}" in exit_codes_help()
    for command in cli.commands.values():
        assert command.epilog == exit_codes_help(), command.name


def test_ingest_is_the_same_command_as_python_dash_m_ingest(tmp_path: Path) -> None:
    assert cli.commands["ingest"] is ingest_main
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")
    args = ["--docs", str(docs), "--out", str(tmp_path / "out"), "--report",
            str(tmp_path / "r.md"), "--quiet"]  # fmt: skip
    strict = run("ingest", *args, "--strict")
    assert strict.exit_code == ExitCode.INGEST == 4, strict.output
    assert "empty.txt" in strict.output
    assert run("ingest", *args).exit_code == 0
    missing = run("ingest", "--docs", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert missing.exit_code == ExitCode.INGEST
    assert "no such folder" in missing.output
    process = subprocess.run(
        [sys.executable, "-m", "ingest", "--docs", str(tmp_path / "nowhere")],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert process.returncode == ExitCode.INGEST, process.stderr


def test_python_dash_m_warehouse_runs_the_same_cli() -> None:
    process = subprocess.run(
        [sys.executable, "-m", "warehouse", "--version"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert process.stdout.strip() == f"budget-warehouse, version {warehouse.__version__}"


def test_a_missing_warehouse_exits_1_with_what_to_do(tmp_path: Path) -> None:
    for args in (["tables"], ["schema", "fct_x"], ["query", "select 1"], ["report"], ["export"]):
        result = run(*args, "--warehouse", str(tmp_path / "none.duckdb"))
        assert result.exit_code == ExitCode.FAILED, (args, result.output)
        assert "run `make build` first" in result.output, args


# --- tables and schema --------------------------------------------------------------------------


def test_tables_lists_marts_with_rows_and_descriptions(small: Path) -> None:
    result = run("tables", "--warehouse", str(small))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["table", "rows", "description"]
    assert re.fullmatch(r"dim_y\s+1", lines[2])
    assert re.fullmatch(r"fct_x\s+2\s+Spending by 类\.", lines[3])
    assert lines[-1].startswith("2 table(s) in schema marts")
    full = run("tables", "--warehouse", str(small), "--full")
    assert "Spending by 类. Grain: year × name." in full.output


def test_schema_shows_types_and_descriptions(small: Path) -> None:
    result = run("schema", "--warehouse", str(small), "marts.fct_x")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "marts.fct_x: Spending by 类. Grain: year × name."
    assert lines[2].split() == ["column", "type", "null", "description"]
    assert lines[4].split() == ["fiscal_year", "INTEGER", "yes", "Fiscal", "year", "of", "the",
                                "document."]  # fmt: skip
    assert re.search(r"amount_wan\s+DECIMAL\(18,4\)\s+yes\s+Amount in 万元\.", result.output)
    assert lines[-1] == "3 column(s)"
    wrong = run("schema", "--warehouse", str(small), "fct")
    assert wrong.exit_code == ExitCode.FAILED
    assert "no table 'fct' in schema marts (did you mean fct_x?)" in wrong.output


# --- query ----------------------------------------------------------------------------------------


def test_query_binds_parameters_never_pastes_them(small: Path) -> None:
    hostile = "x' or 1=1 --"
    result = run("query", "--warehouse", str(small), "--format", "json",
                 "--param", "year=2024", "--param", f"name={hostile}",
                 "select $name as name, count(*) as n from fct_x where fiscal_year = $year")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.replace(" ", "").replace("\n", "") == ('[{"name":"x\'or1=1--","n":1}]')
    bad = run("query", "--warehouse", str(small), "--param", "year", "select 1")
    assert bad.exit_code == ExitCode.USAGE
    assert "write name=value" in bad.output


def test_query_from_stdin_and_from_a_file(small: Path, tmp_path: Path) -> None:
    stdin = run("query", "--warehouse", str(small), "-", input="show tables\n")
    assert stdin.exit_code == 0, stdin.output
    assert stdin.output.split() == ["name", "-----", "dim_y", "fct_x", "2", "row(s)"]
    sql = tmp_path / "q.sql"
    sql.write_text("select name from marts.fct_x where fiscal_year = 2024", encoding="utf-8")
    from_file = run("query", "--warehouse", str(small), "--file", str(sql))
    assert from_file.output.splitlines()[2] == "一般公共服务支出"
    both = run("query", "--warehouse", str(small), "--file", str(sql), "select 1")
    assert both.exit_code == ExitCode.USAGE and "not both" in both.output
    none = run("query", "--warehouse", str(small))
    assert none.exit_code == ExitCode.USAGE and "no SQL" in none.output


def test_query_csv_has_bom_and_neutralises_formulas(small: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["query", "--warehouse", str(small), "--format", "csv",
         "select name, amount_wan, '@SUM(A1)' as a, '+1' as b, '-x' as c, chr(9) || 't' as d,"
         " 'ok' as e from fct_x order by fiscal_year"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = result.stdout_bytes
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data[3:].decode("utf-8").splitlines()
    assert lines[0] == "name,amount_wan,a,b,c,d,e"
    assert lines[1] == "一般公共服务支出,1234.5000,'@SUM(A1),'+1,'-x,'\tt,ok"
    # a negative number stays a number; a quoted cell is neutralised inside its quotes
    assert lines[2] == """"'=HYPERLINK(""http://x"",""y"")",-2.0000,'@SUM(A1),'+1,'-x,'\tt,ok"""


# --- export -------------------------------------------------------------------------------------


def test_export_formats_swap_only_their_own_folders(small: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "exports"
    only_book = run("export", "--warehouse", str(small), "--exports", str(out), "--format", "xlsx")
    assert only_book.exit_code == 0, only_book.output
    assert only_book.output == (
        f"wrote {out / 'xlsx' / 'marts.xlsx'}: 2 sheets, 3 rows, 3 columns described\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["xlsx"]
    files = run("export", "--warehouse", str(small), "--exports", str(out),
                "--format", "csv+parquet")  # fmt: skip
    assert files.exit_code == 0, files.output
    assert files.output.startswith("exported 2 marts, 3 rows (CSV and Parquet) → ")
    assert sorted(p.name for p in out.iterdir()) == ["csv", "manifest.json", "parquet", "xlsx"]
    book = load_workbook(out / "xlsx" / "marts.xlsx", read_only=True)
    assert book.sheetnames == ["字段说明 columns", "dim_y", "fct_x"]
    everything = run("export", "--warehouse", str(small), "--exports", str(out))
    assert "(CSV, Parquet and xlsx)" in everything.output
    text = (out / "csv" / "fct_x" / "fct_x_2025.csv").read_text(encoding="utf-8-sig")
    assert '"\'=HYPERLINK(""http://x"",""y"")"' in text


# --- README -----------------------------------------------------------------------------------------


def _readme_commands() -> list[list[str]]:
    """Every command line of README's code blocks that runs the CLI."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, re.S)
    commands = []
    for block in blocks:
        for line in block.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0].strip().removeprefix("$ ")
            match = re.match(
                r"(?:\.venv/bin/)?(?:budget-warehouse|(?:\.venv/bin/)?python -m warehouse)\s+(.*)",
                line,
            )
            if match:
                commands.append(shlex.split(match.group(1).split(" > ")[0].split(" | ")[0]))
    return commands


def test_readme_command_examples_are_commands_the_cli_has() -> None:
    commands = _readme_commands()
    assert len(commands) >= 8, commands
    seen = set()
    for args in commands:
        if args[0].startswith("-"):
            assert set(args) <= {"--help", "-h", "--version", "-V"}, args
            continue
        assert args[0] in cli.commands, f"README runs `{' '.join(args)}`: no such command"
        command = cli.commands[args[0]]
        seen.add(args[0])
        options = {o for p in command.params if isinstance(p, click.Option) for o in p.opts}
        options |= {"--help", "-h"}
        for token in args[1:]:
            if token.startswith("-") and token != "-":
                assert token.split("=")[0] in options, f"`{' '.join(args)}`: {token} unknown"
    assert seen == COMMANDS, f"README shows no example of {sorted(COMMANDS - seen)}"


# --- the published warehouse ------------------------------------------------------------------------


@pytest.mark.e2e
def test_every_mart_table_and_column_carries_its_description(published: Published) -> None:
    with duckdb.connect(str(published.warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns()"
            " where schema_name = 'marts'"
        ).fetchall()
    assert len(tables) >= 19 and len(columns) >= 300
    assert [t for t, comment in tables if not (comment or "").strip()] == []
    assert [(t, c) for t, c, comment in columns if not (comment or "").strip()] == []


@pytest.mark.e2e
def test_tables_and_schema_on_the_published_warehouse(published: Published) -> None:
    result = run("tables", "--warehouse", str(published.warehouse))
    assert result.exit_code == 0, result.output
    assert re.search(r"^fct_three_public\s+\d+\s+“三公” expenditure", result.output, re.M)
    assert re.search(r"^dim_district\s+3,339\s+The division dimension", result.output, re.M)
    schema = run("schema", "--warehouse", str(published.warehouse), "fct_three_public")
    assert re.search(r"^amount_wan\s+DECIMAL\(18,4\)\s+", schema.output, re.M)
    assert "Disagreements between narrative and table" in schema.output.splitlines()[0]
