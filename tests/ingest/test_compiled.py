"""The mypyc-compiled ingest modules (``make compiled``, ingest/compiled.py): in use whenever
their build is current, the same landed bytes as pure Python, and pure Python whenever a source
differs from the one compiled."""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import compiled

ROOT = Path(__file__).resolve().parents[2]


def _build_state() -> str:
    """'' when the compiled build is current and in use here, else why the tests skip."""
    if os.environ.get(compiled.PURE_VARIABLE, "") not in ("", "0"):
        return f"{compiled.PURE_VARIABLE} is set: pure Python asked for"
    extensions, why_not = compiled.compiled_extensions()
    if extensions is None:
        return f"no current mypyc build ({why_not or 'none'}): make compiled"
    if not compiled.active():
        return "a compiled build is current but not in use in this process"
    return ""


needs_build = pytest.mark.skipif(bool(_build_state()), reason=_build_state() or "built")


@needs_build
def test_every_listed_module_is_the_compiled_one():
    for name in compiled.BUILT:  # (the C extensions too)
        module = importlib.import_module(name)
        assert module.__file__ is not None
        assert module.__file__.endswith(compiled.EXTENSION_SUFFIX), name
        assert Path(module.__file__).parent == compiled.BUILD / "ingest"


def test_records_is_never_compiled():
    """records' frozen dataclasses cross processes by pickle; its parser digest hashes the
    .py sources beside it whether or not the others are compiled."""
    import ingest.records as records

    assert "ingest.records" not in compiled.SOURCES
    assert records.__file__ is not None and records.__file__.endswith(".py")


def _land(docs: Path, out: Path, *, pure: bool) -> dict[str, bytes]:
    env = {**os.environ, compiled.PURE_VARIABLE: "1" if pure else ""}
    probe = ("import ingest.compiled as c, ingest.tables as t; "
             "print(c.active(), t.__file__.endswith('.py'))")
    state = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, check=True,
                           capture_output=True, text=True).stdout.split()
    assert state == (["False", "True"] if pure else ["True", "False"])
    subprocess.run([sys.executable, "-m", "ingest", "--docs", str(docs), "--out", str(out),
                    "--no-cache", "-q", "-j", "1"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return {path.name: path.read_bytes() for path in sorted(out.glob("*.csv"))}


@needs_build
@pytest.mark.parametrize("corpus", ["data/raw", "data/jiangsu"])
def test_compiled_lands_the_same_bytes_as_pure_python(tmp_path, corpus):
    pure = _land(ROOT / corpus, tmp_path / "pure", pure=True)
    fast = _land(ROOT / corpus, tmp_path / "compiled", pure=False)
    assert pure and list(pure) == list(fast)
    for name, data in pure.items():
        assert fast[name] == data, name


@needs_build
def test_parser_version_is_the_same_compiled_or_not():
    probe = "import ingest.records as r; print(r.PARSER_VERSION)"
    versions = {
        subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, text=True,
                       capture_output=True,
                       env={**os.environ, compiled.PURE_VARIABLE: pure}).stdout.strip()
        for pure in ("1", "")}
    assert len(versions) == 1, versions


def _copy_build(tmp_path: Path) -> Path:
    copy = tmp_path / "mypyc"
    shutil.copytree(compiled.BUILD, copy)
    return copy


@needs_build
def test_a_changed_source_falls_back_to_pure_python(tmp_path, monkeypatch, capsys):
    build = _copy_build(tmp_path)
    extensions, why_not = compiled.compiled_extensions(build)
    assert extensions is not None and why_not == ""
    manifest = json.loads((build / compiled.MANIFEST_NAME).read_text())
    manifest["modules"]["ingest.land"] = "0" * 64  # as if land.py had changed since the build
    (build / compiled.MANIFEST_NAME).write_text(json.dumps(manifest))
    extensions, why_not = compiled.compiled_extensions(build)
    assert extensions is None and "ingest.land" in why_not
    # all or nothing: no finder is put on sys.meta_path, one line says why
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path
                                           if not isinstance(f, compiled.CompiledFinder)])
    assert compiled.install(build) is False
    assert not compiled.active()
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ingest.land" in err and "pure Python" in err


def test_a_missing_extension_or_another_interpreter_falls_back(tmp_path):
    build = tmp_path / "mypyc"
    (build / "ingest").mkdir(parents=True)
    digests = {name: compiled.source_digest(path) for name, path in compiled.BUILT.items()}
    manifest = {"interpreter": compiled.interpreter_tag(), "shared_library": "x__mypyc",
                "modules": digests}
    (build / compiled.MANIFEST_NAME).write_text(json.dumps(manifest))
    extensions, why_not = compiled.compiled_extensions(build)
    assert extensions is None and why_not.startswith("missing")
    (build / compiled.MANIFEST_NAME).write_text(json.dumps({**manifest, "interpreter": "other"}))
    extensions, why_not = compiled.compiled_extensions(build)
    assert extensions is None and "another Python" in why_not


def test_no_build_is_pure_python_silently(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "meta_path", [f for f in sys.meta_path
                                           if not isinstance(f, compiled.CompiledFinder)])
    assert compiled.compiled_extensions(tmp_path / "none") == (None, "")
    assert compiled.install(tmp_path / "none") is False
    assert capsys.readouterr().err == ""


def test_ingest_pure_forces_pure_python():
    probe = "import ingest.compiled as c, ingest.land as l; print(c.active(), l.__file__)"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, text=True,
                         capture_output=True,
                         env={**os.environ, compiled.PURE_VARIABLE: "1"}).stdout.split()
    assert out[0] == "False" and out[1].endswith("land.py")
