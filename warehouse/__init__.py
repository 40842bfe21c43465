"""Build orchestration for the budget disclosure warehouse.

``budget-warehouse build`` (``python -m warehouse build``) ingests the documents, validates the
landed CSVs, runs ``dbt build`` into a fresh DuckDB file, validates the marts, writes the
exports and publishes the new file over the old one atomically. See :mod:`warehouse.build`.
"""

__version__ = "0.1.0"
