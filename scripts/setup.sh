#!/usr/bin/env bash
# Installs whatever is missing on a fresh machine: the wasm toolchain, wasm-bindgen-cli at the version in
# Cargo.lock, the npm packages, and (with --browser) Debian's Chromium, Firefox ESR and WebKitGTK for the tests.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} = 0 ] && return
  echo "setup: apt-get install ${missing[*]}"
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }
command -v npm >/dev/null || apt_install nodejs npm

source scripts/toolchain.sh
if [ "$WASM_TOOLCHAIN" = debian ]; then
  # No downloadable wasm32 std: Debian's toolchain builds it from source (see scripts/toolchain.sh).
  apt_install rustc-web cargo-web rust-web-src lld-22
fi
if [ "${1:-}" = --browser ]; then
  # A Japanese font, so the ja labels in the screenshots are glyphs rather than boxes.
  apt_install chromium chromium-driver fonts-ipafont-gothic
  # The other two engines of tests/browser/engines.test.mjs: Firefox ESR, and WebKitGTK's WebKitWebDriver with
  # the MiniBrowser libwebkit2gtk ships, which has no headless mode and so runs under Xvfb.
  apt_install firefox-esr webkit2gtk-driver libwebkit2gtk-4.1-0 xvfb
fi

# wasm-bindgen's CLI must match the library in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "setup: cargo install wasm-bindgen-cli $want"
  # --locked when its lockfile resolves here; a registry mirror may lack a pinned crate, then resolve afresh.
  cargo install -q wasm-bindgen-cli --version "$want" --locked 2>/dev/null ||
    cargo install -q wasm-bindgen-cli --version "$want"
fi

# The browsers come from Debian: puppeteer-core downloads none, and nothing else may try.
export PUPPETEER_SKIP_DOWNLOAD=1

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi

# The toolchains of the package test's Vue, Angular and Next.js apps, apart from the root's (see its package.json).
fw=tests/browser/frameworks
if [ ! -d $fw/node_modules ] || [ $fw/package-lock.json -nt $fw/node_modules/.package-lock.json ]; then
  echo "setup: npm ci ($fw)"
  (cd $fw && npm ci --no-audit --no-fund --loglevel=error)
fi
