"""Loads ingest's hot modules compiled with mypyc (``make compiled``) when their build is current.

``ingest/__init__.py`` calls :func:`install`: when ``.build/mypyc/manifest.json`` was written
by ``ingest/compiled_build.py`` for this interpreter and the sha256 of every compiled module's
``.py`` file is the one in the manifest, a finder placed first on ``sys.meta_path`` serves those
modules (and the group's shared library, ``<hash>__mypyc``) from their extensions, and so the
extensions written in C built with them (``C_SOURCES``, their ``.c`` files' digests checked
the same way). All or
nothing: one changed source, a missing extension or another interpreter, and every module is
imported from its ``.py`` file, with one warning line on stderr. No build: pure Python, silently.
``INGEST_PURE=1`` forces pure Python.

The compiled modules give the same results (``tests/ingest/test_compiled.py``); they are only
faster. A compiled module's ``__file__`` is its extension in ``.build/mypyc/ingest/``: code that
looks for files beside the sources asks the package (``ingest.__file__``), which is never
compiled, and so does ``records.parser_digest`` (``records`` is not compiled), so the parser
version is the same compiled or not.

Only the standard library here: this module is imported with the package, and by the builder
in ``.venv-mypyc``.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

PACKAGE = Path(__file__).resolve().parent
BUILD = PACKAGE.parent / ".build" / "mypyc"
MANIFEST_NAME = "manifest.json"
EXTENSION_SUFFIX = importlib.machinery.EXTENSION_SUFFIXES[0]

# The modules compiled, in ingest/. Not records.py: its frozen dataclasses cross processes by
# pickle, which a compiled frozen dataclass does not survive; nor the modules whose time is
# spent outside Python (PDF and HTML readers, the cache, the CLI).
MODULES: tuple[str, ...] = (
    "tables", "text_tables", "prose", "performance", "segment", "identify", "normalise",
    "document", "divisions", "table_kinds", "land", "figure_keys", "blocks", "read",
    "traditional", "unit_names", "char_classes",
)
SOURCES: dict[str, Path] = {f"ingest.{name}": PACKAGE / f"{name}.py" for name in MODULES}
# Extensions written in C, built with them and served the same way (all or nothing too): the
# landed rows' renderer (ingest/native/landed_rows.c, used by ingest.land when importable),
# the character counter (ingest/native/char_counts.c, used by ingest.char_classes) and the
# records' maker (ingest/native/record_maker.c, used by ingest.fast_init.record_maker).
C_SOURCES: dict[str, Path] = {
    "ingest._landed_rows": PACKAGE / "native" / "landed_rows.c",
    "ingest._char_counts": PACKAGE / "native" / "char_counts.c",
    "ingest._record_maker": PACKAGE / "native" / "record_maker.c",
}
# every source of the build, by module: what the manifest's digests are of
BUILT: dict[str, Path] = {**SOURCES, **C_SOURCES}

PURE_VARIABLE = "INGEST_PURE"


def interpreter_tag() -> str:
    """The interpreter a build is for: implementation, version and build (the C ABI)."""
    return f"{sys.implementation.cache_tag} {sys.version}"


def source_digest(path: Path) -> str:
    """sha256 of a source file's bytes (hex)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


class CompiledFinder:
    """A ``sys.meta_path`` finder that serves the listed modules from their extensions."""

    def __init__(self, extensions: dict[str, Path]) -> None:
        self.extensions = extensions

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        extension = self.extensions.get(fullname)
        if extension is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(extension))
        return importlib.machinery.ModuleSpec(fullname, loader, origin=str(extension))


def compiled_extensions(build: Path = BUILD) -> tuple[dict[str, Path] | None, str]:
    """The extension of each module to load compiled, or None and why not ('' when no build)."""
    manifest_path = build / MANIFEST_NAME
    if not manifest_path.is_file():
        return None, ""
    try:
        manifest = json.loads(manifest_path.read_text())
        digests: dict[str, str] = manifest["modules"]
        shared = str(manifest["shared_library"])
        interpreter = manifest["interpreter"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return None, f"unreadable {manifest_path} ({error})"
    if interpreter != interpreter_tag():
        return None, f"built for another Python ({interpreter})"
    if set(digests) != set(BUILT):
        return None, "built for another list of modules"
    changed = [name for name, path in BUILT.items() if digests[name] != _digest_or_none(path)]
    if changed:
        return None, f"{len(changed)} changed since the build ({', '.join(sorted(changed))})"
    extensions = {name: extension_file(build, name) for name in BUILT}
    extensions[shared] = build / f"{shared}{EXTENSION_SUFFIX}"
    missing = [str(path) for path in extensions.values() if not path.is_file()]
    if missing:
        return None, f"missing {', '.join(missing)}"
    return extensions, ""


def extension_file(build: Path, module: str) -> Path:
    """Where a build holds the extension of one of ingest's modules (``ingest.x``)."""
    return build / "ingest" / f"{module.rpartition('.')[2]}{EXTENSION_SUFFIX}"


def _digest_or_none(path: Path) -> str | None:
    return source_digest(path) if path.is_file() else None


def install(build: Path = BUILD) -> bool:
    """Puts the finder first on ``sys.meta_path`` when the build is current; True if it did."""
    if os.environ.get(PURE_VARIABLE, "") not in ("", "0"):
        return False
    if any(isinstance(finder, CompiledFinder) for finder in sys.meta_path):
        return True
    extensions, why_not = compiled_extensions(build)
    if extensions is None:
        if why_not:
            print(f"ingest: compiled modules not used, pure Python ({why_not}; "
                  "make compiled rebuilds them)", file=sys.stderr)
        return False
    already = [name for name in extensions if name in sys.modules]
    if already:  # imported pure before the finder: never mix the two
        print(f"ingest: compiled modules not used, {', '.join(already)} already imported",
              file=sys.stderr)
        return False
    sys.meta_path.insert(0, CompiledFinder(extensions))
    return True


def active() -> bool:
    """Whether the compiled modules are in use in this process."""
    return any(isinstance(finder, CompiledFinder) for finder in sys.meta_path)
