"""The documentation site: its sources (fast) and the built site in a headless browser (slow).

Fast checks need no build: ``docs/conf.py`` sets up autodoc/autosummary/numpydoc, MyST-NB
without execution and the pydata theme, with no extension that reaches the network; every
public module of the package is in the API index (``docs/api.md``); every ``SOURCES.md`` under
``data/raw/`` and the data dictionary are pages; ``CITATION.cff`` and ``CHANGELOG.md`` describe
the installed version; every public docstring parses as reStructuredText without a warning (a
fast pre-check of the build). When a built site exists (``docs/_build/html``, from ``make docs``) every
module also has its page there.

The slow test serves the built site on 127.0.0.1 and opens the home page, the API index and one
notebook page in headless Chromium (Debian's ``chromium`` and ``chromium-driver``, driven by
selenium; nothing is downloaded). It fails on any console error and on any image that did not
load. It skips when Chromium, chromedriver, selenium or a built site is missing, unless
``IOPSTUDY_DOCS_REQUIRE_BROWSER=1`` (set by ``.ci/docs.sh``) makes that a failure.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import os
import pkgutil
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SITE = DOCS / "_build" / "html"
API_INDEX = DOCS / "api.md"
API_PAGES = SITE / "_generated" / "api"
NOTEBOOK_PAGES = SITE / "_generated" / "notebooks"

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
CHROMEDRIVER_CANDIDATES = ("chromedriver",)
REQUIRE_BROWSER = os.environ.get("IOPSTUDY_DOCS_REQUIRE_BROWSER") == "1"


def _conf() -> dict:
    """The names that ``docs/conf.py`` defines (its notebook copy only runs inside Sphinx)."""
    import runpy

    return runpy.run_path(str(DOCS / "conf.py"))


def _public_modules() -> list[str]:
    """Every public module of the package: no ``_private`` part, no ``__main__``."""
    import iopstudy

    names = []
    for info in pkgutil.walk_packages(iopstudy.__path__, prefix="iopstudy."):
        if any(part.startswith("_") for part in info.name.split(".")):
            continue
        names.append(info.name)
    return sorted(names)


def _api_entries() -> tuple[list[str], list[str]]:
    """The modules listed in ``docs/api.md`` and those listed in a ``:recursive:`` block."""
    text = API_INDEX.read_text(encoding="utf-8")
    listed: list[str] = []
    recursive: list[str] = []
    for block in re.findall(r"\.\. autosummary::\n((?:[ \t]+.*\n|\n)+)", text):
        names = re.findall(r"^[ \t]+(iopstudy(?:\.\w+)*)\s*$", block, re.MULTILINE)
        listed += names
        if ":recursive:" in block:
            recursive += names
    return listed, recursive


def _md_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts and "_generated" not in p.parts)


def _includes() -> dict[Path, Path]:
    """Every MyST ``{include}`` in the docs' pages: included file -> the page including it."""
    out: dict[Path, Path] = {}
    for page in _md_pages():
        for target in re.findall(r"^```\{include\}\s+(\S+)\s*$", page.read_text(encoding="utf-8"), re.MULTILINE):
            out[(page.parent / target).resolve()] = page
    return out


