"""great-expectations suites for the warehouse and the runner that validates them.

Two suites:

* ``landed`` (:mod:`expectations.landed_suite`) checks the CSV files ingest lands, before dbt
  loads them: column contract, code and amount formats, every row tied to a landed document.
* ``marts`` (:mod:`expectations.marts_suite`) checks the analysts' tables in a built warehouse:
  contract grains unique, money non-negative where it cannot be negative, every code and
  document known to the dimensions, headline figures consistent with each other.

Checks are plain data (:mod:`expectations.checks`); :mod:`expectations.runner` turns them into
GX expectation suites, validates pandas frames read with DuckDB (never GX's SQL datasource,
which does not work on DuckDB) and writes data docs HTML under ``reports/gx/``.
"""
