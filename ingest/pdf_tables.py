"""Ruled tables from a page's edges: pdfplumber's ``lines`` strategy, without pdfminer.

These are pdfplumber's own pure table functions (``pdfplumber.table``, MIT licence: snap and
join the edges, find their intersections, the smallest cells the intersections close, group
touching cells into tables, cut a table into rows) with its default settings, restated here
so that the fast reader does not import pdfplumber (which imports pdfminer: 70 ms) and so that
the two quadratic scans (intersections to cells) use an index. Same inputs, same results,
same order; the oracle test in ``tests/ingest/test_read_pdf.py`` compares both readers' output.

An edge is a tuple ``(x0, top, x1, bottom, width, height, orientation)`` (orientation
``"h"`` or ``"v"``; pdfplumber's dict fields, carried the same way so that every float comes
out as pdfplumber computes it), coordinates from the page's top-left corner.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable
from operator import itemgetter

Edge = tuple[float, float, float, float, float, float, str]
BBox = tuple[float, float, float, float]
Point = tuple[float, float]

X0, TOP, X1, BOTTOM, WIDTH, HEIGHT, ORIENTATION = range(7)

SNAP_TOLERANCE = 3
JOIN_TOLERANCE = 3
EDGE_MIN_LENGTH = 3
EDGE_MIN_LENGTH_PREFILTER = 1
INTERSECTION_TOLERANCE = 3


def filter_edges(edges: Iterable[Edge], orientation: str | None = None,
                 min_length: float = 1) -> list[Edge]:
    return [e for e in edges
            if (orientation is None or e[ORIENTATION] == orientation)
            and (e[HEIGHT] if e[ORIENTATION] == "v" else e[WIDTH]) >= min_length]


def snap_objects(objs: list[Edge], attr: int, tolerance: float) -> list[Edge]:
    """Edges within ``tolerance`` of each other (chained) moved to their mean ``attr``
    (``X0`` for vertical edges, ``TOP`` for horizontal ones)."""
    if not objs:
        return []
    cluster_of: dict[float, int] = {}
    number = 0
    last: float | None = None
    for v in sorted({o[attr] for o in objs}):
        if last is not None and not v <= last + tolerance:
            number += 1
        cluster_of[v] = number
        last = v
    # the edges of each cluster in their order, the clusters in value order (what a stable
    # sort by cluster and a groupby give)
    clusters: dict[int, list[Edge]] = {}
    for o in objs:
        members = clusters.get(cluster_of[o[attr]])
        if members is None:
            clusters[cluster_of[o[attr]]] = [o]
        else:
            members.append(o)
    out: list[Edge] = []
    for number in sorted(clusters):
        members = clusters[number]
        mean = sum(o[attr] for o in members) / len(members)
        if attr == X0:
            for o in members:
                shift = mean - o[X0]
                out.append((o[X0] + shift, o[TOP], o[X1] + shift, o[BOTTOM], o[WIDTH],
                            o[HEIGHT], o[ORIENTATION]))
        else:
            for o in members:
                shift = mean - o[TOP]
                out.append((o[X0], o[TOP] + shift, o[X1], o[BOTTOM] + shift, o[WIDTH],
                            o[HEIGHT], o[ORIENTATION]))
    return out


def join_edge_group(edges: Iterable[Edge], orientation: str, tolerance: float) -> list[Edge]:
    """Edges on one line joined where they meet or nearly meet (``resize_object``'s
    arithmetic kept: a horizontal edge's width is x1 - x0, a vertical one's height grows by
    the difference)."""
    horizontal = orientation == "h"
    low, high = (X0, X1) if horizontal else (TOP, BOTTOM)
    sorted_edges = sorted(edges, key=itemgetter(low))
    joined = [sorted_edges[0]]
    for e in sorted_edges[1:]:
        last = joined[-1]
        if e[low] <= last[high] + tolerance:
            if e[high] > last[high]:
                if horizontal:
                    joined[-1] = (last[X0], last[TOP], e[X1], last[BOTTOM], e[X1] - last[X0],
                                  last[HEIGHT], last[ORIENTATION])
                else:
                    joined[-1] = (last[X0], last[TOP], last[X1], e[BOTTOM], last[WIDTH],
                                  last[HEIGHT] + (e[BOTTOM] - last[BOTTOM]), last[ORIENTATION])
        else:
            joined.append(e)
    return joined


_BY_X0, _BY_TOP = itemgetter(X0), itemgetter(TOP)


def merge_edges(edges: list[Edge]) -> list[Edge]:
    """Snapped and joined, grouped as pdfplumber groups them (sorted by orientation, then
    top or x0: the horizontal edges by top, then the vertical ones by x0, each sort stable)."""
    v = snap_objects([e for e in edges if e[ORIENTATION] == "v"], X0, SNAP_TOLERANCE)
    h = snap_objects([e for e in edges if e[ORIENTATION] == "h"], TOP, SNAP_TOLERANCE)
    out: list[Edge] = []
    for orientation, group, key in (("h", h, _BY_TOP), ("v", v, _BY_X0)):
        for _, items in itertools.groupby(sorted(group, key=key), key=key):
            out.extend(join_edge_group(items, orientation, JOIN_TOLERANCE))
    return out


Corners = dict[Point, tuple[set[int], set[int]]]


def edges_to_intersections(edges: list[Edge], tolerance: float = INTERSECTION_TOLERANCE
                           ) -> Corners:
    """Where a vertical and a horizontal edge cross (within ``tolerance``), with the vertical
    and the horizontal edges through the point: pdfplumber keeps the edges and only ever
    compares their boxes, so each distinct box is kept as a number (one number per box,
    whatever its edges: the sets meet exactly where pdfplumber's do, and a number hashes
    at once where a box of four floats is hashed at every look-up)."""
    found: Corners = {}
    number_of: dict[tuple[float, ...], int] = {}
    h_edges = sorted((e for e in edges if e[ORIENTATION] == "h"), key=itemgetter(TOP, X0))
    h_tops = [h[TOP] for h in h_edges]
    h_numbers = [number_of.setdefault(h[:4], len(number_of)) for h in h_edges]
    for v in (e for e in edges if e[ORIENTATION] == "v"):
        vx, vtop, vbottom = v[X0], v[TOP], v[BOTTOM]
        # v.top <= h.top + tol and v.bottom >= h.top - tol
        start = bisect.bisect_left(h_tops, vtop - tolerance)
        stop = bisect.bisect_right(h_tops, vbottom + tolerance)
        v_number = number_of.setdefault(v[:4], len(number_of))
        low = max(start - 1, 0)
        for h, h_number in zip(h_edges[low:stop + 1], h_numbers[low:stop + 1], strict=True):
            htop = h[TOP]
            if (vtop <= htop + tolerance and vbottom >= htop - tolerance
                    and vx >= h[X0] - tolerance and vx <= h[X1] + tolerance):
                vertex = (vx, htop)
                sets = found.get(vertex)
                if sets is None:
                    sets = found[vertex] = (set(), set())
                sets[0].add(v_number)
                sets[1].add(h_number)
    return found


def intersections_to_cells(intersections: Corners) -> list[BBox]:
    """The smallest cell closed at each intersection (pdfplumber's search; points directly
    below and to the right found through an index instead of a scan of every later point).

    pdfplumber's ``edge_connects(p1, p2)`` is spelled out: two points of one column (same x)
    are connected when a vertical edge runs through both, two of one row by a horizontal
    edge; a point below is in the same column, a point to the right in the same row, and the
    bottom-right corner shares its column with the point to the right and its row with the
    point below.
    """
    points = sorted(intersections)
    count = len(points)
    sets = [intersections[pt] for pt in points]
    # points sorted by x, then y: a column is a run of them; a row, the points of one y in
    # x order (as numbers into ``points``); the corner below-right found by its row and x
    column_end = [0] * count
    end = count
    for k in range(count - 1, -1, -1):
        if k + 1 < count and points[k + 1][0] != points[k][0]:
            end = k + 1
        column_end[k] = end
    rows: dict[float, list[int]] = {}
    for k, (_, y) in enumerate(points):
        rows.setdefault(y, []).append(k)
    place_in_row = [0] * count
    at_x: dict[float, dict[float, int]] = {}  # y -> x -> number
    for y, row in rows.items():
        at_x[y] = {points[k][0]: k for k in row}
        for i, k in enumerate(row):
            place_in_row[k] = i
    cells: list[BBox] = []
    # an edge through pt and a point further down its column (right along its row) runs
    # through every point between them: the scans stop at the first point no edge through
    # pt reaches (pdfplumber's scan skips it and every later one finds none either)
    for k in range(count - 1):
        vertical, horizontal = sets[k]
        x, y = points[k]
        row = rows[y]
        after = place_in_row[k] + 1
        cell = None
        for below in range(k + 1, column_end[k]):
            below_vertical, below_horizontal = sets[below]
            if vertical.isdisjoint(below_vertical):
                break
            corners = at_x[points[below][1]]
            for i in range(after, len(row)):
                right = row[i]
                right_vertical, right_horizontal = sets[right]
                if horizontal.isdisjoint(right_horizontal):
                    break
                right_x = points[right][0]
                corner_number = corners.get(right_x)
                if corner_number is not None:
                    corner = sets[corner_number]
                    if (not corner[0].isdisjoint(right_vertical)
                            and not corner[1].isdisjoint(below_horizontal)):
                        cell = (x, y, right_x, points[below][1])
                        break
            if cell is not None:
                break
        if cell is not None:
            cells.append(cell)
    return cells


def cells_to_tables(cells: list[BBox]) -> list[list[BBox]]:
    """Cells grouped into tables by shared corners, top-left table first, single cells left
    out. pdfplumber grows each table by repeated passes over the remaining cells; the tables
    are the same connected groups, found here in one pass over the corners (a table's cell
    order does not matter: its rows are sorted from the cells, and no two cells share a
    top-left corner)."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_at: dict[Point, int] = {}
    setdefault = first_at.setdefault
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = setdefault(corner, i)
            if j != i:
                a = i if parent[i] == i else root(i)  # root(), its call saved for a root
                b = j if parent[j] == j else root(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[BBox]] = {}
    for i, cell in enumerate(cells):
        groups.setdefault(i if parent[i] == i else root(i), []).append(cell)
    tables = sorted(groups.values(), key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


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


def closing_edges(edges: Iterable[Edge]) -> list[Edge]:
    """Horizontal rules a table cut by a page break leaves undrawn.

    A ruled table continued from the previous page often starts without its top rule (and
    one continued on the next page ends without its bottom rule): the page's uppermost row
    is drawn by its vertical rules only, and no cell closes, so the row is read as loose
    text beside the table. When at least two vertical rules rise above every horizontal rule
    of the page to the same height (within the snap tolerance), the missing rule is drawn
    across them at that height; likewise below the lowest horizontal rule. Nothing is added
    on a page whose rules already close every row.
    """
    return _closing(*_split(list(edges)))


def _split(edges: list[Edge]) -> tuple[list[Edge], list[Edge]]:
    """The vertical and the horizontal edges past the table finder's pre-filter
    (:func:`filter_edges` of each orientation, spelled out: a vertical edge's length is its
    height, a horizontal one's its width)."""
    least = EDGE_MIN_LENGTH_PREFILTER
    return ([e for e in edges if e[6] == "v" and e[5] >= least],
            [e for e in edges if e[6] == "h" and e[4] >= least])


def _closing(v: list[Edge], h: list[Edge]) -> list[Edge]:
    """:func:`closing_edges` of the page's vertical and horizontal edges."""
    if len(v) < 2 or not h:
        return []
    highest = min(e[TOP] for e in h)
    lowest = max(e[BOTTOM] for e in h)
    out: list[Edge] = []
    for ends, beyond in (
        ([e for e in v if e[TOP] < highest - SNAP_TOLERANCE], TOP),
        ([e for e in v if e[BOTTOM] > lowest + SNAP_TOLERANCE], BOTTOM),
    ):
        if len(ends) < 2:
            continue
        at = min(e[beyond] for e in ends) if beyond == TOP else max(e[beyond] for e in ends)
        level = [e for e in ends if abs(e[beyond] - at) <= SNAP_TOLERANCE]
        if len({round(e[X0]) for e in level}) < 2:
            continue
        x0 = min(e[X0] for e in level)
        x1 = max(e[X0] for e in level)
        out.append((x0, at, x1, at, x1 - x0, 0.0, "h"))
    return out


def find_tables(edges: list[Edge], extra_horizontal: Iterable[Edge] = ()
                ) -> list[tuple[BBox, list[tuple[BBox | None, ...]]]]:
    """The page's ruled tables as (bbox, rows), top to bottom — ``page.find_tables()``;
    ``extra_horizontal`` are pdfplumber's ``explicit_horizontal_lines`` (edges)."""
    v, h = _split(edges)
    return _find(v, h, list(extra_horizontal))


def page_tables(edges: list[Edge]) -> list[tuple[BBox, list[tuple[BBox | None, ...]]]]:
    """``find_tables(edges, closing_edges(edges))``, the edges split by orientation once."""
    v, h = _split(edges)
    return _find(v, h, _closing(v, h))


def _find(v: list[Edge], h: list[Edge], extra_horizontal: list[Edge]
          ) -> list[tuple[BBox, list[tuple[BBox | None, ...]]]]:
    base = v + h + extra_horizontal
    extra_v = sum(1 for e in extra_horizontal if e[ORIENTATION] == "v")
    if len(v) + extra_v < 2 or len(h) + sum(
            1 for e in extra_horizontal if e[ORIENTATION] == "h") < 2:
        return []  # a cell needs two edges of each orientation (snapping and joining only
        # ever keep or merge edges)
    merged = filter_edges(merge_edges(base), None, EDGE_MIN_LENGTH)
    cells = intersections_to_cells(edges_to_intersections(merged))
    out = []
    for table in cells_to_tables(cells):
        bbox = (min(c[0] for c in table), min(c[1] for c in table),
                max(c[2] for c in table), max(c[3] for c in table))
        out.append((bbox, table_rows(table)))
    return out
