#!/usr/bin/env bash
# Build the sdist and the wheel, check them, install the wheel in a fresh virtual environment
# with the core dependencies only, and use iopstudy from a folder outside the repository:
# resolve names, load the municipalities, `iopstudy init` a study folder, validate and build it.
# Usage: bash .ci/smoke.sh   (DIST=dir keeps the distributions there; PYTHON=... picks Python)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/iopstudy-smoke.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DIST=${DIST:-$WORK/dist}
t0=$SECONDS
step() { printf '\n== smoke: %s  (%d s)\n' "$1" $((SECONDS - t0)); }
# pip, without this machine's notes on index folders that lack a package
pip_install() {
    "$1" -m pip install --quiet "${@:2}" 2>&1 | { grep -v "is neither a file nor a directory" || true; }
}

step "tools: build, twine"
"$PYTHON" -m venv "$WORK/tools"
pip_install "$WORK/tools/bin/python" build twine

step "python -m build (sdist, then the wheel from the sdist)"
rm -rf "$DIST"
"$WORK/tools/bin/python" -m build --outdir "$DIST" "$REPO" > "$WORK/build.log" 2>&1 || {
    cat "$WORK/build.log"; exit 1; }
# current tools must accept the metadata without deprecation warnings
if grep -E "Warning:|[Dd]eprecation" "$WORK/build.log"; then
    echo "smoke: the build warns (above)"; exit 1
fi
ls -l "$DIST"

step "twine check"
"$WORK/tools/bin/twine" check --strict "$DIST"/*

step "install the wheel (core dependencies only) in a fresh venv"
"$PYTHON" -m venv "$WORK/venv"
pip_install "$WORK/venv/bin/python" "$DIST"/iopstudy-*.whl
BIN=$WORK/venv/bin

step "use it from a folder outside the repository"
mkdir "$WORK/elsewhere"
cd "$WORK/elsewhere"
unset IOPSTUDY_ROOT
"$BIN/python" - <<'PY'
import importlib, importlib.util, os, sys
import iopstudy
from iopstudy.reference import load_municipalities, resolve_public_party

here = os.path.realpath(iopstudy.__file__)
assert "site-packages" in here, f"iopstudy imported from {here}, not the installed wheel"
res = resolve_public_party(["Falu kommun", "VGR", "Göteborgs Stad"])
print(res[["input", "level", "code", "match"]].to_string(index=False))
assert res["code"].tolist() == ["2080", "14", "1480"], res
m = load_municipalities()
assert len(m) == 290 and m["population"].sum() > 10_000_000
# the rooms of the package import with the core dependencies alone
for name in iopstudy._SUBMODULES:
    importlib.import_module(f"iopstudy.{name}")
for extra in ("seaborn", "papermill", "dask", "geopandas", "krippendorff"):
    assert importlib.util.find_spec(extra) is None, f"{extra} is not a core dependency"
print(f"iopstudy {iopstudy.__version__}: {len(m)} municipalities; all modules import with the core only")
PY
"$BIN/iopstudy" init study
"$BIN/iopstudy" validate study/data/raw/register/iop_register.xlsx
"$BIN/iopstudy" init example --example
(cd example && "$BIN/iopstudy" validate data/raw/register/iop_register.xlsx | tail -1 && "$BIN/iopstudy" build)
"$BIN/iopstudy" merge example/data/raw/register/iop_register.xlsx example/data/raw/register/iop_register.xlsx \
    -o merged.csv > "$WORK/merge.log"
tail -1 "$WORK/merge.log"
"$BIN/iopstudy" scan-pii example/data/processed
if "$BIN/iopstudy" reproduce > "$WORK/reproduce.log" 2>&1; then
    echo "smoke: reproduce outside a study folder should fail"; exit 1
fi
grep -q "not inside a study folder" "$WORK/reproduce.log"
cat "$WORK/reproduce.log"

# The tests that need only the core, run against the installed wheel with the newest releases
# (`make test` has lifelines, which holds pandas below 3): checks the wheel's data against
# data/raw/ byte for byte, and the library on the newest pandas.
step "core tests against the installed wheel ($("$BIN/python" -c 'import pandas; print("pandas", pandas.__version__)'))"
pip_install "$BIN/python" "pytest>=8" "hypothesis>=6.100"
cd "$REPO"
"$BIN/python" -m pytest -p no:cacheprovider -q \
    tests/test_packaging.py tests/test_reference.py tests/test_resolve.py tests/test_register.py \
    tests/test_parsers.py
step "done"
