"""The same documents give byte-identical landed files: whatever the order the files were
created in, their modification times, the run, or Python's string-hash seed.

File names are kept equal between runs (``source_file`` is recorded); what varies is the order
of creation and the mtimes. The folder mixes the five samples with every kind of bad input
whose outcome does not depend on file times by design (an undated republication pair is
decided by mtime, see ``pipeline._supersede``; tests/ingest/test_bad_input.py covers it).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TONGNAN_2025, WANZHOU_2021, landed_bytes, read_landed
from warehouse_build import Published, run_cli

from ingest.pipeline import ingest_files, ingest_folder
from ingest.records import LANDED_FILES
from ingest.report import render_report


def _mixed_batch(sample_bytes: dict[str, bytes], sample_text: dict[str, str]) -> dict[str, bytes]:
    tongnan = sample_text[TONGNAN_2025]
    changed = tongnan.replace(
        "2010350\t事业运行\t345.64\t353.13\t353.13\t", "2010350\t事业运行\t345.64\t353.14\t353.14\t"
    )
    assert changed != tongnan
    files = dict(sample_bytes)
    files.update(
        {
            "copies/tongnan-gb18030.txt": tongnan.encode("gb18030"),
            "copies/tongnan-utf16.txt": tongnan.encode("utf-16"),
            "copies/wanzhou-again.txt": sample_bytes[WANZHOU_2021],
            "republished/tongnan-2025-03-01.txt": (changed + "\n2025年3月1日\n").encode(),
            "bad/empty.txt": b"",
            "bad/noise.pdf": random.Random(7).randbytes(2048),
            "bad/essay.txt": "春天来了，公园里的花都开了。孩子们在草地上奔跑。\n".encode(),
            "bad/shift-jis.txt": (
                "東京都の予算の概要です。歳出総額は前年度より増加しました。\n" * 10
            ).encode("shift_jis"),
        }
    )
    return files


def _write_in_order(folder: Path, files: dict[str, bytes], seed: int) -> None:
    """Create the files in a shuffled order, each with its own shuffled mtime."""
    names = sorted(files)
    random.Random(seed).shuffle(names)
    times = [1_600_000_000 + 1000 * i for i in range(len(names))]
    random.Random(seed + 1).shuffle(times)
    for name, mtime in zip(names, times, strict=True):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[name])
        os.utime(path, (mtime, mtime))


def test_creation_order_and_mtimes_do_not_change_a_byte(
    tmp_path, sample_bytes, sample_text, divisions
) -> None:
    files = _mixed_batch(sample_bytes, sample_text)
    outputs = []
    reports = []
    for seed in (1, 2, 3):
        folder = tmp_path / f"docs_{seed}"
        _write_in_order(folder, files, seed)
        result = ingest_folder(folder, tmp_path / f"out_{seed}", divisions)
        outputs.append(landed_bytes(tmp_path / f"out_{seed}"))
        reports.append(render_report(result))
    # the batch exercised every outcome
    statuses = {row["status"] for row in read_landed(tmp_path / "out_1")["landed_files"]}
    assert statuses == {"landed", "duplicate", "rejected"}
    assert len(outputs[0]["landed_table_cells"].splitlines()) > 400
    for other in outputs[1:]:
        for name in LANDED_FILES:
            assert other[name] == outputs[0][name], name
    assert reports[1] == reports[0] == reports[2]


def test_ingesting_twice_gives_identical_files(
    tmp_path, sample_bytes, sample_text, divisions
) -> None:
    folder = tmp_path / "docs"
    _write_in_order(folder, _mixed_batch(sample_bytes, sample_text), seed=5)
    out = tmp_path / "out"
    first_result = ingest_folder(folder, out, divisions)
    first = landed_bytes(out)
    second_result = ingest_folder(folder, out, divisions)  # over the files of the first run
    assert landed_bytes(out) == first
    assert render_report(second_result) == render_report(first_result)
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


def test_ingest_files_does_not_depend_on_the_order_of_its_items(
    sample_bytes, sample_text, divisions
) -> None:
    files = _mixed_batch(sample_bytes, sample_text)
    items = [(name, data, 1_700_000_000.0) for name, data in sorted(files.items())]
    reference = ingest_files(items, divisions)
    for seed in range(3):
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        assert ingest_files(shuffled, divisions) == reference


def test_string_hash_seed_does_not_change_a_byte(tmp_path, sample_bytes, sample_text) -> None:
    """Two processes with different PYTHONHASHSEED: set and dict-of-set iteration orders
    differ between them, the landed files must not."""
    folder = tmp_path / "docs"
    _write_in_order(folder, _mixed_batch(sample_bytes, sample_text), seed=9)
    outputs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"out_{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "ingest",
                "--docs",
                str(folder),
                "--out",
                str(out),
                "--report",
                str(out / "report.md"),
                "--quiet",
                "--no-cache",
            ],  # both parse
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        outputs.append((landed_bytes(out), (out / "report.md").read_bytes()))
    assert outputs[0] == outputs[1]


def _bundled_documents(folder: Path) -> Path:
    """data/raw (Chongqing texts, Shanghai PDFs) and data/jiangsu (PDFs, three of them the
    tables of a narrative in another file) in one folder."""
    for name in ("raw", "jiangsu"):
        for path in sorted((ROOT / "data" / name).iterdir()):
            if path.is_file():
                (folder / name).mkdir(parents=True, exist_ok=True)
                (folder / name / path.name).write_bytes(path.read_bytes())
    return folder


def test_number_of_jobs_and_the_cache_do_not_change_a_byte(tmp_path, divisions) -> None:
    """--jobs 1 (in this process), 2 and 3 (worker processes), then 2 again over the cache the
    third run filled: the same landed files and report, byte for byte. One test, so the PDFs
    (most of the time) are parsed three times, not four."""
    docs = _bundled_documents(tmp_path / "docs")
    cache = tmp_path / "cache"
    runs = [(1, None), (2, None), (3, cache), (2, cache)]
    outputs, reports, stats = [], [], []
    for number, (jobs, cache_dir) in enumerate(runs):
        out = tmp_path / f"out_{number}"
        lines: list[str] = []
        result = ingest_folder(docs, out, divisions, lines.append, jobs=jobs, cache=cache_dir)
        outputs.append(landed_bytes(out))
        reports.append(
            (
                render_report(result),
                [line for line in lines if "(cached)" not in line and not line.endswith(" s)")],
            )
        )
        stats.append(result.stats)
    landed = read_landed(tmp_path / "out_0")
    assert len(landed["landed_files"]) == 18
    assert sum(f["line_offset"] != "0" for f in landed["landed_files"]) == 3  # joined pairs
    assert {f["status"] for f in landed["landed_files"]} == {"landed", "rejected"}  # README.md
    for other in outputs[1:]:
        for name in LANDED_FILES:
            assert other[name] == outputs[0][name], name
    assert reports[1] == reports[0] == reports[2] == reports[3]
    assert [(s.jobs, s.parsed, s.cached, s.joined_parsed) for s in stats[:3]] == [
        (1, 18, 0, 3),
        (2, 18, 0, 3),
        (3, 18, 0, 3),
    ]
    assert (stats[3].parsed, stats[3].cached, stats[3].joined_cached) == (0, 18, 3)


@pytest.mark.e2e
def test_a_build_with_one_job_and_no_cache_lands_the_same_bytes_and_stops_early(
    published: Published,
) -> None:
    """``warehouse build --jobs 1 --no-cache`` over the documents of the last publish (built
    with one worker per core, cache on): every document is parsed again in one process, the
    landed files are byte-identical, so nothing changed and the build stops after ingest,
    leaving the published warehouse and exports as they were."""
    landed_before = landed_bytes(ROOT / "seeds" / "landed")
    warehouse_before = published.warehouse.stat()
    exports_before = (published.exports / "manifest.json").read_bytes()
    result = run_cli(
        "build", "--docs", published.docs, "--warehouse", published.warehouse,
        "--exports", published.exports, "--reports", published.reports,
        "--jobs", "1", "--no-cache",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 from cache, 1 job(s)" in result.stdout
    assert "unchanged since the publish of" in result.stdout, result.stdout
    assert f"unchanged: {published.warehouse} as published at" in result.stdout
    assert not any(line.startswith("[4/7] dbt build") for line in result.stdout.splitlines())
    assert landed_bytes(ROOT / "seeds" / "landed") == landed_before
    after = published.warehouse.stat()
    assert (after.st_size, after.st_mtime_ns) == (
        warehouse_before.st_size,
        warehouse_before.st_mtime_ns,
    )
    assert (published.exports / "manifest.json").read_bytes() == exports_before
