// Presenter mode: one switch for sharing the console's screen with the group. The server
// then sends this console only what the group may see (no check-ins, notes, alerts, pending
// cards, reflections or authors of anonymous cards); the page hides those panels too, and
// says at the top that presenter mode is on.
import { $, el, errorText, show } from './ui.js';

// The panels that hold what only facilitators may see.
const PRIVATE_PANELS = ['#alerts', '#risk', '#checkins', '#homework', '#moderation'];

const WORDS = {
  on: 'Presenter mode is on. Names of anonymous authors, check-ins, notes and alerts '
    + 'are hidden from this screen.',
  waiting: 'An alert is waiting: turn presenter mode off to see it.',
  turnOn: 'Presenter mode: off',
  turnOff: 'Presenter mode: on',
};

/** Returns {apply(state), presenting()}; `onState(state)` redraws the console. */
export function setupPresenter({ live, sessionId, onState }) {
  let on = false;
  let waiting = 0;
  const line = el('p', { class: 'presenter-line' }, WORDS.on);
  const alertLine = el('p', { class: 'presenter-waiting', role: 'status' });
  const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
  const off = el('button', { type: 'button', onclick: () => turn(false) },
    'Turn presenter mode off');
  const banner = el('div', { id: 'presenter-banner', class: 'presenter-banner',
    role: 'status', hidden: true }, line, alertLine, off);
  const button = el('button', { type: 'button', id: 'presenter-switch',
    class: 'presenter-switch', 'aria-pressed': 'false', onclick: () => turn(!on) },
  WORDS.turnOn);
  $('#live').prepend(banner);
  $('.console-head .actions').prepend(button);
  button.after(error);

  function render() {
    document.body.classList.toggle('presenting', on);
    show(banner, on);
    for (const selector of PRIVATE_PANELS) show($(selector), !on);
    button.setAttribute('aria-pressed', String(on));
    button.textContent = on ? WORDS.turnOff : WORDS.turnOn;
    alertLine.textContent = waiting ? WORDS.waiting : '';
    show(alertLine, waiting > 0);
  }

  async function turn(wanted) {
    if (wanted) {
      on = true; // hide at once; the server's answer then redraws from what it may show
      render();
    }
    const ack = await live.call('presenter:set', { session_id: sessionId, on: wanted });
    error.textContent = ack.ok ? '' : errorText(ack);
    show(error, !ack.ok);
    if (ack.ok) onState(ack.state);
  }

  live.on('alert:waiting', () => {
    if (!on) return;
    waiting += 1;
    render();
  });
  live.on('presenter:changed', ({ session_id: id, on: now }) => {
    if (id === sessionId && now !== on) live.rejoin();
  });

  return {
    apply(state) {
      on = Boolean(state.presenter);
      waiting = on ? state.alerts_waiting || 0 : 0;
      render();
    },
    presenting: () => on,
  };
}
