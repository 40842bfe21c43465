"""Build orchestration for the budget disclosure warehouse.

``python -m warehouse build`` ingests the documents, validates the landed CSVs, runs
``dbt build`` into a fresh DuckDB file, validates the marts, writes the exports and publishes
the new file over the old one atomically. See :mod:`warehouse.build` for the steps.
"""
