// mentorkit's element script: the custom elements <mentorkit-agreement> and
// <mentorkit-feedback> and the JS API (mount, validateAgreement,
// renderAgreement, recordSchema, memoryBytes). The build bundles it, with the
// wasm-bindgen glue of the widgets an entry names, into one file per entry:
// pkg/mentorkit-elements.js (both widgets), pkg/mentorkit-feedback.js and
// pkg/mentorkit-agreement.js (one each, for a page that shows only that one).
// Each widget is its own WebAssembly module, fetched only when an element of
// its kind is on the page (as soon as the script runs), and English is built
// in: another language's texts are a small file fetched, at the same time,
// for the widgets that need them. What a widget's first field does not need
// is a second module, fetched once the widget is on screen: the feedback
// history (its charts, entries and files) and the agreement document (the
// preview, the changes, the files and the calendar). Loading a script twice,
// or two of them, is harmless: an element name already defined is left alone.

import { sendingFrom } from 'mentorkit-net';

// The build writes the hash of every file fetched from here in here (a
// second module's is in its script), so the script tag's integrity
// attribute covers the modules, the scripts and the languages too: as a
// function at the very end of the script (declared, so callable from the
// start), where hashes that change with every build do not disturb how the
// rest of the script compresses.
const INTEGRITY = typeof fileIntegrity === 'function' ? fileIntegrity() : {};

// The modules this script knows: each widget's, whose glue it holds, and its
// second module's, whose glue is a script of its own beside this one.
const MODULES = {};

// Each widget's second module, and the glue of the widget that hands it.
const LATER = {};

/**
 * Takes a widget's glue (as an entry imports it) and the name of its second
 * module, and defines its element, `mentorkit-<kind>`.
 */
export function widget(kind, glue, second) {
  MODULES[kind] = { glue, file: `mentorkit_${kind}_bg.wasm` };
  MODULES[second] = { script: `mentorkit_${second}.js`, file: `mentorkit_${second}_bg.wasm` };
  LATER[kind] = [second, glue];
  installed[kind] = new Set();
  installed[second] = new Set();
  // In a worker there are no elements; the helpers below still work.
  if (globalThis.customElements) define(`mentorkit-${kind}`, kind);
}

/** The address of `file`, next to this script. */
const beside = (file) => new URL(`./${file}`, import.meta.url).href;

/** Fetches a file that sits next to this script, checked against its hash. */
function fetchBeside(file, integrity = INTEGRITY[file]) {
  // Without a hash (integrity undefined) the request checks nothing.
  return fetch(beside(file), { integrity });
}

/**
 * Imports a script that sits next to this one, checked against its hash.
 * `import()` takes no hash; but a module script is fetched and run once per
 * page, so once a script element that checks it has run it, importing its
 * address gives that same module.
 */
function importBeside(file, fragment = '') {
  const url = beside(file + fragment);
  if (!INTEGRITY[file] || !globalThis.document) return import(url);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.type = 'module';
    script.integrity = INTEGRITY[file];
    script.src = url;
    script.onload = () => {
      script.remove();
      resolve(import(url));
    };
    script.onerror = () => {
      script.remove();
      reject(new Error(`${file} did not load, or is not the file this script was built with`));
    };
    (document.head || document.documentElement).append(script);
  });
}

// What sends a record and holds the outbox's lock (`net.js`, the widgets'
// own) is a script of its own, imported when a widget first passes over its
// outbox. A module that failed to load stays failed at its address, so each
// later try asks for it under another (the same file, with a fragment).
let sendingTries = 0;
sendingFrom(() => importBeside('mentorkit_net.js', sendingTries++ ? `#${sendingTries}` : ''));

const loading = {};
const exportsOf = {};

/** The glue of the widget `kind`, once its module has been fetched and started. */
function load(kind) {
  if (!loading[kind]) {
    const module = MODULES[kind];
    const glue = module.glue ? Promise.resolve(module.glue) : importBeside(module.script);
    // A second module's hash is in its own script, checked by this one's.
    const wasm = module.glue ? fetchBeside(module.file) : glue.then((second) => fetchBeside(module.file, second.wasmIntegrity));
    wasm.catch(() => {});
    loading[kind] = glue.then((glue) => glue.default({ module_or_path: wasm }).then((exports) => {
      exportsOf[kind] = exports;
      // A second module's script warms the browser's dates up (see second.js).
      if (glue.warmDates) glue.warmDates();
      return glue;
    }));
    loading[kind].catch(() => {});
  }
  return loading[kind];
}

