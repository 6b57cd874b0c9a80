# Sourced by the build scripts: picks how to build for wasm32-unknown-unknown.
# A rustup toolchain with the wasm32 target installed builds as usual. Otherwise (no download of the target
# possible), Debian's rustc-web + rust-web-src + lld-22 build the standard library from source.
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  WASM_TOOLCHAIN=rustup
  wasm_cargo() { cargo "$@"; }
else
  WASM_TOOLCHAIN=debian
  wasm_cargo() {
    RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld-22 \
      /usr/bin/cargo "$@" -Z build-std=std,panic_abort
  }
fi
