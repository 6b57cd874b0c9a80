#!/usr/bin/env bash
# Installs what is missing, builds the element, and serves the demo with the local authorization server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec node playground/serve.mjs "$@"
