// mentorkit: one script defines <mentorkit-agreement> and <mentorkit-feedback>.
// The build bundles this file with the wasm-bindgen glue into
// pkg/mentorkit-elements.js, so a host page fetches one script and the wasm.
// Loading it twice is harmless: an element name already defined is left alone.
import init, { Widget } from './mentorkit.js';

const ready = init({ module_or_path: new URL('./mentorkit_bg.wasm', import.meta.url) });

// The first date a page formats pays for loading the browser's locale and
// time-zone data (tens of milliseconds); paying it while the page is idle keeps
// it out of the first history a person opens.
ready.then(() => {
  const warm = () => {
    new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' }).format(0);
    new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' }).format(0);
  };
  if (window.requestIdleCallback) requestIdleCallback(warm, { timeout: 2000 }); else setTimeout(warm, 200);
}, () => {});

const OBSERVED = ['namespace', 'locale', 'config', 'respondent'];

function define(name, kind) {
  if (customElements.get(name)) return;
  customElements.define(name, class extends HTMLElement {
    static get observedAttributes() { return OBSERVED; }

    connectedCallback() {
      // A property set before the element was upgraded shadows the accessor.
      for (const name of ['programme', 'agreement']) {
        if (Object.prototype.hasOwnProperty.call(this, name)) {
          const value = this[name];
          delete this[name];
          this[name] = value;
        }
      }
      const root = this.shadowRoot || this.attachShadow({ mode: 'open' });
      ready.then(() => {
        if (this.isConnected && !this._rust) {
          this._rust = new Widget(kind, this, root, this._programme);
          if (this._agreement !== undefined) this._rust.setAgreement(this._agreement);
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

    get programme() { return this._programme; }
    set programme(value) {
      this._programme = value;
      if (this._rust) this._rust.setProgramme(value);
    }

    get agreement() { return this._agreement; }
    set agreement(value) {
      this._agreement = value;
      if (this._rust) this._rust.setAgreement(value);
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

define('mentorkit-agreement', 'agreement');
define('mentorkit-feedback', 'feedback');
