"""reports/index.html (charts as inline SVG) and reports/dbt_docs/index.html (dbt's static
docs): written by the build, opening offline, checked in headless Chromium when it is here."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from warehouse_build import Published

from warehouse.cli import cli
from warehouse.report import PAGE_ROWS, Section, render, split_pages, write_pages
from warehouse.svg_charts import Bar, RateBar, grouped_bars, rate_bars, stacked_bars

SECTIONS = ("classes", "years", "three-public", "execution", "reconciliation", "ingest")


class _Tags(HTMLParser):
    """Every start tag with its attributes (script bodies are data, not tags)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def network_references(html: str) -> list[str]:
    """src/href/srcset of tags that a browser would fetch from http(s) or a protocol-relative
    address (the SVG namespace is a name, not a fetch)."""
    found = []
    for tag, attrs in tags(html):
        for name in ("src", "href", "srcset", "data", "poster"):
            value = (attrs.get(name) or "").strip()
            if re.match(r"(https?:)?//", value) and not (tag == "a" and name == "href"):
                found.append(f"<{tag} {name}={value}>")
    found += [m.group(0) for m in re.finditer(r"@import\s+url\(\s*['\"]?https?:", html)]
    return found


# --- the charts on their own -----------------------------------------------------------------


def test_stacked_bars_draw_shares_and_escape_labels() -> None:
    svg = stacked_bars(
        [Bar("A区 <2023>", [("201 一般公共服务支出", 75), ("208 社会保障", 25)]),
         Bar("B区", [("201 一般公共服务支出", 1), ("208 社会保障", 0)])],
        title="shares", percent=True,
    )  # fmt: skip
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert "A区 &lt;2023&gt;" in svg and "<2023>" not in svg
    assert svg.count("<rect") == 2 + 3  # legend squares + bars with a value
    assert "A区 &lt;2023&gt; · 201 一般公共服务支出: 75.00 万元 (75.0%)" in svg
    widths = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="([\d.]+)" '
                                           r'height="16"', svg)]  # fmt: skip
    assert widths[0] == pytest.approx(3 * widths[1]) and widths[2] == pytest.approx(sum(widths[:2]))
    assert stacked_bars([], title="x") == ""


def test_grouped_bars_draw_each_figure() -> None:
    svg = grouped_bars(
        [Bar("局 2024", [("年初预算数", 10210.34), ("决算数", 9746.5)])], title="budget"
    )
    assert "局 2024 · 年初预算数: 10,210.34 万元" in svg and ">9,746.50<" in svg


def test_rate_bars_draw_rates_against_the_budget_line() -> None:
    svg = rate_bars(
        [
            RateBar("局 2024 合计", 0.9546, "决算 9,746.50 / 年初预算 10,210.34 万元"),
            RateBar("2080501 <离退休>", 1.25, indent=True),
        ],
        title="execution",
    )
    assert "局 2024 合计: 95.46% (决算 9,746.50 / 年初预算 10,210.34 万元)" in svg
    assert "2080501 &lt;离退休&gt;: 125.00%" in svg and "<离退休>" not in svg
    assert 'stroke-dasharray="4 3"' in svg  # the 100 % line
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height="16"', svg)]
    assert widths[1] == pytest.approx(widths[0] * 1.25 / 0.9546, abs=0.02)
    assert rate_bars([], title="x") == ""


# --- the report of the published warehouse -------------------------------------------------------


@pytest.fixture(scope="module")
def page(published: Published) -> str:
    return (published.reports / "index.html").read_text(encoding="utf-8")


@pytest.mark.e2e
def test_the_build_writes_a_report_with_every_chart(published: Published, page: str) -> None:
    assert f"report: {published.reports / 'index.html'} (6 charts)" in published.second.stdout
    # the objects gc.freeze leaves at exit (warehouse.memory.freeze_for_exit) are not reported
    assert "leaked" not in published.second.stderr
    for anchor in SECTIONS:
        assert f'<section id="{anchor}">' in page, anchor
    assert page.count("<svg ") == 6
    assert "<script" not in page
    assert network_references(page) == []


