// Sending one record and holding the outbox's lock: the half of `net.js`
// a widget needs only once it has something to send. The element scripts
// fetch this file (checked against its hash) the first time a widget passes
// over its outbox; `net.js` hands every call on to it.

// A host may replace `fetch` or `deliver` with anything; every answer, error
// or throw of a send becomes one of these, and its promise never rejects:
//   [-1, null, '', false]               no answer within the time allowed
//   [0, null, message, false]           no answer: offline, refused, CORS
//   [status, retryAfter, reason, false] the host's function answered
//   [status, retryAfter, body, true]    the endpoint answered (Rust reads the
//                                       reason from the body; retryAfter is
//                                       the header's text)

/** An error as an answer: an object with a numeric `status` is one (so a host's function can say "refused" with 422); anything else is a network failure. */
function failed(error) {
  const get = (key) => {
    try {
      return Object(error)[key];
    } catch {
      return undefined;
    }
  };
  const message = typeof get('message') === 'string' ? get('message') : typeof error === 'string' ? error : 'the request failed';
  const status = get('status');
  if (typeof status === 'number' && status >= 100 && status < 600) {
    const retry = get('retryAfter');
    return [Math.trunc(status), typeof retry === 'number' ? retry * 1000 : null, `${message} (${Math.trunc(status)})`, false];
  }
  return [0, null, message, false];
}

/**
 * Sends one record's `body`: posted to the URL `to` with `headers` (names and
 * values in turn), or handed, parsed, to the host's function `to`. Either
 * way an attempt ends after `timeoutMs`.
 */
export function send(to, headers, credentials, key, body, keepalive, timeoutMs) {
  const controller = new AbortController();
  let answered;
  try {
    if (typeof to === 'function') {
      let record = null;
      try {
        record = JSON.parse(body);
      } catch {}
      answered = Promise.resolve(to(record)).then(() => [200, null, '', false]);
    } else {
      const list = new Headers();
      for (let i = 0; i < headers.length; i += 2) {
        const name = headers[i].toLowerCase();
        if (name === 'content-type' || name === 'idempotency-key') continue;
        list.append(headers[i], headers[i + 1]);
      }
      list.append('Content-Type', 'application/json');
      list.append('Idempotency-Key', key);
      // Started at once, so several are under way together when the page hides.
      answered = Promise.resolve(
        fetch(to, {
          method: 'POST',
          body,
          headers: list,
          keepalive,
          credentials: credentials === 'include' || credentials === 'same-origin' ? credentials : 'omit',
          signal: controller.signal,
        }),
      ).then(async (response) => {
        if (response.ok) return [response.status, null, '', false];
        const text = await response.text().catch(() => '');
        return [response.status, response.headers.get('Retry-After'), text, true];
      });
    }
  } catch (error) {
    answered = Promise.reject(error);
  }
  // An answer that never comes (a host's fetch may ignore the abort, a
  // host's function may never settle) still ends the attempt.
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => {
      controller.abort();
      resolve([-1, null, '', false]);
    }, timeoutMs);
  });
  return Promise.race([answered.catch(failed), late]).finally(() => clearTimeout(timer));
}

/**
 * Takes the Web Lock `name` if nobody holds it: resolves with the function
 * that lets it go, or null when another tab or widget holds it. Where the
 * browser has no Web Locks, there is nobody to share with.
 */
export function lock(name) {
  const locks = globalThis.navigator && navigator.locks;
  if (!locks || typeof locks.request !== 'function') return Promise.resolve(() => {});
  return new Promise((resolve) => {
    try {
      Promise.resolve(locks.request(name, { ifAvailable: true }, (held) => (held ? new Promise((release) => resolve(release)) : resolve(null)))).catch(() => resolve(null));
    } catch {
      resolve(null);
    }
  });
}
