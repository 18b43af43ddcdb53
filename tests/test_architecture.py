"""The house rules of the package, checked on its source tree.

* imports run one way: no import cycle, counting imports inside functions;
* no module imports another module's private (``_name``) name;
* no module is over :data:`MAX_LINES` lines;
* the public API is written down once, in each module's ``__all__``: every name listed exists,
  and ``from iopstudy import *`` imports every room;
* the label table is in :mod:`iopstudy.labels` only; the old module names of 0.1 still work,
  with a DeprecationWarning;
* the notebooks keep only calls, displays and prose (at most :data:`MAX_NOTEBOOK_MANIPULATION`
  groupby/merge/pivot/crosstab/concat … lines in all of them) and set up in one call.
"""

from __future__ import annotations

import ast
import functools
import importlib
import json
import re
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PKG = SRC / "iopstudy"
MAX_LINES = 900
MAX_NOTEBOOK_MANIPULATION = 20


def _modname(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


FILES = {_modname(p): p for p in sorted(PKG.rglob("*.py"))}


def _resolve(name: str) -> str | None:
    while name:
        if name in FILES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(mod: str, path: Path) -> tuple[set[str], list[str]]:
    """Modules of the package that ``mod`` imports (anywhere in it), and private names it imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    private: list[str] = []
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = mod.split(".") if is_pkg else mod.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            for a in node.names:
                full = f"{base}.{a.name}"
                targets.append(full if _resolve(full) == full else base)
                owner = _resolve(base)
                if a.name.startswith("_") and not a.name.startswith("__") and owner and owner != mod:
                    private.append(f"{mod} imports {base}.{a.name}")
        for t in targets:
            r = _resolve(t)
            if r and r != mod and not (is_pkg and r.startswith(mod + ".")):
                out.add(r)
    return out, private


@functools.cache
def _graph() -> dict[str, tuple[set[str], list[str]]]:
    """Each module's imports (parsed when a test first asks: every worker collects this file)."""
    return {m: _imports(m, p) for m, p in FILES.items()}


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in _graph()[v][0]:
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(_graph()):
        if v not in index:
            strong(v)
    return found


def test_no_import_cycles_counting_function_local_imports():
    assert _cycles() == []


def test_no_private_names_cross_modules():
    private = [p for _, (_, priv) in _graph().items() for p in priv]
    assert private == []


def test_imports_run_one_way_between_rooms():
    # a lower room never imports a higher one
    order = ["errors", "paths", "text", "xlsx", "labels", "reference", "register", "spread", "interviews", "figures"]
    rank = {room: i for i, room in enumerate(order)}

    def room(mod: str) -> str:
        return mod.split(".")[1] if mod.count(".") else "iopstudy"

    bad = []
    for mod, (deps, _) in _graph().items():
        r = room(mod)
        for d in deps:
            rd = room(d)
            if r in rank and rd in rank and rank[rd] > rank[r]:
                bad.append(f"{mod} -> {d}")
    assert bad == []


def test_no_module_is_too_long():
    long = {m: n for m, p in FILES.items() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


@pytest.mark.parametrize("mod", sorted(m for m in FILES if not m.endswith("__main__")))
def test_every_name_in_all_exists(mod):
    m = importlib.import_module(mod)
    missing = [n for n in getattr(m, "__all__", []) if not hasattr(m, n)]
    assert missing == []


def test_star_import_imports_every_room():
    ns: dict = {}
    exec("from iopstudy import *", ns)
    import iopstudy

    for room in iopstudy.__all__:
        assert room in ns, room
    assert ns["__version__"] == iopstudy.__version__


def test_the_label_table_is_only_in_labels():
    # no other module defines a table of labels: a dict literal whose values are {"en": …, "sv": …}
    offenders = []
    for mod, path in FILES.items():
        if mod == "iopstudy.labels":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict) and len(node.values) >= 3:
                inner = [v for v in node.values if isinstance(v, ast.Dict)]
                keys = [{k.value for k in v.keys if isinstance(k, ast.Constant)} for v in inner]
                if len(inner) >= 3 and all({"en", "sv"} <= k for k in keys):
                    offenders.append(f"{mod}:{node.lineno}")
    assert offenders == []


@pytest.mark.parametrize(
    ("old", "name", "new"),
    [
        ("iopstudy.parsers", "parse_dates", "iopstudy.register.fields"),
        ("iopstudy.resolve", "resolve_public_party", "iopstudy.reference.resolve"),
        ("iopstudy.coding", "agreement", "iopstudy.interviews.reliability"),
        ("iopstudy.themes", "compare_sectors", "iopstudy.interviews.compare"),
        ("iopstudy.report", "load_study_data", "iopstudy.register.study"),
        ("iopstudy.report", "plot_bar_counts", "iopstudy.figures.register"),
        ("iopstudy.stems", "stem_to_regex", "iopstudy.text"),
    ],
)
def test_old_module_names_still_work_with_a_deprecation_warning(old, name, new):
    mod = importlib.import_module(old)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        obj = getattr(mod, name)
    assert obj is getattr(importlib.import_module(new), name)
    assert any(issubclass(w.category, DeprecationWarning) and new in str(w.message) for w in caught)


def test_renamed_old_names_point_to_the_new_ones():
    from iopstudy.labels import LABELS, label

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from iopstudy import report, themes

        assert report.text is label and report.EXTRA_LABELS is LABELS and themes.THEME_LABELS is LABELS


def _notebook_code(nb: Path) -> list[str]:
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MANIP = re.compile(
    r"\.(groupby|merge|pivot|pivot_table|crosstab|concat|melt|agg|value_counts|unstack|stack)\(|"
    r"pd\.(concat|merge|crosstab|pivot_table)\("
)


def test_notebooks_keep_little_data_manipulation():
    lines = [
        f"{nb.name}: {line.strip()}"
        for nb in NOTEBOOKS
        for code in _notebook_code(nb)
        for line in code.splitlines()
        if MANIP.search(line)
    ]
    assert len(lines) <= MAX_NOTEBOOK_MANIPULATION, "\n".join(lines)


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_sets_up_in_one_call(nb):
    code = _notebook_code(nb)
    assert code[0].split("\n")[0].startswith("lang = ")  # the parameters cell
    setup_cell = code[1]
    assert "setup(" in setup_cell and "def " not in setup_cell
    assert len(setup_cell.splitlines()) <= 15
