// What a second module's script adds to its glue: the build bundles the
// two into mentorkit_document.js or mentorkit_history.js, which come after
// the first field, so the element script need not carry this.

// The first date a page formats pays for loading the browser's locale and
// time-zone data (tens of milliseconds); paying it while the page is idle
// keeps it out of the first history or preview a person opens. The element
// script calls this once the module has started.
export function warmDates() {
  const warm = () => {
    new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' }).format(0);
    new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeZone: 'UTC' }).format(0);
  };
  if (globalThis.requestIdleCallback) requestIdleCallback(warm, { timeout: 2000 }); else setTimeout(warm, 200);
}
