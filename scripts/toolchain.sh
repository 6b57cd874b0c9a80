# Sourced by the build scripts: picks how to build for wasm32-unknown-unknown, with the flags that make the
# wasm small (BENCHMARKS.md has what each one buys).
# A rustup toolchain with the wasm32 target installed builds as usual. Otherwise (no download of the target
# possible), Debian's rustc-web + rust-web-src + lld-22 build the standard library from source, which also lets
# the standard library itself be built for size.

# sha2's compact SHA-256 (a loop, not 64 unrolled rounds): PKCE hashes 43 bytes once per sign-in.
WASM_RUSTFLAGS='--cfg sha2_backend_soft="compact"'
# Every wasm link goes through scripts/wasm-link.sh, which calls $WASM_LD without the exports nothing uses.
WASM_LINKER="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/wasm-link.sh"
if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  WASM_TOOLCHAIN=rustup
  # The toolchain's own lld, the linker rustc uses for this target by default.
  export WASM_LD="$(rustc --print sysroot)/lib/rustlib/$(rustc -vV | sed -n 's/^host: //p')/bin/rust-lld"
  wasm_cargo() {
    RUSTFLAGS="$WASM_RUSTFLAGS" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$WASM_LINKER" cargo "$@"
  }
else
  WASM_TOOLCHAIN=debian
  export WASM_LD=wasm-ld-22
  WASM_BUILD_STD=(-Z build-std=std,panic_abort)
  debian_rustc() { RUSTC_BOOTSTRAP=1 /usr/bin/rustc "$@"; }
  # Panics abort on the spot, with no message formatting or file/line strings compiled in (none reaches a
  # user anyway: the element reports errors itself). `immediate-abort` is a panic strategy since Rust 1.91;
  # probed, so an older rustc-web still builds, only larger.
  if debian_rustc -Zunstable-options -Cpanic=immediate-abort --print cfg --target wasm32-unknown-unknown 2>/dev/null |
    grep -q 'panic="immediate-abort"'; then
    WASM_RUSTFLAGS+=' -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none'
  fi
  # The standard library's size-over-speed algorithms, where this source has them.
  # (Before the set-up has installed rustc-web, there is no /usr/bin/rustc to ask: no error line for that.)
  if [ -x /usr/bin/rustc ] &&
    grep -q '^optimize_for_size' "$(/usr/bin/rustc --print sysroot)/lib/rustlib/src/rust/library/std/Cargo.toml" 2>/dev/null; then
    WASM_BUILD_STD+=(-Z build-std-features=optimize_for_size)
  fi
  wasm_cargo() {
    RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc RUSTDOC=/usr/bin/rustdoc RUSTFLAGS="$WASM_RUSTFLAGS" \
      CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER="$WASM_LINKER" \
      /usr/bin/cargo "$@" "${WASM_BUILD_STD[@]}"
  }
fi
