// Every docs page: the same header and navigation, and each live example's
// own source shown as its snippet, so what a reader copies is exactly what
// runs on the page.
const PAGES = [
  ['index.html', 'One tag'],
  ['properties-events.html', 'Properties and events'],
  ['js-api.html', 'JS API'],
  ['theming.html', 'Theming'],
  ['languages.html', 'Languages'],
];

function header() {
  const here = location.pathname.split('/').pop() || 'index.html';
  const bar = document.createElement('header');
  const title = document.createElement('strong');
  title.textContent = 'mentorkit docs';
  const nav = document.createElement('nav');
  nav.setAttribute('aria-label', 'Docs');
  const list = document.createElement('ul');
  for (const [href, label] of PAGES) {
    const item = document.createElement('li');
    const link = document.createElement('a');
    link.href = href;
    link.textContent = label;
    if (href === here) link.setAttribute('aria-current', 'page');
    item.append(link);
    list.append(item);
  }
  nav.append(list);
  bar.append(title, nav);
  document.body.prepend(bar);
}
header();

function dedent(text) {
  const lines = text.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

function snippet(source, after) {
  const box = document.createElement('div');
  box.className = 'snippet';
  const pre = document.createElement('pre');
  const code = document.createElement('code');
  code.textContent = dedent(source);
  pre.append(code);
  const copy = document.createElement('button');
  copy.type = 'button';
  copy.textContent = 'Copy';
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(code.textContent);
      copy.textContent = 'Copied';
    } catch {
      copy.textContent = 'Select and copy';
      getSelection().selectAllChildren(code);
    }
    setTimeout(() => { copy.textContent = 'Copy'; }, 2000);
  });
  box.append(pre, copy);
  after.after(box);
}

for (const example of document.querySelectorAll('[data-example]')) {
  // A script's text, or the markup of a live block as written in the page.
  const source = example.tagName === 'SCRIPT' ? example.textContent : example.dataset.source || example.innerHTML;
  snippet(source, example);
}

// Event logs: every mentorkit event that reaches the document, newest last.
const log = document.querySelector('[data-event-log]');
if (log) {
  for (const type of ['mentorkit-change', 'mentorkit-submit', 'mentorkit-status', 'mentorkit-error']) {
    document.addEventListener(type, (event) => {
      const line = `${type} from <${event.target.localName}>: ${JSON.stringify(event.detail).slice(0, 300)}\n`;
      log.textContent += line;
      log.scrollTop = log.scrollHeight;
    });
  }
}
