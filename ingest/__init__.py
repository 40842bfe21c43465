"""Ingest: reads disclosures (text, HTML, PDF) and lands their figures as CSV files.

Importing the package puts the mypyc-compiled hot modules in use when their build is current
(``ingest/compiled.py``; ``make compiled`` builds them, ``INGEST_PURE=1`` keeps pure Python).
"""

from ingest.compiled import install

install()
