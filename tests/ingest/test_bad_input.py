"""Bad input loses nothing: every case goes through ``ingest_folder`` on a folder that also
holds the five real samples, which must land exactly as when they are ingested alone.

Figures asserted come from the real 潼南区电子政务中心 2025 budget (附件 2: 2010350 事业运行
353.13 万元 in 2025, 345.64 in 2024; 附件 3: 30110 职工基本医疗保险缴费 16.34).
"""

from __future__ import annotations

import codecs
import random
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import (
    BYTE_COLUMNS,
    ROOT,
    SAMPLE_NAMES,
    TONGNAN_2025,
    WANZHOU_2021,
    Ingested,
    assert_same_document,
)

from ingest.cli import main as cli_main
from ingest.read import UnreadableDocument, decode_text

# --- helpers ------------------------------------------------------------------------------


def cells(run: Ingested, source: str, **where: str) -> list[dict[str, str]]:
    """Table cells landed for one input file, filtered by column values."""
    out = []
    for row in run.rows("landed_table_cells", run.document_id(source)):
        if all(row[key] == value for key, value in where.items()):
            out.append(row)
    return out


def table_id(run: Ingested, source: str, label: str) -> str:
    """The id of the table printed under ``label`` (附件 2) in one input file's document."""
    ids = [
        t["table_id"]
        for t in run.rows("landed_tables", run.document_id(source))
        if t["label"] == label
    ]
    assert len(ids) == 1, (source, label, ids)
    return ids[0]


def amounts(run: Ingested, source: str, code: str, label: str = "附件 2") -> list[str]:
    """Sorted amounts of one code's row in the table printed under ``label``."""
    table = table_id(run, source, label)
    return sorted(c["amount"] for c in cells(run, source, code=code, table_id=table) if c["amount"])


def line_index(lines: list[str], startswith: str, after: str) -> int:
    """0-based index of the first line starting with ``startswith`` after the line ``after``."""
    start = lines.index(after)
    return next(i for i in range(start, len(lines)) if lines[i].startswith(startswith))


def assert_rejected(run: Ingested, source: str, *reason_words: str) -> dict[str, str]:
    record = run.file(source)
    assert record["status"] == "rejected", record
    assert record["document_id"] == ""
    for word in reason_words:
        assert word in record["reason"], record["reason"]
    assert not [d for d in run.landed["landed_documents"] if d["source_file"] == source]
    return record


# --- empty and binary files -------------------------------------------------------------------


def test_empty_files_are_rejected_and_the_batch_lands(
    write_folder, run_ingest, assert_samples_intact
) -> None:
    run = run_ingest(write_folder({"empty.txt": b"", "blank.txt": b"\n  \r\n\t\n"}))
    assert "0 bytes" in assert_rejected(run, "empty.txt", "empty")["reason"]
    assert "blank" in assert_rejected(run, "blank.txt", "empty")["reason"]
    assert_samples_intact(run)
    assert len(run.landed["landed_files"]) == 7
    assert len(run.landed["landed_documents"]) == 5


def test_random_bytes_named_pdf_or_txt_are_rejected(
    write_folder, run_ingest, assert_samples_intact
) -> None:
    noise = random.Random(20250301).randbytes(4096)
    run = run_ingest(
        write_folder(
            {
                "scan.pdf": noise,
                "noise.txt": noise,
                "budget.xlsx": b"PK\x03\x04" + noise,  # an Excel workbook is a ZIP archive
                "sub/unknown": bytes(range(256)) * 8,  # no suffix, in a subfolder
            }
        )
    )
    assert_rejected(run, "scan.pdf", "not a PDF")
    assert_rejected(run, "noise.txt", "not text")
    assert_rejected(run, "budget.xlsx", "ZIP", "not text")
    assert_rejected(run, "sub/unknown", "not text")
    assert_samples_intact(run)


# --- encodings --------------------------------------------------------------------------------

