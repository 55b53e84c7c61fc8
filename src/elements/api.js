// mentorkit's JS API: mount, validateAgreement, renderAgreement,
// recordSchema and memoryBytes. The element script exports each of them and
// fetches this script, beside it and checked against its hash, the first
// time one is called; each is handed the element script's own parts it needs
// (`core`): the widgets it holds, its options, its errors and its modules.

/**
 * Mounts a widget inside `target` and resolves with a handle once it has
 * started. `options.kind` is 'agreement' or 'feedback' (by default the
 * agreement, or the one widget this script holds); every other option is an
 * attribute or property of the element, and `options.on` maps `change`,
 * `submit`, `status` and `error` to listeners.
 */
export async function mount(core, target, options = {}) {
  const { LATER, ATTRIBUTES, RICH, EVENTS, failure } = core;
  if (!(target instanceof Element)) throw failure('target-invalid', 'mount(target, options): target must be an element of the page.');
  const held = Object.keys(LATER);
  const { kind = held[0], on = {}, value, ...rest } = options;
  if (kind !== 'agreement' && kind !== 'feedback') throw failure('kind-invalid', `mount: kind must be "agreement" or "feedback", not "${kind}".`);
  if (!LATER[kind]) throw failure('kind-unavailable', `mount: this script holds only the ${held[0]} widget; for the ${kind} widget load mentorkit-elements.js (both) or mentorkit-${kind}.js instead.`);
  const element = document.createElement('mentorkit-' + kind);
  for (const [key, given] of Object.entries(rest)) {
    if (ATTRIBUTES.includes(key)) { if (given != null) element.setAttribute(key, String(given)); }
    else if (key in RICH) element[key] = given;
    else throw failure('option-unknown', `mount: "${key}" is not an option; see the README's API reference.`);
  }
  if (value !== undefined) element.value = value;
  const listening = [];
  for (const [short, listener] of Object.entries(on)) {
    const type = EVENTS[short];
    if (!type || typeof listener !== 'function') throw failure('option-unknown', `mount: on.${short} must be a function for one of ${Object.keys(EVENTS).join(', ')}.`);
    const handler = (event) => listener(event.detail, event);
    element.addEventListener(type, handler);
    listening.push([type, handler]);
  }
  target.append(element);
  await element.ready;
  let destroyed = false;
  const live = () => {
    if (destroyed) throw failure('destroyed', 'this widget was destroyed; mount a new one.');
    return element;
  };
  return {
    element,
    get value() { return live().value; },
    set value(data) { live().value = data; },
    get invitation() { return live().invitation; },
    set invitation(text) { live().invitation = text; },
    validate: () => live().validate(),
    submit: () => live().submit(),
    reset: () => live().reset(),
    export: (format, exportOptions) => live().export(format, exportOptions),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const [type, handler] of listening) element.removeEventListener(type, handler);
      element.remove();
    },
  };
}

/** The agreement module (or the document's, with `kind`), speaking the language of `locale`. */
async function agreementIn({ load, speak, loadError }, locale, kind = 'agreement') {
  const glue = await load(kind).catch((error) => { throw loadError(error, kind); });
  await speak(kind, glue, String(locale || 'en').split(/[-_]/)[0].toLowerCase());
  return glue;
}

/** Checks an agreement's data without any element: `{valid, problems}`. */
export async function validateAgreement(core, data, options = {}) {
  return (await agreementIn(core, options.locale)).validateAgreement(data, options.programme, options.locale);
}

/** Writes an agreement's data as md, html, txt, ics or json. */
export async function renderAgreement(core, data, format, options = {}) {
  return (await agreementIn(core, options.locale, 'document')).renderAgreement(data, String(format), options.programme, options.locale);
}

const KINDS = ['agreement', 'session', 'checkin', 'closing'];

/** The JSON Schema (2020-12) of a record of `kind`, as an endpoint receives it. */
export async function recordSchema({ failure }, kind) {
  if (!KINDS.includes(kind)) throw failure('kind-invalid', `recordSchema: kind must be one of ${KINDS.join(', ')}.`);
  const response = await fetch(new URL(`./schemas/record.${kind}.schema.json`, import.meta.url));
  if (!response.ok) throw failure('schema-missing', `recordSchema: schemas/record.${kind}.schema.json (next to this script) answered ${response.status}.`);
  return response.json();
}

/**
 * Bytes of memory the WebAssembly modules started on this page hold (each
 * grows, never shrinks); a module that could not be had counts for none.
 */
export async function memoryBytes({ loading, exportsOf }) {
  await Promise.allSettled(Object.values(loading));
  return Object.values(exportsOf).reduce((total, exports) => total + exports.memory.buffer.byteLength, 0);
}
