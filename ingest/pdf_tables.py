"""Ruled tables from a page's edges: pdfplumber's ``lines`` strategy, without pdfminer.

These are pdfplumber's own pure table functions (``pdfplumber.table``, MIT licence: snap and
join the edges, find their intersections, the smallest cells the intersections close, group
touching cells into tables, cut a table into rows) with its default settings, restated here
so that the fast reader does not import pdfplumber (which imports pdfminer: 70 ms) and so that
the two quadratic scans (intersections to cells) use an index. Same inputs, same results,
same order; the oracle test in ``tests/test_read_pdf.py`` compares both readers' output.

An edge is a dict with ``x0``, ``x1``, ``top``, ``bottom``, ``width``, ``height`` and
``orientation`` (``"h"`` or ``"v"``), coordinates from the page's top-left corner.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from operator import itemgetter

Edge = dict[str, object]
BBox = tuple[float, float, float, float]
Point = tuple[float, float]

SNAP_TOLERANCE = 3
JOIN_TOLERANCE = 3
EDGE_MIN_LENGTH = 3
EDGE_MIN_LENGTH_PREFILTER = 1
INTERSECTION_TOLERANCE = 3


def filter_edges(edges: Iterable[Edge], orientation: str | None = None,
                 min_length: float = 1) -> list[Edge]:
    out = []
    for e in edges:
        dim = "height" if e["orientation"] == "v" else "width"
        if (orientation is None or e["orientation"] == orientation) and e[dim] >= min_length:  # type: ignore[operator]
            out.append(e)
    return out


def _cluster_numbers(values: Iterable[float], tolerance: float) -> dict[float, int]:
    cluster_of: dict[float, int] = {}
    number = 0
    last: float | None = None
    for v in sorted(set(values)):
        if last is not None and not v <= last + tolerance:
            number += 1
        cluster_of[v] = number
        last = v
    return cluster_of


def snap_objects(objs: list[Edge], attr: str, tolerance: float) -> list[Edge]:
    """Objects within ``tolerance`` of each other (chained) moved to their mean ``attr``."""
    if not objs:
        return []
    keys = ("x0", "x1") if attr in ("x0", "x1") else ("top", "bottom")
    cluster_of = _cluster_numbers((o[attr] for o in objs), tolerance)  # type: ignore[misc]
    ordered = sorted(objs, key=lambda o: cluster_of[o[attr]])  # type: ignore[index]
    out: list[Edge] = []
    for _, group in itertools.groupby(ordered, key=lambda o: cluster_of[o[attr]]):  # type: ignore[index]
        members = list(group)
        mean = sum(o[attr] for o in members) / len(members)  # type: ignore[misc]
        for o in members:
            shift = mean - o[attr]  # type: ignore[operator]
            moved = dict(o)
            moved[keys[0]] = o[keys[0]] + shift  # type: ignore[operator]
            moved[keys[1]] = o[keys[1]] + shift  # type: ignore[operator]
            out.append(moved)
    return out


def join_edge_group(edges: Iterable[Edge], orientation: str, tolerance: float) -> list[Edge]:
    min_prop, max_prop, size = ("x0", "x1", "width") if orientation == "h" else (
        "top", "bottom", "height")
    sorted_edges = sorted(edges, key=itemgetter(min_prop))
    joined = [sorted_edges[0]]
    for e in sorted_edges[1:]:
        last = joined[-1]
        if e[min_prop] <= last[max_prop] + tolerance:  # type: ignore[operator]
            if e[max_prop] > last[max_prop]:  # type: ignore[operator]
                grown = dict(last)  # pdfplumber's resize_object, to the same float
                grown[max_prop] = e[max_prop]
                if orientation == "h":
                    grown[size] = e[max_prop] - last[min_prop]  # type: ignore[operator]
                else:
                    grown[size] = last[size] + (e[max_prop] - last[max_prop])  # type: ignore[operator]
                joined[-1] = grown
        else:
            joined.append(e)
    return joined


def merge_edges(edges: list[Edge]) -> list[Edge]:
    v = snap_objects([e for e in edges if e["orientation"] == "v"], "x0", SNAP_TOLERANCE)
    h = snap_objects([e for e in edges if e["orientation"] == "h"], "top", SNAP_TOLERANCE)

    def group(edge: Edge) -> tuple[str, float]:
        return ("h", edge["top"]) if edge["orientation"] == "h" else ("v", edge["x0"])  # type: ignore[return-value]

    out: list[Edge] = []
    for key, items in itertools.groupby(sorted(v + h, key=group), key=group):
        out.extend(join_edge_group(items, key[0], JOIN_TOLERANCE))
    return out


def edges_to_intersections(edges: list[Edge], tolerance: float = INTERSECTION_TOLERANCE
                           ) -> dict[Point, dict[str, list[Edge]]]:
    intersections: dict[Point, dict[str, list[Edge]]] = {}
    v_edges = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    h_edges = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    for v in v_edges:
        vx, vtop, vbottom = v["x0"], v["top"], v["bottom"]
        for h in h_edges:
            htop = h["top"]
            if (vtop <= htop + tolerance and vbottom >= htop - tolerance  # type: ignore[operator]
                    and vx >= h["x0"] - tolerance and vx <= h["x1"] + tolerance):  # type: ignore[operator]
                vertex = (vx, htop)
                found = intersections.setdefault(vertex, {"v": [], "h": []})  # type: ignore[arg-type]
                found["v"].append(v)
                found["h"].append(h)
    return intersections


def _bbox(edge: Edge) -> BBox:
    return (edge["x0"], edge["top"], edge["x1"], edge["bottom"])  # type: ignore[return-value]


def intersections_to_cells(intersections: dict[Point, dict[str, list[Edge]]]) -> list[BBox]:
    """The smallest cell closed at each intersection (pdfplumber's search; points directly
    below and to the right found through an index instead of a scan of every later point)."""
    v_sets = {p: {_bbox(e) for e in found["v"]} for p, found in intersections.items()}
    h_sets = {p: {_bbox(e) for e in found["h"]} for p, found in intersections.items()}

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not v_sets[p1].isdisjoint(v_sets[p2]):
            return True
        return p1[1] == p2[1] and not h_sets[p1].isdisjoint(h_sets[p2])

    points = sorted(intersections)
    columns: dict[float, list[Point]] = {}
    rows: dict[float, list[Point]] = {}
    for pt in points:  # in sorted order: a column by y, a row by x
        columns.setdefault(pt[0], []).append(pt)
        rows.setdefault(pt[1], []).append(pt)
    place_in_column = {pt: i for col in columns.values() for i, pt in enumerate(col)}
    place_in_row = {pt: i for row in rows.values() for i, pt in enumerate(row)}
    cells: list[BBox] = []
    for i, pt in enumerate(points):
        if i == len(points) - 1:
            break
        below = columns[pt[0]][place_in_column[pt] + 1:]
        right = rows[pt[1]][place_in_row[pt] + 1:]
        cell = _smallest_cell(pt, below, right, intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(pt: Point, below: Sequence[Point], right: Sequence[Point],
                   intersections: dict[Point, dict[str, list[Edge]]],
                   connects: object) -> BBox | None:
    for below_pt in below:
        if not connects(pt, below_pt):  # type: ignore[operator]
            continue
        for right_pt in right:
            if not connects(pt, right_pt):  # type: ignore[operator]
                continue
            bottom_right = (right_pt[0], below_pt[1])
            if (bottom_right in intersections and connects(bottom_right, right_pt)  # type: ignore[operator]
                    and connects(bottom_right, below_pt)):  # type: ignore[operator]
                return (pt[0], pt[1], bottom_right[0], bottom_right[1])
    return None


def cells_to_tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables by shared corners (pdfplumber's order and filtering)."""

    def corners(bbox: BBox) -> tuple[Point, Point, Point, Point]:
        x0, top, x1, bottom = bbox
        return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))

    remaining = list(cells)
    current_corners: set[Point] = set()
    current: list[BBox] = []
    tables: list[list[BBox]] = []
    while remaining:
        before = len(current)
        for cell in list(remaining):
            cell_corners = corners(cell)
            if not current or any(c in current_corners for c in cell_corners):
                current_corners |= set(cell_corners)
                current.append(cell)
                remaining.remove(cell)
        if len(current) == before:
            tables.append(list(current))
            current_corners.clear()
            current.clear()
    if current:
        tables.append(list(current))
    ordered = sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in ordered if len(t) > 1]