ENCODINGS = {
    # name: (how to encode the UTF-8 text, the encoding ingest should report)
    "gb18030": (lambda text: text.encode("gb18030"), "gb18030"),
    "gbk": (lambda text: text.encode("gbk"), "gb18030"),
    "utf-8 with BOM": (lambda text: text.encode("utf-8-sig"), "utf-8-bom"),
    "utf-16 LE with BOM": (lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16"),
    "utf-16 BE with BOM": (lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "utf-16"),
    "utf-16 LE without BOM": (lambda text: text.encode("utf-16-le"), "utf-16"),
    "utf-16 BE without BOM": (lambda text: text.encode("utf-16-be"), "utf-16"),
}


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_every_sample_in_another_encoding_lands_the_same_rows(
    encoding, sample_text, write_folder, run_ingest, baseline
) -> None:
    encode, label = ENCODINGS[encoding]
    run = run_ingest(write_folder({name: encode(text) for name, text in sample_text.items()}))
    for name in SAMPLE_NAMES:
        record = run.file(name)
        assert record["status"] == "landed", record
        assert record["encoding"] == label
        assert record["sha256"] != baseline.file(name)["sha256"]
        # same document id and content hash, every row equal but the bytes' own columns
        assert_same_document(run, name, baseline, ignore=BYTE_COLUMNS)
    assert amounts(run, TONGNAN_2025, "2010350").count("353.13") >= 2


@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_a_copy_in_another_encoding_next_to_the_original_is_a_duplicate(
    encoding, sample_text, write_folder, run_ingest, assert_samples_intact
) -> None:
    encode, label = ENCODINGS[encoding]
    copy = "zz_copy_of_tongnan.txt"  # sorts after the original, which is the one landed
    run = run_ingest(write_folder({copy: encode(sample_text[TONGNAN_2025])}))
    record = run.file(copy)
    assert record["status"] == "duplicate"
    assert record["encoding"] == label
    assert record["duplicate_of"] == TONGNAN_2025
    assert record["document_id"] == run.document_id(TONGNAN_2025)
    assert TONGNAN_2025 in record["reason"]
    assert record["rows_landed"] == "0"
    assert len(run.landed["landed_documents"]) == 5
    assert_samples_intact(run)


WRONG_ENCODINGS = {
    # Traditional Chinese as published in Taiwan, and the 潼南 sample saved as Big5 (characters
    # Big5 lacks become '?'): not read, the reason names Big5.
    "big5-traditional.txt": (
        "臺北市政府一一四年度總預算說明。本機關歲出預算數為新臺幣一億二千萬元，較上年度增加"
        "百分之五，主要係辦理資訊系統維護及網路服務所需經費。\n" * 12
    ).encode("big5"),
    "big5-tongnan.txt": None,  # filled in from the sample below
    "shift-jis.txt": (
        "東京都の二〇二五年度予算の概要です。歳出総額は前年度より増加し、情報システムの保守と"
        "ネットワークサービスの経費が含まれています。\n" * 12
    ).encode("shift_jis"),
    "euc-kr.txt": (
        "서울특별시 2025년도 예산 개요입니다. 세출 총액은 전년도보다 증가하였으며 정보 시스템 "
        "유지보수 및 네트워크 서비스 경비가 포함되어 있습니다.\n" * 12
    ).encode("euc_kr"),
}
WRONG_NAMES = {
    "big5-traditional.txt": "Big5",
    "big5-tongnan.txt": "Big5",
    "shift-jis.txt": "Shift_JIS",
    "euc-kr.txt": "EUC-KR",
}


def test_unsupported_encodings_are_rejected_with_the_encoding_named(
    sample_text, write_folder, run_ingest, assert_samples_intact
) -> None:
    """Decision (documented in ingest/read.py): Big5, Shift_JIS and EUC-KR are not decoded;
    the publishers in scope use GB or Unicode encodings, and without this check Japanese and
    Korean bytes decode as GB18030 into rare-ideograph gibberish."""
    files = dict(WRONG_ENCODINGS)
    files["big5-tongnan.txt"] = sample_text[TONGNAN_2025].encode("big5", errors="replace")
    run = run_ingest(write_folder(files))
    for name, encoding in WRONG_NAMES.items():
        assert_rejected(run, name, encoding, "UTF-8")
    assert_samples_intact(run)


def test_a_few_damaged_bytes_do_not_reject_the_document(
    sample_bytes, write_folder, run_ingest, baseline, assert_samples_intact
) -> None:
    """Three stray bytes in prose lines without figures: the document is read, with every
    table cell and every prose figure it has when undamaged."""
    lines = sample_bytes[TONGNAN_2025].split(b"\n")
    targets = [
        i
        for i, line in enumerate(lines)
        if i > 10 and line.strip() and not any(ch.isdigit() for ch in line.decode("utf-8"))
    ][:3]
    for index in targets:
        lines[index] += b"\xff"
    damaged = "tongnan-damaged.txt"
    run = run_ingest(write_folder({damaged: b"\n".join(lines)}, with_samples=False))
    record = run.file(damaged)
    assert record["status"] in ("landed", "partial"), record
    assert record["encoding"] == "utf-8"
    doc, ref = run.document_id(damaged), baseline.document_id(TONGNAN_2025)
    for name, ignore in (
        ("landed_table_cells", {"document_id"}),
        ("landed_prose_figures", {"document_id", "context", "section"}),
    ):
        got = [{k: v for k, v in r.items() if k not in ignore} for r in run.rows(name, doc)]
        want = [{k: v for k, v in r.items() if k not in ignore} for r in baseline.rows(name, ref)]
        assert got == want, name


def test_damaged_bytes_make_the_document_partial_with_the_reason(
    sample_bytes, write_folder, run_ingest
) -> None:
    data = sample_bytes[TONGNAN_2025]
    middle = data.index("（一）职能职责".encode())
    damaged = data[:middle] + b"\xff" + data[middle:]
    run = run_ingest(write_folder({"tongnan-damaged.txt": damaged}, with_samples=False))
    record = run.file("tongnan-damaged.txt")
    assert record["status"] == "partial"
    assert "U+FFFD" in record["reason"]


# --- cut-off documents ------------------------------------------------------------------------


def _tongnan_lines(sample_text: dict[str, str]) -> list[str]:
    return sample_text[TONGNAN_2025].split("\n")


def _assert_nothing_after(run: Ingested, source: str, last_line: int) -> None:
    doc = run.document_id(source)
    for name in (
        "landed_table_cells",
        "landed_prose_figures",
        "landed_indicators",
        "landed_unparsed_lines",
    ):
        late = [r for r in run.rows(name, doc) if int(r["line_number"]) > last_line]
        assert not late, (name, late[:3])


def test_cut_in_the_middle_of_a_table_line_is_partial_and_keeps_what_precedes(
    sample_text, write_folder, run_ingest, assert_samples_intact
) -> None:
    lines = _tongnan_lines(sample_text)
    row = line_index(lines, "210\t", after="附件 2")  # 210 卫生健康支出 20.89 19.54 19.54
    cut = lines[row][: lines[row].index("19.54") + 2]  # ... 20.89<TAB>19
    text = "\n".join([*lines[:row], cut])
    run = run_ingest(write_folder({TONGNAN_2025: text.encode("utf-8")}))
    record = run.file(TONGNAN_2025)
    assert record["status"] == "partial"
    assert "ends in the middle of a table" in record["reason"]
    assert f"line {row + 1}" in record["reason"]
    # the rows before the cut landed, with their figures
    assert amounts(run, TONGNAN_2025, "2010350") == ["345.64", "353.13", "353.13"]
    assert amounts(run, TONGNAN_2025, "208") == ["35.71", "59.05", "59.05"]
    summary = cells(run, TONGNAN_2025, table_id=table_id(run, TONGNAN_2025, "附件 1"))
    assert [c["amount"] for c in summary if c["row_label"] == "收入合计"] == ["451.32"]
    _assert_nothing_after(run, TONGNAN_2025, row + 1)
    assert_samples_intact(run, except_=[TONGNAN_2025])


def test_the_cut_cell_itself_is_not_landed_as_a_figure(
    sample_text, write_folder, run_ingest
) -> None:
    lines = _tongnan_lines(sample_text)
    row = line_index(lines, "210\t", after="附件 2")
    cut = lines[row][: lines[row].index("19.54") + 2]
    run = run_ingest(
        write_folder({TONGNAN_2025: "\n".join([*lines[:row], cut]).encode()}, with_samples=False)
    )
    assert [c["amount"] for c in cells(run, TONGNAN_2025, code="210")] == ["20.89"]


def test_cut_at_a_line_end_inside_a_table_is_partial_and_keeps_what_precedes(
    sample_text, write_folder, run_ingest, assert_samples_intact
) -> None:
    lines = _tongnan_lines(sample_text)
    row = line_index(lines, "30110\t", after="附件 3")  # 职工基本医疗保险缴费 16.34
    text = "\n".join(lines[: row + 1]) + "\n"
    run = run_ingest(write_folder({TONGNAN_2025: text.encode("utf-8")}))
    record = run.file(TONGNAN_2025)
    assert record["status"] == "partial"
    assert "before its rows reach a printed total (301: 343.90 of 368.82)" in record["reason"]
    assert "re-download" in record["reason"]
    assert amounts(run, TONGNAN_2025, "30110", label="附件 3") == ["16.34", "16.34"]
    assert amounts(run, TONGNAN_2025, "2010350") == ["345.64", "353.13", "353.13"]
    assert cells(run, TONGNAN_2025, code="30112") == []
    _assert_nothing_after(run, TONGNAN_2025, row + 1)
    assert_samples_intact(run, except_=[TONGNAN_2025])


def test_cut_between_a_class_row_and_its_subrows_is_partial(
    sample_text, write_folder, run_ingest
) -> None:
    lines = _tongnan_lines(sample_text)
    row = line_index(lines, "30207\t", after="附件 3")  # 302 = 82.50; 30201..30207 = 56
    text = "\n".join(lines[: row + 1]) + "\n"
    run = run_ingest(write_folder({TONGNAN_2025: text.encode()}, with_samples=False))
    assert run.file(TONGNAN_2025)["status"] == "partial"


def test_a_complete_document_ending_with_a_rounded_table_is_not_called_cut(
    sample_text, write_folder, run_ingest
) -> None:
    lines = _tongnan_lines(sample_text)
    start, end = lines.index("附件 2"), lines.index("附件 3")
    reordered = [*lines[:start], *lines[end:], "", *lines[start:end]]  # 附件 2 printed last
    run = run_ingest(
        write_folder({TONGNAN_2025: "\n".join(reordered).encode()}, with_samples=False)
    )
    assert run.file(TONGNAN_2025)["status"] == "landed", run.file(TONGNAN_2025)["reason"]


def test_cut_inside_a_character_in_a_table_is_partial(
    sample_bytes, write_folder, run_ingest, assert_samples_intact
) -> None:
    """An interrupted download: the bytes stop inside the UTF-8 bytes of 康 (卫生健康支出)."""
    data = sample_bytes[TONGNAN_2025]
    start = data.index("附件 2".encode())
    at = data.index("210\t卫生健康".encode(), start) + len("210\t卫生健".encode()) + 1
    run = run_ingest(write_folder({TONGNAN_2025: data[:at]}))
    record = run.file(TONGNAN_2025)
    assert record["status"] == "partial", record
    assert record["encoding"] == "utf-8"
    assert "re-download" in record["reason"]
    assert amounts(run, TONGNAN_2025, "2010350") == ["345.64", "353.13", "353.13"]
    assert_samples_intact(run, except_=[TONGNAN_2025])


def test_cut_inside_a_character_in_prose_is_partial(sample_bytes, write_folder, run_ingest) -> None:
    data = sample_bytes[TONGNAN_2025]
    at = data.index("（一）职能职责".encode()) + 40
    run = run_ingest(write_folder({TONGNAN_2025: data[:at]}, with_samples=False))
    record = run.file(TONGNAN_2025)
    assert record["status"] == "partial"
    assert "middle of a character" in record["reason"]


# --- not a disclosure -------------------------------------------------------------------------

ORDINARY_PROSE = (
    "春天来了，公园里的花都开了。孩子们在草地上奔跑，老人们坐在长椅上晒太阳、聊天。\n"
    "傍晚时分，湖面上泛起金色的光，远处传来悠扬的笛声，一天就这样慢慢过去了。\n"
)
PREDICATE_MENTION = (
    "今天单位开了一个会，讨论明年的工作安排。会上领导提到，2025年预算编制要提前准备，\n"
    "大家要认真学习有关文件。会后我们一起去食堂吃饭，午饭花了25元，饭菜很可口。\n"
    "晚上回家，妻子说这个月家里的开支超出了预算3000元，我们商量以后少在外面吃饭。\n"
)


def test_chinese_text_that_is_not_a_disclosure_is_rejected(
    write_folder, run_ingest, assert_samples_intact
) -> None:
    run = run_ingest(
        write_folder(
            {
                "essay.txt": ORDINARY_PROSE.encode("utf-8"),
                "diary.txt": PREDICATE_MENTION.encode("gb18030"),
            }
        )
    )
    for name in ("essay.txt", "diary.txt"):
        assert_rejected(run, name, "not a disclosure")
    assert not [f for f in run.landed["landed_prose_figures"] if "3000" in f["amount"]]
    assert_samples_intact(run)


def test_a_news_headline_about_a_budget_is_not_a_disclosure(write_folder, run_ingest) -> None:
    news = (
        "代表委员热议2025年预算\n\n"
        "本报讯 连日来，代表委员们围绕政府工作报告和预算报告展开热烈讨论。大家认为，今年的"
        "民生投入力度大，教育支出增长5.2%，群众获得感更强。\n"
    )
    run = run_ingest(write_folder({"news.txt": news.encode("utf-8")}, with_samples=False))
    assert run.file("news.txt")["status"] == "rejected"


# --- file names -------------------------------------------------------------------------------


def test_file_names_holding_line_breaks_commas_and_quotes_land_and_read_back(
    sample_bytes, write_folder, run_ingest
) -> None:
    """A file's name lands as it is, whatever it holds: a carriage return (left bare by
    Python 3.11's csv module, it read back as a line end and broke the row: DuckDB's reader,
    which loads the seeds, could not read landed_files.csv at all), a line feed, a comma, a
    quote. The landed files read back row for row with DuckDB, as the build loads them."""
    import duckdb

    names = ["cr\rname.txt", "lf\nname.txt", 'comma, "quoted".txt', "crlf\r\n.txt"]
    extra = {name: sample_bytes[WANZHOU_2021] + f"\n备注 {n}\n".encode()
             for n, name in enumerate(names)}
    run = run_ingest(write_folder(extra))
    for name in names:
        assert run.file(name)["status"] == "landed", name  # (republications of one)
    for table in ("landed_files", "landed_documents"):
        read = duckdb.sql(
            f"select source_file from read_csv('{run.out / (table + '.csv')}', header = true, "
            "all_varchar = true)").fetchall()
        assert sorted(row[0] for row in read) == sorted(
            row["source_file"] for row in run.landed[table]), table
        assert set(names) <= {row[0] for row in read}, table


# --- duplicates and republications ------------------------------------------------------------


def test_the_same_document_under_two_names_lands_once(
    sample_bytes, write_folder, run_ingest, assert_samples_intact
) -> None:
    copy = "zz_again/wanzhou_2021_copy.txt"
    run = run_ingest(write_folder({copy: sample_bytes[WANZHOU_2021]}))
    record = run.file(copy)
    assert record["status"] == "duplicate"
    assert record["duplicate_of"] == WANZHOU_2021
    assert record["document_id"] == run.document_id(WANZHOU_2021)
    assert record["sha256"] == run.file(WANZHOU_2021)["sha256"]
    assert [
        d["source_file"]
        for d in run.landed["landed_documents"]
        if d["document_id"] == record["document_id"]
    ] == [WANZHOU_2021]
    assert_samples_intact(run)


def _republished(sample_text: dict[str, str]) -> tuple[str, str]:
    """(original text, the same document with 2010350's 2025 figures changed 353.13 → 353.14)."""
    original = sample_text[TONGNAN_2025]
    row = "2010350\t事业运行\t345.64\t353.13\t353.13\t"
    assert original.count(row) == 1
    return original, original.replace(row, "2010350\t事业运行\t345.64\t353.14\t353.14\t")


def _current(run: Ingested, sources: list[str]) -> list[dict[str, str]]:
    docs = [d for d in run.landed["landed_documents"] if d["source_file"] in sources]
    assert len(docs) == len(sources)
    return [d for d in docs if d["is_superseded"] == "false"]


def test_a_republication_with_a_printed_date_supersedes_the_undated_one(
    sample_text, write_folder, run_ingest, assert_samples_intact
) -> None:
    _original, changed = _republished(sample_text)
    newer = "zz_republished.txt"
    # the undated original has the later file time: the printed date still wins
    run = run_ingest(
        write_folder(
            {newer: (changed + "\n\n2025年3月1日\n").encode()},
            mtimes={newer: 1_700_000_000, TONGNAN_2025: 1_800_000_000},
        )
    )
    for name in (newer, TONGNAN_2025):
        assert run.file(name)["status"] == "landed"
    current = _current(run, [newer, TONGNAN_2025])
    assert [d["source_file"] for d in current] == [newer]
    assert current[0]["published_date"] == "2025-03-01"
    assert current[0]["supersedes"] == run.document_id(TONGNAN_2025)
    assert "newer publication" in run.file(TONGNAN_2025)["reason"]
    assert run.file(newer)["reason"] == ""
    assert amounts(run, newer, "2010350") == ["345.64", "353.14", "353.14"]
    assert amounts(run, TONGNAN_2025, "2010350") == ["345.64", "353.13", "353.13"]
    assert_samples_intact(run, except_=[TONGNAN_2025])


def test_the_dated_original_supersedes_an_undated_changed_copy(
    sample_text, write_folder, run_ingest, assert_samples_intact
) -> None:
    original, changed = _republished(sample_text)
    dated = "zz_dated.txt"
    run = run_ingest(
        write_folder(
            {TONGNAN_2025: changed.encode(), dated: (original + "\n2025年3月1日\n").encode()},
            mtimes={dated: 1_700_000_000, TONGNAN_2025: 1_800_000_000},
        )
    )
    current = _current(run, [dated, TONGNAN_2025])
    assert [d["source_file"] for d in current] == [dated]
    assert amounts(run, dated, "2010350") == ["345.64", "353.13", "353.13"]
    assert_samples_intact(run, except_=[TONGNAN_2025])


def test_without_printed_dates_the_later_file_time_wins(
    sample_text, write_folder, run_ingest
) -> None:
    _original, changed = _republished(sample_text)
    for newer_name, mtimes in (
        ("zz_changed.txt", {"zz_changed.txt": 1_800_000_000, TONGNAN_2025: 1_700_000_000}),
        (TONGNAN_2025, {"zz_changed.txt": 1_700_000_000, TONGNAN_2025: 1_800_000_000}),
    ):
        folder = write_folder(
            {"zz_changed.txt": changed.encode()}, name=f"docs_{newer_name}", mtimes=mtimes
        )
        run = run_ingest(folder)
        current = _current(run, ["zz_changed.txt", TONGNAN_2025])
        assert [d["source_file"] for d in current] == [newer_name]


def test_a_cut_off_newer_copy_does_not_supersede_the_complete_document(
    sample_text, write_folder, run_ingest
) -> None:
    lines = _tongnan_lines(sample_text)
    row = line_index(lines, "30110\t", after="附件 3")
    cut = "\n".join(lines[: row + 1]) + "\n"
    run = run_ingest(
        write_folder(
            {"zz_cut_download.txt": cut.encode()},
            mtimes={"zz_cut_download.txt": 1_800_000_000, TONGNAN_2025: 1_700_000_000},
        )
    )
    assert [d["source_file"] for d in _current(run, ["zz_cut_download.txt", TONGNAN_2025])] == [
        TONGNAN_2025
    ]


# --- the command line -------------------------------------------------------------------------


def _cli(folder: Path, out: Path, *flags: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli_main,
        [
            "--docs",
            str(folder),
            "--out",
            str(out),
            "--report",
            str(out / "report.md"),
            "--quiet",
            *flags,
        ],
    )
    return result.exit_code, result.output


def test_strict_exits_4_on_a_rejection_and_0_without(write_folder, tmp_path) -> None:
    bad = write_folder({"empty.txt": b""}, name="bad")
    good = write_folder({}, name="good")
    code, output = _cli(bad, tmp_path / "a", "--strict")
    assert code == 4  # ExitCode.INGEST, as for `build --strict`
    assert "empty.txt" in output and "rejected" in output
    assert _cli(bad, tmp_path / "b")[0] == 0  # not strict: the rejection is reported only
    assert _cli(good, tmp_path / "c", "--strict")[0] == 0
    report = (tmp_path / "a" / "report.md").read_text(encoding="utf-8")
    assert "| empty.txt | rejected |" in report
    assert (tmp_path / "a" / "landed_table_cells.csv").read_bytes() == (
        tmp_path / "c" / "landed_table_cells.csv"
    ).read_bytes()


def test_python_dash_m_ingest_exit_codes(write_folder, tmp_path) -> None:
    bad = write_folder({"noise.pdf": b"%PDF-1.4 but nothing else"[::-1]}, name="bad")
    command = [
        sys.executable,
        "-m",
        "ingest",
        "--docs",
        str(bad),
        "--out",
        str(tmp_path / "out"),
        "--report",
        str(tmp_path / "r.md"),
        "--quiet",
    ]
    strict = subprocess.run(
        [*command, "--strict"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert strict.returncode == 4, strict.stderr  # ExitCode.INGEST, as for `build --strict`
    assert "noise.pdf" in strict.stderr
    lenient = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert lenient.returncode == 0, lenient.stderr
    assert "5 landed" in lenient.stderr and "1 rejected" in lenient.stderr


# --- the reader on its own --------------------------------------------------------------------


def test_decode_reports_repairs_and_reads_utf32(sample_text) -> None:
    text = sample_text[TONGNAN_2025]
    k = text.index("电子政务")  # a character boundary just before 电
    for encoding, label in (("utf-8", "utf-8"), ("gb18030", "gb18030"), ("utf-16-le", "utf-16")):
        data = text.encode(encoding)
        at = len(text[:k].encode(encoding)) + 1  # one byte into 电
        cut = decode_text(data[:at], f"cut.{encoding}")
        assert (cut.text, cut.encoding) == (text[:k], label)
        assert len(cut.problems) == 1 and "middle of a character" in cut.problems[0]
    utf8 = text.encode("utf-8")
    at = len(text[:k].encode("utf-8"))
    damaged = decode_text(utf8[:at] + b"\xff" + utf8[at:], "damaged.txt")
    assert damaged.text == text[:k] + "\ufffd" + text[k:]
    assert f"byte {at}" in damaged.problems[0] and "1 invalid" in damaged.problems[0]
    utf32 = decode_text(text.encode("utf-32"), "x.txt")
    assert (utf32.text, utf32.encoding, utf32.problems) == (text, "utf-32", ())
    clean = decode_text(utf8, "x.txt")
    assert (clean.encoding, clean.problems) == ("utf-8", ())


def test_decode_refuses_many_damaged_bytes_and_korean_read_as_gb18030(sample_text) -> None:
    utf8 = sample_text[TONGNAN_2025].encode("utf-8")
    noisy = b"".join(utf8[i : i + 200] + b"\xff" for i in range(0, len(utf8), 200))
    with pytest.raises(UnreadableDocument, match="not text"):
        decode_text(noisy, "noisy.txt")
    korean = WRONG_ENCODINGS["euc-kr.txt"]
    assert korean.decode("gb18030")  # it does decode as GB18030, into common characters …
    with pytest.raises(UnreadableDocument, match="EUC-KR"):  # … in an order no text has
        decode_text(korean, "korean.txt")
