"""The whole build at 100, 1,000 and 10,000 generated documents and on the bundled PDFs:
documents/s, seconds per step (wall and CPU), peak memory, a rebuild with nothing changed and
one with one document changed, and dbt's build beside the same SQL run directly in DuckDB.
Prints figures and writes them to ``BENCHMARKS.md``; asserts nothing.

Each build is ``python -m warehouse build`` in a child process, into its own warehouse under
``--workdir``; before the first build of each batch the parse cache (``.build/cache/ingest``)
is emptied, so every document is parsed (and cached for the rebuilds that follow). Peak memory is the
largest resident set of the build or any process it started (``getrusage`` of the children).
The direct run takes the compiled SQL of every model and data test (``dbt compile``) and runs
it in DAG order on one DuckDB connection, over a copy of the published warehouse's landed
and reference tables: ratio = dbt build step / direct SQL.

Usage: ``.venv/bin/python -m benchmarks.bench_build [--sizes 100,1000,10000] [--pdfs]``
(``make bench``). On a machine shared with other work, read the CPU columns beside the wall
times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEP_LINE = re.compile(r"^\[(\d)/7\] (.+?)\s+([\d.]+) s(?:\s+cpu\s+([\d.]+) s)?")
STEPS = ("ingest", "landed suite", "dbt build", "marts suite", "exports", "publish")


@dataclass
class Run:
    label: str
    documents: int
    seconds: float
    cpu: float
    peak_mb: float
    steps: dict[str, tuple[float, float]] = field(default_factory=dict)  # wall, cpu
    unchanged: bool = False
    exit_code: int = 0

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"})
    env.pop("WAREHOUSE_BUILD_PATH", None)
    return env


def _peak_child_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(label: str, docs: Path, work: Path, documents: int, *extra: str) -> Run:
    """One build in a child process (its peak memory measured by a fresh ``time`` child)."""
    command = [sys.executable, "-m", "warehouse", "build", "--docs", str(docs),
               "--warehouse", str(work / "warehouse.duckdb"), "--exports", str(work / "exports"),
               "--reports", str(work / "reports"), *extra]
    timed = ["/usr/bin/time", "-f", "peak_kb=%M"] if Path("/usr/bin/time").exists() else []
    cpu_before = _children_cpu()
    started = time.perf_counter()
    completed = subprocess.run(timed + command, cwd=ROOT, env=_env(), capture_output=True,
                               text=True, check=False)
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    peak = re.search(r"peak_kb=(\d+)", completed.stderr)
    run = Run(label, documents, seconds, cpu,
              int(peak.group(1)) / 1024 if peak else _peak_child_mb(),
              unchanged="unchanged since the publish" in completed.stdout,
              exit_code=completed.returncode)
    for line in completed.stdout.splitlines():
        match = STEP_LINE.match(line)
        if match:
            run.steps[match.group(2).strip()] = (float(match.group(3)),
                                                 float(match.group(4) or 0.0))
    if completed.returncode != 0:
        print(completed.stdout[-3000:], completed.stderr[-3000:], file=sys.stderr)
    return run


def direct_sql(work: Path) -> tuple[float, int]:
    """Seconds to run the compiled SQL of every model and data test in DAG order in one
    DuckDB connection, over the landed and reference tables of the published warehouse;
    and the number of nodes run."""
    import duckdb

    database = work / "direct.duckdb"
    target = work / "direct_target"
    shutil.rmtree(target, ignore_errors=True)
    with duckdb.connect(str(database)) as con:
        con.execute(f"attach '{work / 'warehouse.duckdb'}' as published (read_only)")
        con.execute("create schema if not exists raw")
        for (table,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'published' "
            "and schema_name = 'raw'"
        ).fetchall():
            con.execute(f'create or replace table raw."{table}" as '
                        f'select * from published.raw."{table}"')
    env = {**_env(), "WAREHOUSE_BUILD_PATH": str(database)}
    subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "compile", "--quiet", "--project-dir",
         str(ROOT), "--profiles-dir", str(ROOT), "--target-path", str(target), "--log-path",
         str(work / "direct_logs")],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    nodes = {uid: node for uid, node in manifest["nodes"].items()
             if node["resource_type"] in ("model", "test")}
    order: list[str] = []
    done: set[str] = set()

    def visit(uid: str) -> None:
        if uid in done or uid not in nodes:
            return
        done.add(uid)
        for parent in nodes[uid]["depends_on"]["nodes"]:
            visit(parent)
        order.append(uid)

    for uid in sorted(nodes):
        visit(uid)
    with duckdb.connect(str(database)) as con:
        started = time.perf_counter()
        for uid in order:
            node = nodes[uid]
            sql = node.get("compiled_code") or ""
            if node["resource_type"] == "test":
                con.execute(f"select count(*) from ({sql}) as failures").fetchone()
                continue
            relation = node["relation_name"]
            con.execute(f"create schema if not exists {relation.rsplit('.', 1)[0]}")
            kind = "view" if node["config"]["materialized"] == "view" else "table"
            con.execute(f"drop view if exists {relation}; drop table if exists {relation}")
            con.execute(f"create {kind} {relation} as {sql}")
        seconds = time.perf_counter() - started
    database.unlink(missing_ok=True)
    return seconds, len(order)


def change_one_document(docs: Path) -> None:
    """Append a line to the first text document: its content (and so its parse) changes."""
    first = next(p for p in sorted(docs.iterdir()) if p.suffix == ".txt")
    data = first.read_bytes()
    encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else None
    if encoding is None:
        first.write_bytes(data + "\n（本文件于基准测试中修改）\n".encode(_encoding_of(data)))
    else:
        first.write_bytes((data.decode("utf-16") + "\n（本文件于基准测试中修改）\n")
                          .encode("utf-16"))


def _encoding_of(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def generated(count: int, root: Path) -> Path:
    batch = root / f"corpus-{count}"
    docs = batch / "docs"
    if not docs.is_dir():
        subprocess.run([sys.executable, "-m", "corpus", "generate", "--out", str(batch),
                        "--count", str(count), "--seed", "1"], cwd=ROOT, check=True,
                       capture_output=True)
    return docs


def bundled_pdfs(root: Path) -> tuple[Path, int]:
    docs = root / "pdfs" / "docs"
    shutil.rmtree(docs, ignore_errors=True)
    docs.mkdir(parents=True)
    pdfs = sorted(p for folder in ("raw", "jiangsu") for p in (ROOT / "data" / folder).iterdir()
                  if p.suffix.lower() == ".pdf")
    for pdf in pdfs:
        shutil.copy2(pdf, docs / pdf.name)
    return docs, len(pdfs)


def table(rows: list[tuple[Run, float | None, int]]) -> str:
    head = ("| build | docs | docs/s | total s (cpu) | " + " | ".join(STEPS)
            + " | peak MB | dbt / direct SQL |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for run, direct, _nodes in rows:
        steps = " | ".join(
            f"{run.steps[s][0]:.1f} ({run.steps[s][1]:.1f})" if s in run.steps else "—"
            for s in STEPS
        )
        dbt = run.steps.get("dbt build", (0.0, 0.0))[0]
        ratio = f"{dbt:.1f} / {direct:.1f} = {dbt / direct:.2f}×" if direct else "—"
        label = run.label + (" (unchanged: skipped after ingest)" if run.unchanged else "")
        label += f" EXIT {run.exit_code}" if run.exit_code else ""
        lines.append(f"| {label} | {run.documents} | {run.per_second:.1f} | {run.seconds:.1f} "
                     f"({run.cpu:.1f}) | {steps} | {run.peak_mb:.0f} | {ratio} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--pdfs", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/budget-warehouse-bench"))
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows: list[tuple[Run, float | None, int]] = []
    cases: list[tuple[str, Path, int]] = []
    for size in (int(s) for s in args.sizes.split(",") if s):
        cases.append((f"{size:,} generated", generated(size, args.workdir), size))
    if args.pdfs:
        docs, count = bundled_pdfs(args.workdir)
        cases.append(("bundled PDFs", docs, count))
    for label, docs, count in cases:
        work = args.workdir / re.sub(r"\W+", "-", label)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        shutil.rmtree(ROOT / ".build" / "cache" / "ingest", ignore_errors=True)
        cold = build(label + ", cold", docs, work, count)
        direct, nodes = direct_sql(work) if cold.exit_code == 0 else (None, 0)
        rows.append((cold, direct, nodes))
        first = len(rows) - 1
        print(table(rows[-1:]), flush=True)
        again = build(label + ", nothing changed", docs, work, count)
        rows.append((again, None, 0))
        if docs.name == "docs" and any(p.suffix == ".txt" for p in docs.iterdir()):
            edited = work / "docs-one-changed"
            shutil.rmtree(edited, ignore_errors=True)
            shutil.copytree(docs, edited)
            change_one_document(edited)
            rows.append((build(label + ", one document changed", edited, work, count),
                         None, 0))
        print(table(rows[first + 1:]), flush=True)
    text = table(rows)
    if args.pdfs:  # the PDF reader per page, both readers (benchmarks.bench_pdf)
        from benchmarks import bench_pdf

        pdf = bench_pdf.section(bench_pdf.measure(bench_pdf.bundled_pdfs()), repeat=3)
        print("\n" + pdf, flush=True)
        text += "\n\n" + pdf.rstrip("\n")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = (
        "# Benchmarks\n\n"
        f"`make bench` (`python -m benchmarks.bench_build`), {stamp}, {os.cpu_count()} cores"
        " (shared: the CPU seconds say what a step costs, the wall seconds also what other"
        " work took). Seconds per step are wall (CPU); the first build of each batch parses"
        " every document (empty parse cache), the second changes nothing, the third changes one"
        " document. dbt / direct SQL: the dbt build step beside the compiled SQL of every"
        " model and data test run in DAG order on one DuckDB connection. Figures, never"
        " asserted.\n\n" + text + "\n"
    )
    args.out.write_text(body, encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
