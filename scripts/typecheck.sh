#!/usr/bin/env bash
# mypy over the engine as it is imported: tunewise.engine. The repository keeps the engine in
# engine/ and the build maps it under tunewise/, a mapping mypy cannot follow; so check a
# throwaway tree of links that has the installed layout, and print paths as the repository has them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir "$tree/tunewise"
cp tunewise/__init__.py "$tree/tunewise/"
ln -s "$root/engine" "$tree/tunewise/engine"
cd "$tree"
python3 -m mypy --config-file "$root/pyproject.toml" -p tunewise.engine "$@" | sed "s#^tunewise/engine/#engine/#"
exit "${PIPESTATUS[0]}"
