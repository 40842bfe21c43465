"""Where a build reads and writes: one frozen value computed from the command line."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
# <warehouse>.building-new: see BuildPaths.building (building_glob also finds the
# building-<pid> files of older builds)
BUILDING_SUFFIX = "building-new"


@dataclass(frozen=True)
class BuildPaths:
    """Every path one build touches. Derived paths carry the build's pid so that a crashed
    build's leftovers are recognisable and never collide with a running build's files."""

    project: Path  # the dbt project (dbt_project.yml, seeds/, models/)
    docs: Path  # documents folder to ingest
    warehouse: Path  # the published DuckDB file
    exports: Path  # exports/ (csv/, parquet/, manifest.json)
    reports: Path  # great-expectations data docs and result summaries
    pid: int

    @classmethod
    def create(
        cls,
        *,
        docs: Path,
        warehouse: Path,
        exports: Path | None = None,
        reports: Path | None = None,
        project: Path | None = None,
    ) -> BuildPaths:
        warehouse = warehouse.expanduser().resolve()
        return cls(
            project=(project or REPO_ROOT).resolve(),
            docs=docs.expanduser().resolve(),
            warehouse=warehouse,
            exports=(exports or warehouse.parent / "exports").expanduser().resolve(),
            reports=(reports or warehouse.parent / "reports" / "gx").expanduser().resolve(),
            pid=os.getpid(),
        )

    # --- the published warehouse and its siblings -------------------------------------------
    @property
    def warehouse_lock(self) -> Path:
        return self.warehouse.with_name(self.warehouse.name + ".lock")

    @property
    def building(self) -> Path:
        """The new DuckDB file dbt builds into; renamed over ``warehouse`` on success.

        Its name is the same in every build of this warehouse (not the pid's, as the other
        private paths: the warehouse lock makes it private all the same): dbt hashes the
        profile's path into its partial-parse state, and a new path each build made every
        build parse the whole project again (~6 s of an idle machine's dbt step)."""
        return self.warehouse.with_name(f"{self.warehouse.name}.{BUILDING_SUFFIX}")

    @property
    def building_glob(self) -> str:
        return f"{self.warehouse.name}.building-*"

    @property
    def exports_building(self) -> Path:
        return self.exports.with_name(f"{self.exports.name}.building-{self.pid}")

    @property
    def exports_glob(self) -> str:
        return f"{self.exports.name}.building-*"

    # --- the dbt project ---------------------------------------------------------------------
    @property
    def landed(self) -> Path:
        """seeds/landed: the landed CSVs dbt loads as seeds."""
        return self.project / "seeds" / "landed"

    @property
    def scratch(self) -> Path:
        """.build/: per-build working folders, dbt's target and logs, the project lock."""
        return self.project / ".build"

    @property
    def project_lock(self) -> Path:
        return self.scratch / "project.lock"

    @property
    def run_dir(self) -> Path:
        return self.scratch / f"run-{self.pid}"

    @property
    def landed_new(self) -> Path:
        """Where ingest lands this build's CSVs before they are validated and installed."""
        return self.run_dir / "landed"

    @property
    def landed_previous(self) -> Path:
        """Copy of seeds/landed/*.csv taken before installing; restored if the build fails."""
        return self.run_dir / "landed-previous"

    @property
    def landed_failed(self) -> Path:
        """The landed CSVs of the last failed build, kept for inspection."""
        return self.scratch / "failed" / "landed"

    @property
    def dbt_target(self) -> Path:
        return self.scratch / "dbt" / "target"

    @property
    def dbt_logs(self) -> Path:
        return self.scratch / "dbt" / "logs"
