#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (a MongoDB-wire database on SQLite) from the Go module proxy.
# Usage: scripts/build-ferretdb.sh [DEST_DIR]   (default: ~/.cache/parley/bin)
# `go install ...@v1.24.2` builds a binary that panics at start (its version file is generated
# in FerretDB's own release process), so we build from a copy of the module with that file written
# and with the patches in scripts/ferretdb-patches/ applied (docs/decisions/0022). The patch set's
# hash is stamped beside the binary: a binary built from another set is rebuilt.
set -euo pipefail
VERSION=v1.24.2
DEST=${1:-"${XDG_CACHE_HOME:-$HOME/.cache}/parley/bin"}
PATCHES="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ferretdb-patches"
STAMP="$DEST/ferretdb.patches"
export PATH="$PATH:/usr/local/go/bin"
wanted=$(cat "$PATCHES"/*.patch | sha256sum | cut -c1-16)
if [ -x "$DEST/ferretdb" ] && "$DEST/ferretdb" --version 2>/dev/null | grep -q "$VERSION" \
  && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ]; then
  echo "ferretdb $VERSION (patches $wanted) already at $DEST/ferretdb"; exit 0
fi
command -v go >/dev/null || { echo "Go is needed to build FerretDB: install Go 1.22+ (https://go.dev/dl) or put mongod on PATH" >&2; exit 1; }
command -v patch >/dev/null || { echo "patch(1) is needed to build FerretDB (apt-get install -y patch)" >&2; exit 1; }
echo "Building FerretDB $VERSION with scripts/ferretdb-patches (a few minutes on first run)..." >&2
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod
src=$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
echo "$VERSION" > "$work/src/build/version/version.txt"
for p in "$PATCHES"/*.patch; do
  (cd "$work/src" && patch -p1 --forward --silent < "$p") || { echo "could not apply $(basename "$p")" >&2; exit 1; }
done
mkdir -p "$DEST"
(cd "$work/src" && go build -trimpath -o "$DEST/ferretdb.new.$$" ./cmd/ferretdb)
mv "$DEST/ferretdb.new.$$" "$DEST/ferretdb"
echo "$wanted" > "$STAMP"
"$DEST/ferretdb" --version | head -n 1