// Languages whose texts come as a file; English is in every module.
const LANGUAGES = ['es', 'fr', 'de', 'ar'];
const catalogues = {};
const installed = {};

/** The primary language subtag an element is in: its locale, else the nearest lang. */
function languageOf(el) {
  const tag = el.getAttribute('locale') || (el.closest('[lang]') && el.closest('[lang]').getAttribute('lang')) || '';
  return tag.split(/[-_]/)[0].toLowerCase();
}

function catalogue(language) {
  if (!catalogues[language]) {
    catalogues[language] = fetchBeside(`i18n/${language}.json`).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`i18n/${language}.json answered ${r.status}`))));
    catalogues[language].catch(() => {});
  }
  return catalogues[language];
}

/** Makes the texts of `language` available to the widget `kind` (English stays if they cannot be had). */
async function speak(kind, glue, language) {
  if (!LANGUAGES.includes(language) || installed[kind].has(language)) return;
  try {
    glue.installCatalogue(language, await catalogue(language));
    installed[kind].add(language);
  } catch (error) {
    console.warn(`mentorkit: the ${language} texts did not load, so the widget speaks English.`, error);
  }
}

// The second module of the widget `el` (of `kind`): fetched once, in the
// widget's language, then handed to the widget's module; each widget is told
// when it is there (or could not be had), and draws with it.
const handed = {};
async function later(el, kind) {
  const [second, widgetGlue] = LATER[kind];
  let glue = null;
  try {
    glue = await load(second);
    await speak(second, glue, languageOf(el));
  } catch (error) {
    if (!handed[second]) console.warn(`mentorkit: ${MODULES[second].file} did not load.`, error);
  }
  if (!handed[second]) {
    handed[second] = true;
    widgetGlue.provideLater(glue ? glue.laterAnswer : null);
  }
  // The second module takes its place in the widget: its styles, and
  // hearing what it draws there (the device section).
  if (glue) glue.hear(el.shadowRoot);
  if (el._rust) el._rust.laterArrived();
}

// Rich data, given only as properties, and the widget method each is handed
// to. Headers (an API key, say) are never an attribute, so they are not
// written into the page's HTML.
const RICH = { programme: 'setProgramme', agreement: 'setAgreement', headers: 'setHeaders', deliver: 'setDeliver', invitation: 'setInvitation' };

// Observed, and also reachable as properties of the same name.
const ATTRIBUTES = ['namespace', 'locale', 'config', 'respondent', 'endpoint', 'storage', 'credentials', 'theme'];

const EVENTS = { change: 'mentorkit-change', submit: 'mentorkit-submit', status: 'mentorkit-status', error: 'mentorkit-error' };

/** What went wrong, in words: an error's message, or the thing thrown. */
const said = (error) => String(error && error.message || error);

/** An Error with a stable `code`, as the widgets and helpers throw. */
function failure(code, message) {
  const error = new Error('mentorkit: ' + message);
  error.name = 'MentorkitError';
  error.code = code;
  return error;
}

