#!/usr/bin/env bash
# The README's run command: installs what is missing, builds the element and the playground server, then
# starts the local authorization server, the backend exchange endpoint and the playground, and prints the URL.
# Ctrl-C stops everything it started.
#
#   scripts/dev.sh [--port N] [--auth-port N]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
echo "build: playground server (cargo build -p anypoint-signin-playground)"
cargo build -q -p anypoint-signin-playground
exec node playground/serve.mjs "$@"
