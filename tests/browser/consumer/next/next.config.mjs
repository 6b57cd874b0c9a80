// The package test links this app's packages to its toolchain folder (tests/browser/frameworks), outside the
// app: Turbopack compiles only files under its root. An app with its own node_modules needs none of this.
export default { turbopack: { root: '/' } };
