#!/usr/bin/env bash
# Build the documentation site with Sphinx (warnings are errors) and open it in headless Chromium.
#
# .ci/run calls this after `make reproduce`: the site shows the notebooks that run executed
# (reports/notebooks/*.ipynb) and stops with "run make reproduce first" when there are none.
# Installs what it needs when it is missing: the package's `docs` extra into .venv, and
# Debian's chromium and chromium-driver (apt-get; root or sudo). No browser is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-.venv/bin}
if [ ! -x "$BIN/python" ]; then
    echo "docs.sh: no $BIN/python: run make reproduce (or make install) first" >&2
    exit 1
fi

echo "== docs: dependencies"
# (without this machine's notes on index folders that lack a package)
"$BIN/python" -m pip install --quiet -e '.[docs]' 2>&1 | { grep -v "is neither a file nor a directory" || true; }
"$BIN/python" -c "import sphinx, myst_nb, numpydoc, pydata_sphinx_theme, selenium" || {
    echo "docs.sh: the docs extra is incomplete (sphinx, myst-nb, numpydoc, pydata-sphinx-theme, selenium)" >&2
    exit 1
}
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    echo "== docs: installing chromium and chromium-driver (Debian packages)"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "== docs: sphinx-build -W --keep-going -b html docs docs/_build/html (clean)"
rm -rf docs/_build docs/_generated
start=$(date +%s)
"$BIN/sphinx-build" -W --keep-going -q -b html docs docs/_build/html
echo "== docs: site built in $(( $(date +%s) - start )) s: docs/_build/html/index.html"

echo "== docs: checks of the sources and the built site, and the headless-browser test"
IOPSTUDY_DOCS_REQUIRE_BROWSER=1 "$BIN/python" -m pytest -p no:cacheprovider -v tests/test_docs.py
