// The current agenda item's script beside the console's agenda: the facilitator's steps
// (each agenda item's `script`, facilitators only) and the line members' phones show (`now`).
// Before any item is on, the next item's steps, so the facilitator can prepare.
import { $, el, fill, pageWords, show } from './ui.js';

const WORDS = pageWords().script || {};

/** One step: its text, and its suggested minutes when it has some. */
function stepItem(step) {
  const minutes = step.minutes
    ? el('span', { class: 'script-minutes' },
      ` (${(WORDS.minutes || '{minutes} min').replace('{minutes}', String(step.minutes))})`)
    : null;
  return el('li', { class: 'script-step' }, el('span', { class: 'script-text' }, step.text),
    minutes);
}

/** The script panel; `render()` draws it from the console's page state. */
export function setupScript({ page }) {
  return {
    render() {
      const current = page.agenda.find((i) => i.id === page.currentItemId);
      const next = page.status === 'ended' ? null
        : page.agenda.find((i) => i.status !== 'done');
      const item = current || next;
      const steps = (item && Array.isArray(item.script)) ? item.script : [];
      show($('#script'), steps.length > 0);
      if (steps.length === 0) return;
      $('#script-when').textContent = (current ? WORDS.now : WORDS.next) || '';
      $('#script-item').textContent = item.title;
      fill($('#script-steps'), steps.map(stepItem));
      $('#script-members-see').textContent = WORDS.members_see || '';
      $('#script-now').textContent = item.now || '';
      show($('#script-now-box'), Boolean(item.now));
    },
  };
}
