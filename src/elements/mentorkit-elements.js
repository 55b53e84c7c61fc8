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

// Rich data, given only as properties, and the widget method each is handed
// to. Headers (an API key, say) are never an attribute, so they are not
// written into the page's HTML.
const RICH = { programme: 'setProgramme', agreement: 'setAgreement', headers: 'setHeaders', deliver: 'setDeliver' };

// Observed, and also reachable as properties of the same name.
const ATTRIBUTES = ['namespace', 'locale', 'config', 'respondent', 'endpoint', 'storage', 'credentials'];

function define(name, kind) {
  if (customElements.get(name)) return;
  const element = class extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }

    connectedCallback() {
      // A property set before the element was upgraded shadows the accessor.
      for (const name of [...Object.keys(RICH), ...ATTRIBUTES]) {
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
          for (const [property, setter] of Object.entries(RICH)) {
            if (property !== 'programme' && this['_' + property] !== undefined) this._rust[setter](this['_' + property]);
          }
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
  };
  reflect(element);
  customElements.define(name, element);
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

function reflect(element) {
  for (const [name, setter] of Object.entries(RICH)) {
    Object.defineProperty(element.prototype, name, {
      get() { return this['_' + name]; },
      set(value) {
        this['_' + name] = value;
        if (this._rust) this._rust[setter](value);
      },
    });
  }
  for (const name of ATTRIBUTES) {
    Object.defineProperty(element.prototype, name, {
      get() { return this.getAttribute(name); },
      set(value) { if (value == null) this.removeAttribute(name); else this.setAttribute(name, String(value)); },
    });
  }
}

define('mentorkit-agreement', 'agreement');
define('mentorkit-feedback', 'feedback');