@pytest.mark.e2e
def test_the_report_shows_the_documents_figures(page: str) -> None:
    # budget against actual (mart_budget_execution): 规划和自然资源局 2024 final accounts, the
    # total of its prose and a 项 of its per-code statements beside its table's 决算
    assert "上海市普陀区规划和自然资源局 2024 合计 (年初预算): 95.46% (决算 9,746.50 / 年初预算 " \
           "10,210.34 万元)" in page  # fmt: skip
    assert "2120201 城乡社区规划与管理 (年初预算): 88.08% (决算 2,739.56 / 年初预算 3,110.14 万元)" \
           in page  # fmt: skip
    # 三公 of 大渡口 2023 budget: 合计 27.90 = 25.00 vehicle operation + 2.90 reception
    assert (
        "重庆市大渡口区人民政府办公室 2023 预算 (合计 27.90) · 公务用车运行维护费: 25.00 万元"
        in page
    )
    assert "公务接待费: 2.90 万元" in page
    # the unit published twice: 万州 2021 final accounts and 2023 budget
    assert "重庆市万州区党政信息中心 2021 决算 · 支出总计" in page
    assert "重庆市万州区党政信息中心 2023 预算 · 支出总计" in page
    # ingest coverage: the non-disclosure of the second build is rejected with its reason
    assert re.search(r"<td>meeting-notes\.txt</td><td>rejected</td>.*title", page)
    assert "9 file(s), 8 landed, 1 rejected" in page


