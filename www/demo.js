// The demo page's switches for the demo receiver.
for (const button of document.querySelectorAll('[data-fail]')) {
  button.addEventListener('click', async () => {
    const said = document.getElementById('receiver-said');
    try {
      const answer = await fetch(button.dataset.fail, { method: 'POST' });
      said.textContent = answer.ok ? `Done: ${button.textContent.toLowerCase()}.` : `The receiver answered ${answer.status}.`;
    } catch {
      said.textContent = 'The receiver could not be reached.';
    }
  });
}
