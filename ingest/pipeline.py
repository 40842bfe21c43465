"""Ingest's API in one import: the per-document step (:mod:`ingest.document`: bytes in,
records out) and the batch step (:mod:`ingest.batch`: a folder in, landed files out, with
joins, duplicates and republications resolved). Import from those modules in new code."""

from ingest.batch import (
    IngestResult,
    IngestStats,
    default_jobs,
    discover,
    ingest_files,
    ingest_folder,
)
from ingest.document import (
    KIND_SHORT,
    DocumentRejected,
    DocumentResult,
    document_id_for,
    parse_document,
    parse_joined,
)
from ingest.land import LandedDocument

__all__ = [
    "KIND_SHORT",
    "DocumentRejected",
    "DocumentResult",
    "IngestResult",
    "IngestStats",
    "LandedDocument",
    "default_jobs",
    "discover",
    "document_id_for",
    "ingest_files",
    "ingest_folder",
    "parse_document",
    "parse_joined",
]