def _toctree_docs() -> set[str]:
    """Documents named in the toctrees of every page (relative to docs/, without suffix)."""
    import posixpath

    docs: set[str] = set()
    for page in _md_pages():
        here = page.parent.relative_to(DOCS).as_posix()
        for body in re.findall(r"```\{toctree\}\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL):
            for line in body.splitlines():
                line = line.strip()
                if line and not line.startswith(":"):
                    docs.add(posixpath.normpath(posixpath.join(here, line)))
    return docs


# --------------------------------------------------------------------------- fast: the sources
def test_conf_py_sets_up_the_site():
    assert (DOCS / "conf.py").is_file(), "docs/conf.py is missing"
    conf = _conf()
    ext = set(conf["extensions"])
    assert {"sphinx.ext.autodoc", "sphinx.ext.autosummary", "myst_nb"} <= ext
    assert ext & {"numpydoc", "sphinx.ext.napoleon"}, "numpydoc or napoleon reads the docstrings"
    assert "sphinx.ext.intersphinx" not in ext, "no intersphinx: the build must not need the network"
    assert conf["autosummary_generate"] is True
    assert conf["nb_execution_mode"] == "off", "notebooks are shown as `iopstudy reproduce` ran them"
    assert conf["html_theme"] == "pydata_sphinx_theme"
    assert conf["release"] == importlib.import_module("iopstudy").__version__
    assert "_build" in conf["exclude_patterns"]


def test_conf_py_stops_without_notebooks(tmp_path, monkeypatch):
    pytest.importorskip("sphinx", reason="the docs extra is not installed")
    conf = _conf()
    copy = conf["copy_notebooks"]
    globs = copy.__globals__
    monkeypatch.setitem(globs, "NOTEBOOKS_FROM", tmp_path / "reports" / "notebooks")
    monkeypatch.setitem(globs, "NOTEBOOKS_TO", tmp_path / "docs" / "_generated" / "notebooks")
    monkeypatch.delenv(conf["SKIP_ENV"], raising=False)
    with pytest.raises(SystemExit, match="run `make reproduce` first"):
        copy(None, None)
    monkeypatch.setenv(conf["SKIP_ENV"], "skip")
    copy(None, None)
    assert (tmp_path / "docs" / "_generated" / "notebooks" / "missing.md").is_file()
    (tmp_path / "reports" / "notebooks").mkdir(parents=True)
    (tmp_path / "reports" / "notebooks" / "01-x.ipynb").write_text("{}", encoding="utf-8")
    copy(None, None)
    assert sorted(p.name for p in (tmp_path / "docs" / "_generated" / "notebooks").iterdir()) == ["01-x.ipynb"]


def test_every_public_module_is_in_the_api_index():
    import iopstudy

    listed, recursive = _api_entries()
    assert listed, "docs/api.md has no autosummary block"
    rooms = [f"iopstudy.{name}" for name in iopstudy._SUBMODULES]
    missing_rooms = [r for r in rooms if r not in listed]
    assert not missing_rooms, f"add to the autosummary list of docs/api.md: {missing_rooms}"
    uncovered = [
        m for m in _public_modules()
        if m not in listed and not any(m.startswith(r + ".") for r in recursive)
    ]
    assert not uncovered, f"modules missing from docs/api.md (list them, or their package as :recursive:): {uncovered}"
    unknown = [m for m in listed if m not in _public_modules()]
    assert not unknown, f"docs/api.md lists modules that do not exist: {unknown}"


def test_api_index_names_no_module_twice():
    listed, _ = _api_entries()
    assert len(listed) == len(set(listed))


def test_every_sources_file_is_included_as_a_page():
    included = _includes()
    wanted = sorted((ROOT / "data" / "raw").rglob("SOURCES.md")) + [ROOT / "data/raw/interviews/README.md"]
    assert len(wanted) >= 4
    missing = [str(p.relative_to(ROOT)) for p in wanted if p.resolve() not in included]
    assert not missing, f"include these with a MyST {{include}} page under docs/data/: {missing}"
    for target, page in included.items():
        assert target.is_file(), f"{page.relative_to(ROOT)} includes a missing file {target}"
    toc = _toctree_docs()
    for target, page in included.items():
        doc = page.relative_to(DOCS).with_suffix("").as_posix()
        assert doc in toc, f"{page.relative_to(ROOT)} is in no toctree"
    assert "data-dictionary" in toc, "docs/data-dictionary.md must be a page"


def test_guides_are_in_the_toctree():
    toc = _toctree_docs()
    guides = sorted(p.relative_to(DOCS).with_suffix("").as_posix() for p in (DOCS / "guides").glob("*.md"))
    assert guides, "no guides in docs/guides/"
    assert [g for g in guides if g not in toc] == []
    assert [d for d in toc if "*" not in d and not (DOCS / f"{d}.md").is_file()] == []


def test_citation_and_changelog_describe_this_version():
    import yaml

    import iopstudy

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == iopstudy.__version__
    assert cff["license"] == "MIT"
    assert cff["title"] and cff["message"]
    assert str(cff["date-released"]) == "2026-12-01"
    assert cff["authors"] == [{"name": "The iopstudy authors"}], "the authors are one entity"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## {re.escape(iopstudy.__version__)}\b", changelog, re.MULTILINE)
    assert re.search(r"^## 0\.1\.0\b", changelog, re.MULTILINE)
    assert "(see below)" not in changelog
    toc = _toctree_docs()
    assert {"changelog", "citation"} <= toc


_XREF_ROLES = (
    "func", "mod", "class", "data", "meth", "attr", "exc", "obj", "const", "ref", "doc", "term",
    "math", "py:func", "py:class", "py:mod", "py:data", "py:meth", "py:attr", "py:exc", "py:obj",
)


def _public_docstrings():
    """(where, docstring) of every public module, and of the functions and classes it defines."""
    import inspect

    for name in ["iopstudy", *_public_modules()]:
        mod = importlib.import_module(name)
        if mod.__doc__:
            yield name, inspect.cleandoc(mod.__doc__)
        for attr, obj in vars(mod).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if inspect.isfunction(obj) or inspect.isclass(obj):
                doc = inspect.getdoc(obj)
                if doc:
                    yield f"{name}.{attr}", doc


def test_docstrings_are_valid_rst():
    """A fast pre-check of what the Sphinx build (the authority) would reject: tables whose text
    leaves its columns, unclosed inline markup, bad indentation."""
    import io

    docutils_core = pytest.importorskip("docutils.core")
    from docutils import nodes
    from docutils.parsers.rst import roles

    def literal_role(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.literal(rawtext, text)], []

    for role in _XREF_ROLES:
        roles.register_local_role(role, literal_role)
    problems = []
    for where, doc in _public_docstrings():
        # numpydoc escapes ``**kwargs`` in a parameter list; plain docutils would not
        doc = re.sub(r"(^|, )\*\*(\w+)", r"\1\\*\\*\2", doc, flags=re.MULTILINE)
        stream = io.StringIO()
        docutils_core.publish_doctree(
            doc,
            settings_overrides={
                "report_level": 2, "halt_level": 5, "warning_stream": stream,
                "file_insertion_enabled": False, "raw_enabled": False,
            },
        )
        if stream.getvalue().strip():
            first = stream.getvalue().strip().splitlines()[0].replace("<string>", "docstring line")
            problems.append(f"{where}: {first}")
    assert not problems, "docstring markup that the docs build rejects:\n" + "\n".join(problems)


def test_docs_python_is_valid():
    for path in [DOCS / "conf.py"]:
        ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


# --------------------------------------------------------------------------- the built site
def _need_site() -> None:
    if not (SITE / "index.html").is_file():
        if REQUIRE_BROWSER:
            pytest.fail(f"no built site in {SITE}: run `make docs` first")
        pytest.skip(f"no built site in {SITE} (run `make docs`)")


def test_built_site_has_a_page_for_every_module():
    _need_site()
    built = (SITE / "index.html").stat().st_mtime
    newest = max(p.stat().st_mtime for p in (ROOT / "src" / "iopstudy").rglob("*.py"))
    if newest > built and not REQUIRE_BROWSER:
        pytest.skip("the built site is older than the package's sources (run `make docs`)")
    missing = [m for m in _public_modules() if not (API_PAGES / f"{m}.html").is_file()]
    assert not missing, f"no API page for {missing}: rebuild the site (make docs)"


def _which(names) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serve(folder: Path):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(base, timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("the local web server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()


# Every <img> loads (lazy ones are made eager first); returns the ones that did not.
_IMAGES_JS = """
const done = arguments[arguments.length - 1];
const imgs = Array.from(document.images);
imgs.forEach(i => { if (i.loading === "lazy") { i.loading = "eager"; } });
const settle = i => i.complete ? Promise.resolve() :
    new Promise(r => { i.addEventListener("load", r, {once: true}); i.addEventListener("error", r, {once: true}); });
Promise.all(imgs.map(settle)).then(() => done({
    n: imgs.length,
    broken: imgs.filter(i => !(i.naturalWidth > 0)).map(i => i.currentSrc || i.src),
}));
"""


def _notebook_page() -> Path:
    pages = sorted(NOTEBOOK_PAGES.glob("*.html"))
    pages = [p for p in pages if p.name != "missing.html"]
    if not pages:
        msg = "the built site has no notebook pages: run `make reproduce`, then `make docs`"
        if REQUIRE_BROWSER:
            pytest.fail(msg)
        pytest.skip(msg)
    return pages[0]


@pytest.mark.slow
def test_site_opens_in_headless_chromium_without_errors():
    _need_site()
    chromium = _which(CHROMIUM_CANDIDATES)
    driver_path = _which(CHROMEDRIVER_CANDIDATES)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None
    if not (chromium and driver_path and webdriver):
        msg = (
            "headless browser test needs chromium, chromedriver and selenium "
            "(apt-get install -y chromium chromium-driver; pip install selenium)"
        )
        if REQUIRE_BROWSER:
            pytest.fail(msg)
        pytest.skip(msg)

    pages = [SITE / "index.html", SITE / "api.html", _notebook_page()]
    profile = tempfile.mkdtemp(prefix="iopstudy-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1024", f"--user-data-dir={profile}",
    ):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    problems: list[str] = []
    checked: list[str] = []
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=opts)
    try:
        driver.set_page_load_timeout(60)
        driver.set_script_timeout(60)
        with _serve(SITE) as base:
            for page in pages:
                rel = page.relative_to(SITE).as_posix()
                driver.get(base + rel)
                title = driver.title
                images = driver.execute_async_script(_IMAGES_JS)
                logs = driver.get_log("browser")
                errors = [e["message"] for e in logs if e.get("level") == "SEVERE"]
                problems += [f"{rel}: console error: {m}" for m in errors]
                problems += [f"{rel}: image did not load: {src}" for src in images["broken"]]
                if not title:
                    problems.append(f"{rel}: the page has no title")
                checked.append(f"{rel} ({images['n']} images)")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    assert not problems, "\n".join(problems)
    # the notebook page shows the figures the reproduce run embedded
    assert int(re.search(r"\((\d+) images\)", checked[-1]).group(1)) > 0, checked
    print("checked in headless Chromium:", "; ".join(checked))
