#!/usr/bin/env bash
# A clone of this repository alone passes `npm test`: clones the committed HEAD into a temporary
# folder (no ../shared beside it), installs and runs the whole suite there with an empty data
# directory and CI unset, so the tests of absent datasets are skipped (listed by name at the end)
# instead of failing, as they fail in the outer CI run (CI=true). Run by .ci/run after the suite.
#   bash scripts/test-clone-alone.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/cnn1d-alone-XXXXXX")"
trap 'rm -rf "$work"' EXIT
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git clone -q --no-hardlinks "$root" "$work/cnn1d"
else # not a git checkout: copy the tree without what npm and the build make
  mkdir "$work/cnn1d"
  tar -C "$root" --exclude=./node_modules --exclude=./dist --exclude=./build --exclude=./src/generated -cf - . | tar -C "$work/cnn1d" -xf -
fi
mkdir "$work/empty-data"
cd "$work/cnn1d"
echo "clone alone: $(git log -1 --format='%h %s' 2>/dev/null || echo 'a copy') in $work/cnn1d (no ../shared beside it)"
npm ci --no-audit --no-fund --prefer-offline
env -u CI -u CNN1D_GOLDEN_DIR CNN1D_DATA_DIR="$work/empty-data" npm test
