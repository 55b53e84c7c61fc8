// mentorkit: one script defines <mentorkit-agreement> and <mentorkit-feedback>.
// The build bundles this file with the wasm-bindgen glue into
// pkg/mentorkit-elements.js, so a host page fetches one script and the wasm.
// Loading it twice is harmless: an element name already defined is left alone.
import init, { AgreementElement, FeedbackElement } from './mentorkit.js';

const ready = init({ module_or_path: new URL('./mentorkit_bg.wasm', import.meta.url) });

const OBSERVED = ['namespace', 'locale'];

function define(name, Rust) {
  if (customElements.get(name)) return;
  customElements.define(name, class extends HTMLElement {
    static get observedAttributes() { return OBSERVED; }

    connectedCallback() {
      const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
      ready.then(() => {
        if (this.isConnected && !this._rust) {
          this._rust = new Rust(this, root);
          performance.mark(`${name}:ready`);
        }
      }, (error) => showLoadFailure(root, error));
    }

    disconnectedCallback() {
      const rust = this._rust;
      this._rust = null;
      if (rust) { rust.flush(); rust.free(); }
    }

    attributeChangedCallback(attribute, before, after) {
      if (this._rust && before !== after) this._rust.attributeChanged(attribute);
    }

    get value() { return this._rust ? this._rust.value : undefined; }
  });
}

function showLoadFailure(root, error) {
  if (root.querySelector('[data-mentorkit-failure]')) return;
  const box = document.createElement('p');
  box.setAttribute('role', 'alert');
  box.setAttribute('data-mentorkit-failure', '');
  box.style.cssText = 'padding:1em;border:2px solid #b3261e;border-radius:6px;font:16px/1.5 system-ui,sans-serif;color:#1c1b1f;background:#fff';
  box.textContent = 'This form could not start: its WebAssembly module did not load. ' + String(error && error.message || error);
  root.append(box);
  console.error('mentorkit: the WebAssembly module did not load', error);
}

define('mentorkit-agreement', AgreementElement);
define('mentorkit-feedback', FeedbackElement);
