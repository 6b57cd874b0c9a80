// `import { define } from 'anypoint-signin/define'`: defines the element under a tag of your choice. Importing
// it does nothing by itself (the package's `sideEffects` says so); the wasm loads on the first call, from next
// to the glue module (`new URL(…, import.meta.url)`), which bundlers follow and copy.
import init, { define as defineTag } from './anypoint_signin.js';

let loaded;

// `wasm`, for the package's entry module: its request for the wasm, already under way.
export async function define(tag = 'anypoint-signin', wasm = undefined) {
  // One load for every call; a failed load (offline, a CSP without 'wasm-unsafe-eval') may be retried.
  loaded ??= init(wasm && { module_or_path: wasm }).catch((error) => {
    loaded = undefined;
    // Without the wasm there is no element to show a message in: say what usually causes it.
    console.error(`anypoint-signin: its WebAssembly did not load (${error}). Under a Content-Security-Policy, ` +
      "script-src needs 'wasm-unsafe-eval'; anypoint_signin_bg.wasm must be served from next to anypoint_signin.js.");
    throw error;
  });
  await loaded;
  defineTag(tag);
}
