// Fetching the programme's configuration, sending one record and holding the
// outbox's lock: the browser calls behind `dom::fetch_text`, `dom::send` and
// `dom::with_lock`. What an answer means, how long to wait and what to send
// next are decided in Rust; these only call the browser, which takes far
// fewer bytes written here than through bindings.
//
// Sending and the lock are in `sending.js`, a script of its own that the
// element script fetches the first time a widget passes over its outbox
// (that is, once a widget with an endpoint has started): no page pays for it
// before its first field. Until a script has said where it comes from, or
// when it cannot be had, a send answers "no answer" (the record waits and is
// tried again) and the lock is free.

let load = null;
let sending = null;
let failed = false;

/** Where the sending half comes from: `get` imports it (the element script gives it). */
export function sendingFrom(get) {
  load = get;
}

// Asked for once per pass over the outbox: a pass starts by taking the lock
// (`anew`), so a fetch that failed is tried again there, and that pass's
// sends answer with the same failure.
function sendingCode(anew) {
  if (!sending || (anew && failed)) {
    failed = false;
    sending = load ? Promise.resolve().then(load) : Promise.reject(new Error('no script says where the sending code is'));
    sending.catch(() => {
      failed = true;
    });
  }
  return sending;
}

/** The name of the first header (names and values in turn) the browser would refuse to send, if any. */
export function badHeader(headers) {
  for (let i = 0; i < headers.length; i += 2) {
    try {
      new Headers([[headers[i], headers[i + 1]]]);
    } catch {
      return headers[i];
    }
  }
}

/**
 * Sends one record (see `sending.js`): resolves, never rejects, with one of
 * its answers.
 */
export function send(...args) {
  return sendingCode(false).then(
    (code) => code.send(...args),
    (error) => [0, null, `the sending code could not be loaded (${error && error.message})`, false],
  );
}

/** Takes the Web Lock `name` if nobody holds it (see `sending.js`). */
export function lock(name) {
  return sendingCode(true).then((code) => code.lock(name), () => () => {});
}

/** Fetches `url`'s body as text; rejects with why it cannot be had. */
export function fetchText(url) {
  return Promise.resolve()
    .then(() => fetch(url))
    .then(
      (response) => (response.ok ? response.text().catch(() => Promise.reject('the body could not be read')) : Promise.reject(`the server answered ${response.status}`)),
      () => Promise.reject('the request failed'),
    );
}