@pytest.mark.e2e
def test_report_command_rebuilds_the_page(published: Published, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["report", "--warehouse", str(published.warehouse), "--reports", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {tmp_path / 'index.html'}: 6 charts, ")
    assert (tmp_path / "index.html").read_text(encoding="utf-8").count("<svg ") == 6


@pytest.mark.e2e
def test_dbt_docs_are_one_static_page_without_network(published: Published) -> None:
    page = (published.reports / "dbt_docs" / "index.html").read_text(encoding="utf-8")
    assert len(page) > 1_000_000  # manifest and catalog inlined
    assert "fct_three_public" in page and "persist_docs" in page
    assert network_references(page) == []
    scripts = [a for t, a in tags(page) if t == "script" and a.get("src")]
    assert scripts == []


# --- in a real browser ------------------------------------------------------------------------------


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def _headless(browser: str, url: str, profile: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            browser, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            "--disable-sync", "--disable-extensions", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
            "--virtual-time-budget=10000", *extra, url,
        ],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip


def _script_errors(stderr: str) -> list[str]:
    return [
        line for line in stderr.splitlines()
        if "CONSOLE" in line and ("Uncaught" in line or "Error" in line)
    ]  # fmt: skip


@pytest.mark.e2e
def test_the_report_renders_in_headless_chromium(published: Published, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (`apt-get install chromium`; .ci/run does it)")
    url = (published.reports / "index.html").as_uri()
    dom = _headless(browser, url, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-3000:]
    assert _script_errors(dom.stderr) == []
    svgs = re.findall(r"<svg\b.*?</svg>", dom.stdout, re.S)
    assert len(svgs) == 6
    assert all(svg.count("<rect") >= 2 for svg in svgs)
    shot = tmp_path / "report.png"
    result = _headless(browser, url, tmp_path / "profile2", "--window-size=1000,2400",
                       f"--screenshot={shot}")  # fmt: skip
    assert result.returncode == 0 and shot.is_file(), result.stderr[-3000:]
    from PIL import Image

    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    painted = sum(n for n, rgb in colours if rgb != (255, 255, 255))
    assert painted > 0.05 * 1000 * 2400, "the charts did not draw"
    assert any(rgb == (78, 121, 167) for _, rgb in colours)  # the first series' colour


@pytest.mark.e2e
def test_dbt_docs_render_offline_in_headless_chromium(published: Published, tmp_path: Path) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip("chromium is not installed (`apt-get install chromium`; .ci/run does it)")
    url = (published.reports / "dbt_docs" / "index.html").as_uri() + "#!/model/model." \
        "budget_warehouse.fct_three_public"  # fmt: skip
    dom = _headless(browser, url, tmp_path / "profile", "--dump-dom")
    assert dom.returncode == 0, dom.stderr[-3000:]
    assert _script_errors(dom.stderr) == []
    assert "fct_three_public" in dom.stdout
    assert (
        "expenditure (因公出国(境)费" in dom.stdout
    )  # the model's description, drawn by dbt's app


# --- dbt docs stand when nothing they show changed ------------------------------------------


def test_dbt_docs_are_generated_again_only_when_the_project_or_catalog_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The page shows the project and the catalog (relations, columns, types, comments; no row
    counts): new rows keep it, a new column, a comment or a replaced page do not."""
    import duckdb

    from warehouse import docs_step
    from warehouse.paths import BuildPaths

    paths = BuildPaths.create(docs=tmp_path, warehouse=tmp_path / "w.duckdb",
                              reports=tmp_path / "reports")  # fmt: skip
    generated: list[str] = []

    def generate(paths_: BuildPaths, database: Path) -> Path:
        page = paths_.reports / docs_step.DOCS_FOLDER / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f"page {len(generated)}", encoding="utf-8")
        generated.append(database.name)
        return page

    monkeypatch.setattr(docs_step, "generate_dbt_docs", generate)

    def run(sql: str = "") -> str:
        if sql:
            with duckdb.connect(str(paths.building)) as con:
                con.execute(sql)
        return docs_step._dbt_docs(paths, lambda _line: None)

    assert run("create schema marts; create table marts.t (a integer)") == "dbt docs generated"
    assert run() == "dbt docs unchanged"
    assert run("insert into marts.t select range from range(100)") == "dbt docs unchanged"
    assert run("create schema incremental; create table incremental.baseline (d varchar)") == (
        "dbt docs unchanged"  # written at publish, not a dbt relation
    )
    assert run("alter table marts.t add column b varchar") == "dbt docs generated"
    assert run("comment on column marts.t.b is 'what b is'") == "dbt docs generated"
    assert run("create view marts.v as select a from marts.t") == "dbt docs generated"
    assert run() == "dbt docs unchanged"
    (paths.reports / docs_step.DOCS_FOLDER / "index.html").write_text("edited", encoding="utf-8")
    assert run() == "dbt docs generated"
    assert len(generated) == 5


# --- large sections split into pages ------------------------------------------------------------


def _large_section(amounts: dict[str, int]) -> Section:
    """A section of one bar and one table row per unit (keys: the units)."""
    units = sorted(amounts)
    return Section(
        "three-public", "三公 by unit", "intro", "", ["unit", "amount 万元"],
        [(u, f"{amounts[u]:.2f}") for u in units],
        chart=lambda bars: stacked_bars(bars, title="三公 by unit"),
        bars=[Bar(u, [("公务接待费", amounts[u])]) for u in units],
        bar_keys=units, row_keys=units, key_name="units",
    )  # fmt: skip


def _page_names(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.html")}


def test_a_large_section_is_split_into_pages_cut_by_its_keys(tmp_path: Path) -> None:
    amounts = {f"单位{i:04d}": i for i in range(3000)}
    pages = split_pages(_large_section(amounts), limit=100, target=50, most=400)
    assert 20 < len(pages) < 200
    rows = [row for page in pages for row in page.section.table_rows]
    assert rows == _large_section(amounts).table_rows  # every row once, in order
    assert all(page.rows <= 400 for page in pages)
    assert all(len(page.section.bars) == page.rows for page in pages)
    small = {f"单位{i:04d}": i for i in range(PAGE_ROWS)}
    assert not split_pages(_large_section(small))  # PAGE_ROWS rows: on the report's page


def test_only_the_page_of_a_changed_row_is_drawn_again(tmp_path: Path) -> None:
    amounts = {f"单位{i:04d}": i for i in range(3000)}
    folder = tmp_path / "report"
    first = split_pages(_large_section(amounts), limit=100, target=50, most=400)
    assert write_pages(folder, first) == len(first)
    before = _page_names(folder)
    assert len(before) == len(first)
    assert write_pages(folder, first) == 0  # nothing changed: nothing drawn
    assert _page_names(folder) == before
    amounts["单位1234"] += 1  # one unit's figure changed
    del amounts["单位2000"]  # one unit gone
    changed = split_pages(_large_section(amounts), limit=100, target=50, most=400)
    drawn = write_pages(folder, changed)
    after = _page_names(folder)
    assert 2 <= drawn <= 4  # the pages of the two units (and where the next one starts)
    assert sum(before.get(n) != t for n, t in after.items()) == drawn
    page = next(p for p in changed if p.first <= "单位1234" <= p.last)
    html = (folder / page.name).read_text(encoding="utf-8")
    assert "单位1234 · 公务接待费: 1,235.00 万元" in html and "<td>单位1234</td>" in html
    assert network_references(html) == [] and "<script" not in html
    assert '<a href="../index.html#three-public">' in html


def test_the_report_lists_the_pages_of_a_split_section(tmp_path: Path) -> None:
    amounts = {f"单位{i:04d}": i for i in range(3000)}
    section = _large_section(amounts)
    pages = split_pages(section, limit=100, target=50, most=400)
    html = render([section], source="w.duckdb", built="now", counts="3000 documents",
                  pages={section.anchor: pages})
    assert html.count('<a href="report/') == len(pages)
    assert "3000 rows: the chart and figures in" in html
    assert "<svg" not in html  # the chart is on the pages
    whole = render([section], source="w.duckdb", built="now", counts="3000 documents")
    assert whole.count("<svg ") == 1 and whole.count("<tr>") == 3001
