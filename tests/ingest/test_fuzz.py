"""Fuzzing the reader with mutated real documents (hypothesis, bounded and derandomised).

Mutations: lines dropped, doubled, swapped, cut (at a line end or mid-line), random unicode
inserted, a table cell replaced, a line from another sample spliced in; then the text is
encoded (UTF-8, GB18030 or UTF-16) and bytes may be inserted or the file cut at any byte.

Properties:
- ``parse_document`` raises nothing but :class:`DocumentRejected`; ``ingest_files`` never
  raises and no file is rejected because a parser crashed;
- no figure appears that is not in the text: every landed amount of a table cell, prose figure,
  indicator target/weight and project amount (absolute value, as decimal text) occurs as a
  number in the normalised text of the mutated input — or is 0 for a fact stated in words
  (无车辆, 与上年持平);
- every landed row points at a line of the document.

Each test prints how many examples ran (``pytest -s`` shows it).
"""

from __future__ import annotations

import re

from conftest import RAW, SAMPLE_NAMES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.normalise import normalise_text
from ingest.pipeline import DocumentRejected, DocumentResult, ingest_files, parse_document
from ingest.read import read_document

TEXTS: dict[str, str] = {name: (RAW / name).read_text(encoding="utf-8") for name in SAMPLE_NAMES}
NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Words that state a zero without printing it: 无车辆, 没有政府性基金, 与上年持平.
ZERO_WORDS = ("无", "没有", "持平")
CRASH = "the parser failed"

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,  # the same examples on every run and machine
    database=None,  # nothing written next to the project
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- mutations ----------------------------------------------------------------------------

NUMBERISH = st.from_regex(r"-?\d{1,6}(\.\d{1,2})?%?", fullmatch=True)


@st.composite
def mutated_lines(draw: st.DrawFn, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        if not lines:
            break
        op = draw(
            st.sampled_from(
                ["drop", "double", "swap", "cut_line", "cut_mid", "unicode", "cell", "splice"]
            )
        )
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        if op == "drop":
            del lines[i]
        elif op == "double":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "cut_line":
            lines = lines[: i + 1]
        elif op == "cut_mid":
            k = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines = [*lines[:i], lines[i][:k]]
        elif op == "unicode":
            k = draw(st.integers(min_value=0, max_value=len(lines[i])))
            noise = draw(st.text(min_size=1, max_size=8))
            lines[i] = lines[i][:k] + noise + lines[i][k:]
        elif op == "cell":  # one cell of a table row replaced
            rows = [n for n, line in enumerate(lines) if "\t" in line]
            if not rows:
                continue
            i = draw(st.sampled_from(rows))
            cells = lines[i].split("\t")
            c = draw(st.integers(min_value=0, max_value=len(cells) - 1))
            cells[c] = draw(st.one_of(NUMBERISH, st.text(max_size=6)))
            lines[i] = "\t".join(cells)
        else:  # a line of another sample spliced in
            other = TEXTS[draw(st.sampled_from(SAMPLE_NAMES))].split("\n")
            lines.insert(i, other[draw(st.integers(min_value=0, max_value=len(other) - 1))])
    return lines


@st.composite
def mutated_document(draw: st.DrawFn) -> tuple[str, bytes]:
    """(sample it came from, the mutated bytes)."""
    name = draw(st.sampled_from(SAMPLE_NAMES))
    lines = draw(mutated_lines(TEXTS[name].split("\n")))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "gb18030", "utf-16"]))
    data = "\n".join(lines).encode(encoding, errors="replace")
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        op = draw(st.sampled_from(["insert_bytes", "cut_bytes"]))
        at = draw(st.integers(min_value=0, max_value=len(data)))
        if op == "insert_bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
        else:
            data = data[:at]
    return name, data


# --- properties -----------------------------------------------------------------------------


def numbers_in(data: bytes, source: str) -> tuple[set[str], int]:
    """The numbers printed in the normalised text of ``data``, and its line count."""
    lines = normalise_text(read_document(data, source).text)
    return set(NUMBER.findall("\n".join(lines))), len(lines)


def _magnitude(amount: str) -> str:
    return amount.lstrip("-+")