def table_rows(cells: list[BBox]) -> list[tuple[BBox | None, ...]]:
    """The table's rows top to bottom, one slot per distinct cell left edge (``None`` where
    a cell merged from the left or from above covers it)."""
    ordered = sorted(cells, key=itemgetter(1, 0))
    xs = sorted({cell[0] for cell in cells})
    out = []
    for _, row_cells in itertools.groupby(ordered, itemgetter(1)):
        by_x = {cell[0]: cell for cell in row_cells}
        out.append(tuple(by_x.get(x) for x in xs))
    return out


def find_tables(edges: list[Edge]) -> list[tuple[BBox, list[tuple[BBox | None, ...]]]]:
    """The page's ruled tables as (bbox, rows), top to bottom — ``page.find_tables()``."""
    base = (filter_edges(edges, "v", EDGE_MIN_LENGTH_PREFILTER)
            + filter_edges(edges, "h", EDGE_MIN_LENGTH_PREFILTER))
    if not base:
        return []
    merged = filter_edges(merge_edges(base), None, EDGE_MIN_LENGTH)
    cells = intersections_to_cells(edges_to_intersections(merged))
    out = []
    for table in cells_to_tables(cells):
        bbox = (min(c[0] for c in table), min(c[1] for c in table),
                max(c[2] for c in table), max(c[3] for c in table))
        out.append((bbox, table_rows(table)))
    return out
