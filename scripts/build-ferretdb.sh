#!/usr/bin/env bash
# Builds FerretDB v1.24.2 (a MongoDB-wire database on SQLite) from the Go module proxy.
# Usage: scripts/build-ferretdb.sh [DEST_DIR]   (default: ~/.cache/parley/bin)
# `go install ...@v1.24.2` builds a binary that panics at start (its version file is generated
# in FerretDB's own release process), so we build from a copy of the module with that file written.
set -euo pipefail
VERSION=v1.24.2
DEST=${1:-"${XDG_CACHE_HOME:-$HOME/.cache}/parley/bin"}
export PATH="$PATH:/usr/local/go/bin"
if [ -x "$DEST/ferretdb" ] && "$DEST/ferretdb" --version 2>/dev/null | grep -q "$VERSION"; then
  echo "ferretdb $VERSION already at $DEST/ferretdb"; exit 0
fi
command -v go >/dev/null || { echo "Go is needed to build FerretDB: install Go 1.22+ (https://go.dev/dl) or put mongod on PATH" >&2; exit 1; }
echo "Building FerretDB $VERSION once (a few minutes on first run)..."
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOFLAGS=-mod=mod
src=$(cd "$work" && go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
cp -r "$src" "$work/src" && chmod -R u+w "$work/src"
echo "$VERSION" > "$work/src/build/version/version.txt"
mkdir -p "$DEST"
(cd "$work/src" && go build -trimpath -o "$DEST/ferretdb" ./cmd/ferretdb)
"$DEST/ferretdb" --version | head -n 1
