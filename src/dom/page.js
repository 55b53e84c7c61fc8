// Small browser calls behind `dom`: written here, each takes far fewer bytes
// than through bindings.

/**
 * Dispatches a `CustomEvent` carrying `detail` from `target` (the window when
 * none), bubbling and crossing shadow roots. A page that broke events gets
 * none, and the widget goes on.
 */
export function fire(target, name, detail) {
  try {
    (target || globalThis).dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
  } catch {}
}

/** Today's local date, as days since 1970-01-01. */
export function today() {
  const d = new Date();
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 864e5;
}

const formats = new Map();

/**
 * A calendar date (`YYYY-MM-DD`, read and written in UTC so it keeps its day)
 * or a timestamp, written by `Intl` for `locale`; what no `Date` reads comes
 * back as it was. Each locale's formats are made once: making one is far
 * slower than using it, and a history writes hundreds of dates.
 */
export function formatDate(locale, iso) {
  const dateOnly = iso.length === 10;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = `${dateOnly}${locale}`;
  try {
    if (!formats.has(key)) formats.set(key, new Intl.DateTimeFormat(locale, dateOnly ? { dateStyle: 'long', timeZone: 'UTC' } : { dateStyle: 'long', timeStyle: 'short' }));
    return formats.get(key).format(date);
  } catch {
    return iso;
  }
}

let made = 0;

/**
 * A random id in the form of a version 4 UUID, from the browser's
 * cryptographic random numbers (there outside secure contexts too); where
 * there are none, the time, a count of ids made here and `Math.random` still
 * keep ids apart.
 */
export function randomId() {
  const b = new Uint8Array(16);
  try {
    crypto.getRandomValues(b);
  } catch {
    made++;
    const now = Date.now();
    for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) ^ (i < 4 ? made >>> (i * 8) : Math.floor(now / 2 ** ((i % 6) * 8)));
  }
  b[6] = (b[6] & 15) | 64;
  b[8] = (b[8] & 63) | 128;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
}

/** The name of the control with focus in `root` and its selection (for a text field): `[name, start, end]`. */
export function focused(root) {
  const el = root.activeElement;
  const name = el && (el.getAttribute('name') || el.getAttribute('data-focus'));
  if (!name) return undefined;
  try {
    if (typeof el.selectionStart === 'number') return [name, el.selectionStart, el.selectionEnd];
  } catch {}
  return [name];
}

/** Puts a text field's selection back, as `focused` read it. */
export function select(el, start, end) {
  try {
    el.setSelectionRange(start, end);
  } catch {}
}

/** `url` resolved against the page, if it is `http:` or `https:`. */
export function httpUrl(url) {
  try {
    const resolved = new URL(url.trim(), document.baseURI);
    if (resolved.protocol === 'http:' || resolved.protocol === 'https:') return resolved.href;
  } catch {}
}

/**
 * Markup made into a fragment of the page's document: through a range, or,
 * where a host has broken that, a `DOMParser` document whose nodes are
 * adopted. `null` when neither works.
 */
export function parse(markup) {
  try {
    return document.createRange().createContextualFragment(markup);
  } catch {}
  try {
    const body = new DOMParser().parseFromString(`<!doctype html><body>${markup}`, 'text/html').body;
    const fragment = document.createDocumentFragment();
    while (body.firstChild) fragment.appendChild(document.adoptNode(body.firstChild));
    return fragment;
  } catch {
    return null;
  }
}

/** The edited control an event came from: `[name, value, ticked]`, `ticked` only for a checkbox. */
export function edited(event) {
  const el = event.target;
  if (el instanceof HTMLInputElement) return [el.name, el.value, el.type === 'checkbox' ? el.checked : undefined];
  if (el instanceof HTMLTextAreaElement) return [el.name, el.value];
}

/** Offers `text` as a file called `name`. */
export function download(name, mime, text) {
  const link = document.createElement('a');
  link.href = `data:${mime};charset=utf-8,${encodeURIComponent(text)}`;
  link.download = name;
  link.click();
}

const sheets = new Map();

/**
 * Adds the stylesheet made from `css` (made once per page) to `root`'s, or
 * makes it the only one when `first`; false where the browser has no
 * constructable stylesheets, or `css` is not a text.
 */
export function adopt(root, css, first) {
  if (typeof css !== 'string') return false;
  try {
    if (!sheets.has(css)) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = first ? [sheets.get(css)] : [...root.adoptedStyleSheets, sheets.get(css)];
    return true;
  } catch {
    return false;
  }
}

/** The page's window, if there is one (not in a worker). */
export function page() {
  return typeof window === 'object' && window ? window : undefined;
}

/** The values of the ticked boxes named `name` under `root`, `separator` between them. */
export function ticked(root, name, separator) {
  return Array.from(root.querySelectorAll('input:checked')).filter((el) => el.name === name).map((el) => el.value).join(separator);
}

/** `[text, ticked]`: the text of the field named `name` under `root`, and whether the box named `confirm` is ticked. */
export function typedAndTicked(root, name, confirm) {
  const input = (n) => Array.from(root.querySelectorAll('input')).find((el) => el.name === n);
  return [input(name)?.value ?? '', input(confirm)?.checked === true];
}

/** The file chosen in the input named `name` an event came from; the input is cleared, so the same file can be chosen again. */
export function chosenFile(event, name) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.name !== name) return undefined;
  const file = input.files?.[0];
  input.value = '';
  return file;
}

/** Whether `el` is an open `<details>`. */
export function isOpen(el) {
  return el instanceof HTMLDetailsElement && el.open;
}

/**
 * For a `toggle` event: `[record, open]` of a history entry (`data-record`)
 * or of the preview; other disclosures (the step menu) are the browser's alone.
 */
export function toggled(event) {
  const el = event.target;
  if (!(el instanceof HTMLDetailsElement)) return undefined;
  const record = el.getAttribute('data-record');
  if (record === null && !el.classList.contains('preview')) return undefined;
  return [record ?? undefined, el.open];
}

/** For a key pressed on a tab: `[key, id]`. */
export function keyOnTab(event) {
  const el = event.target;
  if (!(event instanceof KeyboardEvent) || !(el instanceof Element) || el.getAttribute('role') !== 'tab') return undefined;
  return [event.key, el.id];
}

/** Adds `handler` as a listener for `type` on `target`; returns what takes it off again. */
export function listen(target, type, handler, capture) {
  const options = { capture, passive: false };
  target.addEventListener(type, handler, options);
  return () => target.removeEventListener(type, handler, options);
}