def invented_figures(result: DocumentResult, data: bytes, source: str) -> list[tuple]:
    """Landed amounts that are not numbers of the text, with where they came from."""
    numbers, line_count = numbers_in(data, source)
    bad: list[tuple] = []

    def check(kind: str, line: int, amount: str, words: str = "") -> None:
        if not 1 <= line <= line_count:
            bad.append((kind, line, amount, "line outside the document"))
        if not amount:
            return
        value = _magnitude(amount)
        if value in numbers:
            return
        if value == "0" and any(word in words for word in ZERO_WORDS):
            return
        bad.append((kind, line, amount, words[:60]))

    for cell in result.cells:
        check("cell", cell.line_number, cell.amount, cell.value_text)
    for figure in result.figures:
        check("prose", figure.line_number, figure.amount, figure.subject + figure.context)
    for indicator in result.indicators:
        check("indicator target", indicator.line_number, indicator.target_value)
        check("indicator weight", indicator.line_number, indicator.weight)
    for project in result.projects:
        for amount in (
            project.annual_budget,
            project.fiscal_appropriation,
            project.adjusted_budget,
            project.executed,
            project.execution_rate,
            project.score,
        ):
            check("project", project.line_number, amount)
    for row in result.unparsed:
        check("unparsed", row.line_number, "")
    return bad


def test_the_property_holds_on_the_unmutated_samples(divisions) -> None:
    """The oracle itself: on the published documents nothing is 'invented'."""
    landed = 0
    for name in SAMPLE_NAMES:
        data = (RAW / name).read_bytes()
        result = parse_document(data, name, divisions)
        assert invented_figures(result, data, name) == []
        landed += result.rows_landed
    assert landed > 800


def test_fuzz_parse_document(divisions) -> None:
    ran = {"examples": 0, "rejected": 0}

    @FUZZ
    @given(mutated_document())
    def check(document: tuple[str, bytes]) -> None:
        sample, data = document
        ran["examples"] += 1
        source = f"fuzz-{sample}"
        try:
            result = parse_document(data, source, divisions)
        except DocumentRejected as exc:
            ran["rejected"] += 1
            assert exc.reason.strip(), "a rejection needs a reason"
            return
        assert result.document.document_id
        assert invented_figures(result, data, source) == []

    check()
    print(f"\nfuzz parse_document: {ran['examples']} examples, {ran['rejected']} rejected")
    assert ran["examples"] >= 50


def test_fuzz_ingest_files(divisions) -> None:
    ran = {"examples": 0, "files": 0}

    @settings(FUZZ, max_examples=100)
    @given(st.lists(mutated_document(), min_size=1, max_size=4), st.booleans())
    def check(documents: list[tuple[str, bytes]], with_originals: bool) -> None:
        ran["examples"] += 1
        items = [
            (f"m{i}-{sample}", data, 1_700_000_000.0 + i)
            for i, (sample, data) in enumerate(documents)
        ]
        if with_originals:
            items += [(name, (RAW / name).read_bytes(), 1_600_000_000.0) for name in SAMPLE_NAMES]
        ran["files"] += len(items)
        files, results = ingest_files(items, divisions)  # never raises
        assert sorted(f.source_file for f in files) == sorted(source for source, _, _ in items)
        crashed = [f"{f.source_file}: {f.reason}" for f in files if f.reason.startswith(CRASH)]
        assert crashed == []
        by_source = {source: data for source, data, _ in items}
        for result in results:
            source = result.document.source_file
            assert invented_figures(result, by_source[source], source) == []
        if with_originals:  # the real documents land whatever sits next to them
            landed = {f.source_file: f for f in files}
            assert all(landed[name].status in ("landed", "duplicate") for name in SAMPLE_NAMES)

    check()
    print(f"\nfuzz ingest_files: {ran['examples']} examples, {ran['files']} files")
    assert ran["examples"] >= 30


def test_numbers_on_two_lines_are_not_joined_into_one_figure(divisions) -> None:
    name = next(n for n in SAMPLE_NAMES if "项目支出预算增加 0\n\n万元。" in TEXTS[n])
    text = TEXTS[name].replace("项目支出预算增加 0\n\n万元。", "项目支出预算增加 12\n\n34 万元。")
    data = text.encode("utf-8")
    result = parse_document(data, name, divisions)
    assert invented_figures(result, data, name) == []
