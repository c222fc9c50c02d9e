// "My plan" on the participant's phone: their own goals and the line they agreed to share
// with the group (the snapshot's `me.goals` and `me.shared_summary`). Nothing of anyone
// else's plan ever reaches this page. Everything is inserted as text, never as HTML.
import { $, el, fill, show } from './ui.js';

/** The "My plan" section; `set(me)` shows what the snapshot holds, or hides it all. */
export function setupPlan() {
  const section = $('#my-plan');
  return {
    set(me) {
      const goals = (me && Array.isArray(me.goals)) ? me.goals : [];
      const summary = (me && typeof me.shared_summary === 'string') ? me.shared_summary.trim() : '';
      fill($('#my-goals'), goals.map((goal) => el('li', { class: 'my-goal' }, goal.text)));
      show($('#my-goals-box'), goals.length > 0);
      $('#my-summary').textContent = summary;
      show($('#my-summary-box'), Boolean(summary));
      show(section, goals.length > 0 || Boolean(summary));
    },
  };
}
