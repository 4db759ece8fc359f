#!/usr/bin/env bash
# Everything the test suite needs on a fresh Debian machine with Python 3.11+, then the tests.
# Debian packages: poppler-utils (PDF pages to images), chromium (HTML checks), tmux,
# libharfbuzz-subset0 (font subsetting that the sample PDFs were made with),
# libreoffice-calc-nogui (recalculates the xlsx workbooks in the workbook tests).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# WeasyPrint subsets fonts with HarfBuzz when it can (fast) and with fontTools otherwise; the
# two give different bytes, and the committed sample PDFs were made with HarfBuzz.
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "scripts/test.sh: missing ${need[*]}; install them (tests that need them will be skipped)" >&2
  fi
fi

# The test extras under the pins that the committed samples and snapshots were made with.
python3 -m pip install -q -c scripts/test-constraints.txt -e '.[test]'
python3 -m ruff check .
bash scripts/typecheck.sh
python3 -m pytest -n 2 "$@"
