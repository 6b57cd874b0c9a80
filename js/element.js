// wasm-bindgen cannot declare `class extends HTMLElement`, so this module defines the element and forwards its
// lifecycle to Rust: `create(host)` returns the Rust `Element` that lives while the host is in the document.
const EARLY = Symbol.for('anypoint-signin.early');

export function defineElement(tag, observed, create) {
  if (customElements.get(tag)) return;
  customElements.define(tag, class extends HTMLElement {
    static observedAttributes = observed;
    #inner = null;
    // Back from the authorize page restores this page from the back/forward cache mid-redirect.
    #shown = (event) => { if (event.persisted) this.#inner?.pageRestored(); };
    // The pointer or the focus coming near: a click may follow, so what it needs (discovery) is fetched now.
    #near = () => this.#inner?.warm();
    connectedCallback() {
      this.#inner ??= create(this);
      // What the entry module did while the element was a placeholder: undone, and a kept click acted on.
      const early = this[EARLY];
      if (early) {
        delete this[EARLY];
        for (const name of early.set) this.removeAttribute(name);
        if (early.click) this.#inner.signIn();
      }
      addEventListener('pageshow', this.#shown);
      this.addEventListener('pointerenter', this.#near);
      this.addEventListener('focusin', this.#near);
    }
    // Freed after the current task's script, not now: a move (disconnect, then connect in the same script)
    // keeps its sign-in under way, and an event listener that removes the element runs while Rust still holds it.
    disconnectedCallback() {
      removeEventListener('pageshow', this.#shown);
      queueMicrotask(() => { if (!this.isConnected) { this.#inner?.free(); this.#inner = null; } });
    }
    attributeChangedCallback(name, _old, value) { this.#inner?.attributeChanged(name, value); }
    get signedIn() { return this.#inner?.signedIn ?? false; }
    get accessToken() { return this.#inner?.accessToken ?? null; }
    get tokenType() { return this.#inner?.tokenType ?? null; }
    get profile() { return this.#inner?.profile ?? null; }
    signIn() { this.#inner?.signIn(); }
    signOut() { this.#inner?.signOut(); }
    fetch(input, init) {
      return this.#inner?.fetch(input, init)
        ?? Promise.reject(new Error('anypoint-signin: the element is not in the document, so it has no session to send.'));
    }
  });
}