function define(name, kind) {
  if (customElements.get(name)) return;
  const element = class extends HTMLElement {
    static get observedAttributes() { return ATTRIBUTES; }

    constructor() {
      super();
      this._expectStart();
    }

    // A new promise for `ready`, settled when the next widget starts or fails.
    _expectStart() {
      this._started = new Promise((resolve, reject) => { this._start = resolve; this._fail = reject; });
      this._started.catch(() => {});
    }

    connectedCallback() {
      // A property set before the element was upgraded shadows the accessor.
      for (const name of [...Object.keys(RICH), ...ATTRIBUTES, 'value']) {
        if (Object.prototype.hasOwnProperty.call(this, name)) {
          const value = this[name];
          delete this[name];
          this[name] = value;
        }
      }
      let root;
      try {
        root = this.shadowRoot || this.attachShadow({ mode: 'open' });
      } catch (error) {
        // A page that breaks attachShadow gets a message in the element
        // itself rather than an empty box.
        showFailure(this, this, failure('shadow-unavailable', 'the page would not let the widget attach its shadow root (attachShadow threw: ' + said(error) + ').'));
        return;
      }
      load(kind).then(async (glue) => {
        await speak(kind, glue, languageOf(this));
        if (this.isConnected && !this._rust) {
          try {
            this._rust = new glue.Widget(kind, this, root, this._programme);
          } catch (error) {
            showFailure(this, root, failure('start-failed', 'the widget could not start in this page: ' + said(error)));
            return;
          }
          for (const [property, setter] of Object.entries(RICH)) {
            if (property !== 'programme' && this['_' + property] !== undefined) this._rust[setter](this['_' + property]);
          }
          if (this._value !== undefined) {
            const value = this._value;
            this._value = undefined;
            this._rust.setValue(value);
          }
          performance.mark(`${name}:ready`);
          // What the second module writes answers `export()` once `ready` settles.
          await later(this, kind);
          this._start(this);
        }
      }, (error) => showFailure(this, root, loadError(error, kind)));
    }

    disconnectedCallback() {
      const rust = this._rust;
      this._rust = null;
      if (rust) { rust.flush(); rust.free(); }
      // Connected again later: a new widget starts, and `ready` waits for it.
      this._expectStart();
    }

    attributeChangedCallback(attribute, before, after) {
      if (!this._rust || before === after) return;
      if (attribute !== 'locale') {
        this._rust.attributeChanged(attribute);
        return;
      }
      // A new language's texts first, then the redraw in it.
      const language = languageOf(this);
      const second = loading[LATER[kind][0]];
      const also = second ? second.then((glue) => speak(LATER[kind][0], glue, language), () => {}) : null;
      Promise.all([load(kind).then((glue) => speak(kind, glue, language)), also]).then(() => {
        if (this._rust) this._rust.attributeChanged(attribute);
      });
    }

    /** Resolves with the element once its widget has started. */
    get ready() { return this._started; }

    get value() { return this._rust ? this._rust.value : this._value; }
    set value(value) {
      if (this._rust) this._rust.setValue(value); else this._value = value;
    }

    validate() { return this._widget('validate').validate(); }
    submit() { this._widget('submit').submit(); }
    reset() { this._widget('reset').reset(); }
    export(format, options) { return this._widget('export').export(String(format), Boolean(options && options.full)); }

    _widget(method) {
      if (!this._rust) throw failure('not-ready', `${method}() was called before the widget started; wait for element.ready (or await mount(...)).`);
      return this._rust;
    }
  };
  reflect(element);
  customElements.define(name, element);
}

function loadError(error, kind) {
  const text = said(error);
  return /wasm-unsafe-eval|unsafe-eval|Content Security Policy/i.test(text)
    ? failure('wasm-blocked', "the page's Content Security Policy does not allow WebAssembly: add 'wasm-unsafe-eval' to script-src. " + text)
    : failure('wasm-load-failed', `the WebAssembly module ${MODULES[kind].file} (next to this script) did not load. ` + text);
}

/** Says in the element that it cannot work here, tells the console and the host. */
function showFailure(host, root, problem) {
  if (root.querySelector && root.querySelector('[data-mentorkit-failure]')) return;
  if (host._fail) host._fail(problem);
  const box = document.createElement('p');
  box.setAttribute('role', 'alert');
  box.setAttribute('data-mentorkit-failure', problem.code);
  box.setAttribute('part', 'error');
  box.style.cssText = 'display:block;margin:0;padding:1em;border:2px solid #b3261e;border-radius:6px;font:16px/1.5 system-ui,sans-serif;color:#1c1b1f;background:#fff';
  box.textContent = 'This form cannot start in this page, so nothing you type here could be kept. Please tell the site’s owner; they can find the cause in the browser console.';
  root.append(box);
  console.error(problem);
  host.dispatchEvent(new CustomEvent('mentorkit-error', { bubbles: true, composed: true, detail: { code: problem.code, message: problem.message } }));
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

// The JS API's functions are a script of their own, fetched (and checked
// against its hash) the first time one is called: a page that only uses the
// elements never downloads it. Each is handed what it needs of this script.
const CORE = { LATER, RICH, ATTRIBUTES, EVENTS, failure, load, speak, loadError, loading, exportsOf };
let api = null;
function call(name, args) {
  if (!api) {
    api = importBeside('mentorkit_api.js');
    api.catch(() => { api = null; });
  }
  return api.then((functions) => functions[name](CORE, ...args), (error) => {
    throw failure('api-unavailable', `${name}: mentorkit_api.js (next to this script) did not load. ` + said(error));
  });
}

/** See `mount` in mentorkit_api.js; the widget's module is asked for at once. */
export function mount(...args) {
  const kind = (args[1] && args[1].kind) || Object.keys(LATER)[0];
  if (LATER[kind]) load(kind);
  return call('mount', args);
}
export const validateAgreement = (...args) => call('validateAgreement', args);
export const renderAgreement = (...args) => call('renderAgreement', args);
export const recordSchema = (...args) => call('recordSchema', args);
export const memoryBytes = (...args) => call('memoryBytes', args);
