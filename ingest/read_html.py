"""HTML / JSP pages → text lines, with the standard library's HTML parser.

A disclosure published as a web page usually holds the whole document in one element, after
the site's furniture (breadcrumbs, metadata, 打印/纠错). The page is read as a browser would show
it: scripts, styles and the ``<head>`` dropped; ``<br>``, ``<p>`` and every block element end a
line; a table row is one line of tab-separated cells (a ``<br>`` inside a cell is a space);
entities decoded. Identification skips the furniture. A table drawn as an image (a ``<table>``
holding images and no text, or an image right under a table title) cannot be read: it is
reported in :attr:`DecodedText.problems` so the document lands as ``partial``.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from ingest.read import DecodedText, decode_text

_DROPPED = frozenset({"script", "style", "noscript", "template", "head", "iframe", "svg", "object"})
_BLOCKS = frozenset({
    "p", "div", "br", "li", "ul", "ol", "dl", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tfoot", "caption", "section", "article", "header", "footer",
    "nav", "aside", "main", "blockquote", "pre", "hr", "form", "center", "address", "figure",
    "figcaption", "body", "html",
})
_VOID = frozenset({"br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u3000]+")
_TABLE_TITLE = re.compile(r"表|附件\s*\d+")


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self._line: list[str] = []
        self._dropped = 0  # depth inside script/style/head…
        self._pre = 0
        self._row: list[str] | None = None  # cells of the table row being read
        self._cell: list[str] | None = None
        self._tables: list[dict[str, int]] = []  # per open table: text chars, images, first line
        self.image_tables: list[int] = []  # line numbers of tables printed as images
        self.image_lines: list[int] = []  # images right under a table title

    # --- text ------------------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self._dropped:
            return
        text = data if self._pre else _SPACES.sub(" ", data)
        if self._tables and text.strip():
            self._tables[-1]["chars"] += len(text.strip())
        if self._cell is not None:
            self._cell.append(text)
        else:
            self._line.append(text)

    def _end_line(self) -> None:
        if self._row is not None:
            return  # inside a table row: cells end at </tr>
        text = "".join(self._line)
        text = text.strip() if not self._pre else text.rstrip()
        self._line = []
        if text:
            self.lines.append(text)

    # --- tags ------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            if tag not in _VOID:
                self._dropped += 1
            return
        if self._dropped:
            return
        if tag == "pre":
            self._end_line()
            self._pre += 1
        elif tag == "table":
            self._end_line()
            self._tables.append({"chars": 0, "images": 0, "line": len(self.lines) + 1})
        elif tag == "tr":
            self._end_line()
            self._row = []
        elif tag in ("td", "th"):
            if self._row is None:
                self._row = []
            self._close_cell()
            self._cell = []
        elif tag == "br":
            if self._cell is not None:
                self._cell.append(" ")
            else:
                self._end_line()
        elif tag == "img":
            if self._tables:
                self._tables[-1]["images"] += 1
            elif self.lines and _TABLE_TITLE.search(self.lines[-1]) and len(self.lines[-1]) <= 40:
                self.image_lines.append(len(self.lines) + 1)
        elif tag in _BLOCKS:
            if self._cell is not None:
                self._cell.append(" ")
            else:
                self._end_line()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            if tag not in _VOID:
                self._dropped = max(0, self._dropped - 1)
            return
        if self._dropped:
            return
        if tag == "pre":
            self._end_line()
            self._pre = max(0, self._pre - 1)
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table":
            self._close_row()
            if self._tables:
                table = self._tables.pop()
                if table["images"] and not table["chars"]:
                    self.image_tables.append(table["line"])
        elif tag in _BLOCKS:
            if self._cell is not None:
                self._cell.append(" ")
            else:
                self._end_line()

    def _close_cell(self) -> None:
        if self._cell is not None and self._row is not None:
            self._row.append(_SPACES.sub(" ", "".join(self._cell)).strip())
        self._cell = None

    def _close_row(self) -> None:
        self._close_cell()
        if self._row is not None:
            cells = self._row
            self._row = None
            if any(cells):
                if self._line and "".join(self._line).strip():
                    self._end_line()
                self._line = []
                self.lines.append("\t".join(cells))

    def close(self) -> None:
        super().close()
        self._close_row()
        self._end_line()


def looks_like_html(data: bytes) -> bool:
    """The bytes start like an HTML page (``<!DOCTYPE html``, ``<html``, or an XML declaration
    followed by one), whatever the file is called."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if head.startswith(b"<?xml"):
        head = head[head.find(b"?>") + 2:].lstrip()
    if head.startswith((b"<!doctype html", b"<html")):
        return True
    # a JSP/ASP page or a fragment: markup first and a body somewhere
    return head.startswith(b"<") and b"<body" in data[:200_000].lower()


def read_html(data: bytes, source: str) -> DecodedText:
    """A web page's visible text as lines (see the module docstring)."""
    decoded = decode_text(data, source)
    parser = _PageText()
    parser.feed(decoded.text)
    parser.close()
    problems = list(decoded.problems)
    images = sorted(set(parser.image_tables + parser.image_lines))
    if images:
        listed = ", ".join(str(n) for n in images)
        problems.append(
            f"{len(images)} table(s) printed as images (near line(s) {listed}): their figures "
            "cannot be read from the page; supply the PDF or a text copy of the tables"
        )
    return DecodedText(
        text="\n".join(parser.lines),
        encoding=decoded.encoding,
        problems=tuple(problems),
    )
