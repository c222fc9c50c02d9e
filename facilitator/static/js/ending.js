// The course's ending, on the phone and in the console: the calm countdown line (the
// snapshot's `course.ending`), the gentle final-questionnaire card of the last session, the
// member's own staying-well plan (`wellplan:save`), and, in the console, every member's plan.
// Everything is inserted as text, never as HTML; the labels come from the page's #words.
import { keepDraft } from './drafts.js';
import { $, bindCounter, el, errorText, fill, pageWords, show } from './ui.js';

const FIELDS = ['warning_signs', 'what_helps', 'who_to_contact'];

/** Show the countdown line ("2 sessions left: ..."), or hide it before the ending. */
export function showEndingLine(node, course) {
  if (!node) return;
  const text = (course && course.ending) || '';
  node.textContent = text;
  node.hidden = !text;
}

/** The phone's part: the final-questionnaire card and the member's staying-well plan. */
export function setupMyEnding({ live }) {
  const section = $('#wellplan');
  const form = $('#wellplan-form');
  const counters = FIELDS.map((key) => bindCounter(form.elements[key],
    $(`#wellplan-${key}-counter`)));
  const draft = keepDraft(form, 'draft.wellplan');
  let hasPlan = false;

  function message(node, text) {
    node.textContent = text || '';
    show(node, Boolean(text));
  }

  /** Put the saved plan in the form, unless something typed here is waiting (a draft). */
  function setPlan(plan) {
    hasPlan = hasPlan || Boolean(plan);
    if (!plan || draft.saved()) return;
    for (const key of FIELDS) form.elements[key].value = plan[key] || '';
    for (const update of counters) update();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message($('#wellplan-error'), null);
    message($('#wellplan-saved'), null);
    const payload = {};
    for (const key of FIELDS) payload[key] = form.elements[key].value.trim();
    if (!FIELDS.some((key) => payload[key])) {
      message($('#wellplan-error'), 'Please write something in at least one part first.');
      return;
    }
    const ack = await live.call('wellplan:save', payload);
    if (!ack.ok) {
      message($('#wellplan-error'), errorText(ack));
      return;
    }
    hasPlan = true;
    draft.clear();
    setPlan(ack.plan);
    message($('#wellplan-saved'), 'Your plan is saved. You can print it or keep it as a file.');
  });
  /** The printout shows what the form holds now (a textarea prints cut short). */
  function fillPrintout() {
    for (const key of FIELDS) {
      const node = document.querySelector(`[data-print="${key}"]`);
      if (node) node.textContent = form.elements[key].value.trim() || '—';
    }
  }
  window.addEventListener('beforeprint', fillPrintout);
  $('#wellplan-print').addEventListener('click', () => {
    fillPrintout();
    window.print();
  });

  return {
    /** From the snapshot: the final card on the last session; the plan from the ending on. */
    set(state) {
      const course = state.course || {};
      show($('#final-measure'), Boolean(course.final));
      setPlan(state.my_wellplan);
      const ending = Boolean(course.ending) || course.phase === 'maintenance';
      show(section, ending || hasPlan);
      document.body.classList.toggle('has-wellplan', ending || hasPlan);
    },
    /** My plan as saved from another tab or phone of mine. */
    mine(plan) {
      setPlan(plan);
    },
  };
}

/** The console's part: each member's staying-well plan, by name, updated live. */
export function setupPlansPanel({ page }) {
  const plans = new Map(); // participant id -> plan
  const labels = pageWords().wellplan || {};

  function name(id) {
    const person = (page.participants || []).find((p) => p.id === id);
    return person ? person.display_name : `Member ${id}`;
  }

  function render() {
    const items = [...plans.values()].sort((a, b) => a.participant_id - b.participant_id);
    fill($('#wellplan-list'), items.map((plan) => el('li', {
      class: 'wellplan-item', dataset: { participantId: plan.participant_id },
    }, el('h3', { class: 'small-heading' }, name(plan.participant_id)),
    el('dl', { class: 'summary' }, ...FIELDS.flatMap((key) => [
      el('dt', {}, labels[key] || key),
      el('dd', { class: 'preserve' }, plan[key] || '—')])))));
    show($('#wellplans'), items.length > 0);
  }

  return {
    setAll(list) {
      plans.clear();
      for (const plan of list || []) plans.set(plan.participant_id, plan);
      render();
    },
    update(plan) {
      plans.set(plan.participant_id, plan);
      render();
    },
  };
}
