// What a link that carries a draft needs of the browser (the document's
// module only): its compression, its encryption, the address bar, the
// clipboard, and the builder's own way in for a draft file.

const encode = (bytes) => {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const decode = (text) => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
};

// The bytes of `bytes` run through `stream`, stopping past `most` bytes.
async function through(bytes, stream, most) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > most) {
      reader.cancel();
      throw new Error('too large');
    }
    parts.push(value);
  }
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

const KEY = 16;
const IV = 12;

/** `text` compressed and encrypted with a fresh key, as `1.<key><iv><ciphertext>` in base64url. */
export async function sealLink(text) {
  const key = crypto.getRandomValues(new Uint8Array(KEY));
  const iv = crypto.getRandomValues(new Uint8Array(IV));
  const packed = await through(new TextEncoder().encode(text), new CompressionStream('deflate-raw'), Infinity);
  const usable = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, usable, packed));
  const all = new Uint8Array(KEY + IV + sealed.length);
  all.set(key);
  all.set(iv, KEY);
  all.set(sealed, KEY + IV);
  return '1.' + encode(all);
}

/** The text `sealed` (from `sealLink`) carries, at most `most` bytes; rejects what was altered or cut short. */
export async function openLink(sealed, most) {
  const [version, data] = sealed.split('.');
  if (version !== '1' || !data) throw new Error('not a link of this version');
  const all = decode(data);
  if (all.length <= KEY + IV) throw new Error('cut short');
  const usable = await crypto.subtle.importKey('raw', all.slice(0, KEY), 'AES-GCM', false, ['decrypt']);
  const packed = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: all.slice(KEY, KEY + IV) }, usable, all.slice(KEY + IV));
  const bytes = await through(new Uint8Array(packed), new DecompressionStream('deflate-raw'), most);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The address's fragment if it begins with `prefix`, taken out of the address (and the history entry). */
export function takeLink(prefix) {
  const hash = location.hash;
  if (!hash.startsWith(prefix)) return undefined;
  history.replaceState(history.state, '', location.pathname + location.search);
  return hash;
}

let heard = [];
let listening = null;
let watch = null;

// The first builder heard that is still on the page; once none is, links
// are no longer listened for (until a builder is heard again).
function first() {
  heard = heard.filter((root) => root.host.isConnected);
  if (!heard.length && listening) {
    removeEventListener('hashchange', listening);
    watch.disconnect();
    listening = null;
  }
  return heard[0];
}

/**
 * Hears links for the builder whose shadow root is `root`: calls `f` with the
 * first builder on the page now, and whenever the address's fragment changes
 * (a link pasted into this tab) while one is there.
 */
export function hearLinks(root, f) {
  if (!heard.includes(root)) heard.push(root);
  if (!listening) {
    listening = () => {
      const root = first();
      if (root) f(root);
    };
    watch = new MutationObserver(first);
    watch.observe(document, { childList: true, subtree: true });
    addEventListener('hashchange', listening);
  }
  listening();
}

/** Gives the builder in `root` the draft file `text` named `name`, as if it were chosen; false if it has no way in. */
export function handOver(root, name, text) {
  const input = root.querySelector('input[name=import]');
  if (!input || typeof DataTransfer !== 'function') return false;
  const files = new DataTransfer();
  files.items.add(new File([text], name, { type: 'application/json' }));
  input.files = files.files;
  input.dispatchEvent(new Event('change', { bubbles: true }));
  return true;
}

/** The host's current data as JSON (`null` if it has none or will not say). */
export function hostValue(root) {
  try {
    return JSON.stringify(root.host.value ?? null);
  } catch {
    return 'null';
  }
}

/** Copies `text`; false where the page may not. */
export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Once `selector` matches in `root` (within two seconds), focuses it and brings it into view. */
export function focusWhenThere(root, selector) {
  const go = () => {
    const el = root.querySelector(selector);
    if (!el) return false;
    el.focus({ preventScroll: true });
    // At the top, below whatever the page keeps fixed there (the widget's scroll margin).
    el.scrollIntoView?.({ block: 'start' });
    return true;
  };
  const watch = new MutationObserver(() => { if (go()) watch.disconnect(); });
  watch.observe(root, { childList: true, subtree: true });
  setTimeout(() => watch.disconnect(), 2000);
}

/** The page's address. */
export function pageAddress() {
  return location.href;
}
