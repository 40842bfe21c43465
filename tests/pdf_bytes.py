"""Small real PDFs written byte by byte, for the PDF readers' tests."""

from __future__ import annotations


def pdf_file(bodies: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of ``bodies`` as objects 1…n (object 1 the catalog) with its cross-reference
    table; ``trailer`` is added inside the trailer dictionary (e.g. ``/Encrypt``)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        trailer,
        xref,
    )
    return bytes(out)
