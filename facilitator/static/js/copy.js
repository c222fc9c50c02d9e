// One-click copy of a participant's join link.
for (const button of document.querySelectorAll('button.copy')) {
  button.addEventListener('click', async () => {
    const text = button.dataset.copy;
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const input = button.parentElement.querySelector('input.join-link');
      input.select();
      document.execCommand('copy');
    }
    const before = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => { button.textContent = before; }, 2000);
  });
}
