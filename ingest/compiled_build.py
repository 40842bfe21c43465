"""Builds ingest's hot modules with mypyc into ``.build/mypyc/`` (``make compiled``).

Run with the interpreter of ``.venv-mypyc`` (mypy and mypyc, pinned in
``requirements-mypyc.txt``, kept out of the project's venv: mypy 2.x needs a ``pathspec`` that
dbt-core refuses), from the project's root::

    .venv-mypyc/bin/python -m ingest.compiled_build

The build is made in a fresh folder beside ``.build/mypyc`` and moved into place whole, the
manifest last written: a failed or interrupted build leaves the previous build, or none, never
half of one. ``ingest/compiled.py`` loads the modules only while the manifest's digests are
those of the ``.py`` files (``ingest.compiled.MODULES`` is the list, shared by both) and of
the C extensions' ``.c`` files built with them (``ingest.compiled.C_SOURCES``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from ingest.compiled import (
    BUILD,
    BUILT,
    C_SOURCES,
    EXTENSION_SUFFIX,
    MANIFEST_NAME,
    MODULES,
    SOURCES,
    extension_file,
    interpreter_tag,
    source_digest,
)

# What mypy is told besides the files: the third-party packages ingest imports live in the
# project's venv, not in .venv-mypyc (their types are not needed to compile ingest: they are
# `Any`); the modules ingest imports that are not compiled (records, fast_init, …) are read for
# their types but not reported on; mypy's cache is kept in .build (ignored by git).
MYPY_OPTIONS = ("--ignore-missing-imports", "--follow-imports=silent",
                f"--cache-dir={BUILD.parent / 'mypy-cache'}")


def build(out: Path = BUILD, *, verbose: bool = False) -> Path:
    """Compiles ``MODULES`` into ``out`` (replaced whole on success); returns the manifest path."""
    from mypyc.build import mypycify  # only in .venv-mypyc
    from setuptools import Extension, setup

    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        digests = {module: source_digest(path) for module, path in BUILT.items()}
        extensions = mypycify(
            [*MYPY_OPTIONS, *(str(path.relative_to(Path.cwd())) for path in SOURCES.values())],
            opt_level="3",
            target_dir=str(work / "c"),
            verbose=verbose,
        )
        extensions += [Extension(module, [str(path.relative_to(Path.cwd()))],
                                 extra_compile_args=["-O2"])
                       for module, path in C_SOURCES.items()]
        setup(
            name="ingest-compiled",
            ext_modules=extensions,
            script_args=[
                "--quiet", "build_ext", "--build-lib", str(work / "lib"),
                "--build-temp", str(work / "temp"),
            ],
        )
        _check_built(work / "lib")
        manifest = {
            "interpreter": interpreter_tag(),
            "extension_suffix": EXTENSION_SUFFIX,
            "shared_library": _shared_library(work / "lib"),
            "modules": digests,
        }
        (work / "lib" / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        _replace(out, work / "lib")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out / MANIFEST_NAME


def _check_built(lib: Path) -> None:
    """Every module in MODULES and C_SOURCES has its extension in ``lib`` (else the build is
    not used)."""
    missing = [module for module in BUILT if not extension_file(lib, module).is_file()]
    if missing:
        raise RuntimeError(f"the build made no extension for {', '.join(missing)}")


def _shared_library(lib: Path) -> str:
    """The module name of the group's shared library (``<hash>__mypyc``) written in ``lib``."""
    names = [path.name.removesuffix(EXTENSION_SUFFIX) for path in lib.glob(f"*__mypyc{EXTENSION_SUFFIX}")]
    if len(names) != 1:
        raise RuntimeError(f"expected one shared library in {lib}, found {names}")
    return names[0]


def _replace(out: Path, built: Path) -> None:
    """Moves ``built`` to ``out``, the previous build (if any) removed only once it is there."""
    old = out.with_name(f".{out.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(built, out)
    shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=BUILD, help="build folder (.build/mypyc)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    manifest = build(args.out.resolve(), verbose=args.verbose)
    print(f"== compiled {len(MODULES)} ingest modules with mypyc and {len(C_SOURCES)} in C "
          f"into {manifest.parent}")


if __name__ == "__main__":
    sys.exit(main())
