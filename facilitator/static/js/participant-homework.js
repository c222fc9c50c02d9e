// The participant's homework: each assignment with a reflection form, sent through the outbox.
// Items are keyed by assignment: a push adds new ones and never rebuilds a form being filled.
import { formValues, keepDraft } from './drafts.js';
import { $, bindCounter, clockTime, el, errorText, show } from './ui.js';

let formCount = 0;

function dateText(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleDateString([], { day: 'numeric', month: 'long' });
}

/** Build one assignment's list item with its reflection form. */
function itemNode(assignment, mine, onSubmit) {
  formCount += 1;
  const id = `reflection-${assignment.id}-${formCount}`;
  const form = el('form', { class: 'reflection-form', novalidate: true },
    el('div', { class: 'field' },
      el('label', { for: `${id}-text` }, 'How did it go? Your reflection'),
      el('textarea', { id: `${id}-text`, name: 'text', maxlength: 4000, rows: 4 }),
      el('p', { class: 'counter' })),
    el('div', { class: 'field' },
      el('label', { for: `${id}-times` }, 'How many times did you practise?'),
      el('input', { id: `${id}-times`, name: 'times_practised', type: 'number', min: 0,
        max: 1000, inputmode: 'numeric', class: 'short' })),
    el('p', { class: 'form-error', role: 'alert', hidden: true }),
    el('p', { class: 'pending-note', role: 'status', hidden: true },
      'Saved on this device. It will be sent as soon as you are connected.'),
    el('button', { type: 'submit', class: 'primary' }, 'Send my reflection'));
  const who = assignment.participant_id && mine ? 'Just for you' : 'For everyone';
  const given = dateText(assignment.created_at);
  const node = el('li', { class: 'homework-item', dataset: { assignmentId: assignment.id } },
    el('p', { class: 'homework-text preserve' }, assignment.text),
    assignment.goal ? el('p', { class: 'homework-goal' },
      el('span', { class: 'muted' }, 'For your goal: '), assignment.goal) : null,
    el('p', { class: 'card-meta' }, given ? `${who} · given ${given}` : who),
    el('div', { class: 'reflection-view', hidden: true }),
    el('button', { type: 'button', class: 'link-button again', hidden: true },
      'Write another reflection'),
    form);
  bindCounter(form.elements.text, form.querySelector('.counter'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onSubmit(assignment.id, form);
  });
  return node;
}

/** Wire the homework list. Returns {setAll(homework), add(assignment)}. */
export function setupHomework({ live, pageKey, me }) {
  const list = $('#homework-list');
  const items = new Map(); // assignment id -> {node, form, draft, reflection, again}

  function submit(assignmentId, form) {
    const text = form.elements.text.value.trim();
    const times = form.elements.times_practised.value;
    if (!text) {
      formError(form, 'Please write a few words about how it went first.');
      return;
    }
    const payload = { assignment_id: assignmentId, text };
    if (times !== '') {
      const n = Number(times);
      if (!Number.isInteger(n) || n < 0 || n > 1000) {
        formError(form, 'Please give the number of times as a whole number (0 or more).');
        return;
      }
      payload.times_practised = n;
    }
    formError(form, null);
    live.outbox.submit('reflection:submit', payload,
      { assignment_id: assignmentId, draft: formValues(form) });
  }

  function formError(form, text) {
    const node = form.querySelector('.form-error');
    node.textContent = text || '';
    show(node, Boolean(text));
  }

  function ensure(assignment) {
    if (items.has(assignment.id)) return items.get(assignment.id);
    const mine = Boolean(me() && assignment.participant_id === me().id);
    const node = itemNode(assignment, mine, submit);
    const form = node.querySelector('form');
    const item = { node, form, reflection: null, again: false,
      draft: keepDraft(form, `draft.${pageKey}.reflection.${assignment.id}`) };
    node.querySelector('.again').addEventListener('click', () => {
      item.again = true;
      render(item);
      form.elements.text.focus();
    });
    items.set(assignment.id, item);
    // Newest homework first.
    const after = [...items.keys()].filter((id) => id > assignment.id).sort((a, b) => a - b);
    const before = after.length ? items.get(after[0]).node : null;
    if (before && before.nextSibling) list.insertBefore(node, before.nextSibling);
    else if (before) list.append(node);
    else list.prepend(node);
    return item;
  }

  function render(item) {
    const id = Number(item.node.dataset.assignmentId);
    const sending = live.outbox.pending('reflection:submit')
      .some((e) => e.payload.assignment_id === id);
    const view = item.node.querySelector('.reflection-view');
    if (item.reflection) {
      const r = item.reflection;
      const times = r.times_practised === null || r.times_practised === undefined ? null
        : `Practised ${r.times_practised} ${r.times_practised === 1 ? 'time' : 'times'}`;
      view.replaceChildren(
        el('h4', {}, 'Your reflection, sent', r.created_at ? ` at ${clockTime(r.created_at)}` : ''),
        el('p', { class: 'preserve' }, r.text),
        times ? el('p', { class: 'muted' }, times) : '');
    }
    show(view, Boolean(item.reflection));
    const formOpen = !item.reflection || item.again || sending;
    show(item.form, formOpen);
    show(item.node.querySelector('.again'), !formOpen);
    show(item.form.querySelector('.pending-note'), sending);
    item.form.querySelector('button[type="submit"]').disabled = sending;
  }

  function renderAll() {
    for (const item of items.values()) render(item);
    show($('#homework-empty'), items.size === 0);
  }

  live.outbox.onResult('reflection:submit', (entry, ack) => {
    const item = items.get(entry.payload.assignment_id);
    if (!item) return;
    if (ack.ok) {
      item.reflection = { text: entry.payload.text, created_at: new Date().toISOString(),
        times_practised: entry.payload.times_practised ?? null };
      item.again = false;
      item.draft.clearIfUnchanged(entry.meta && entry.meta.draft);
      formError(item.form, null);
    } else {
      if (!item.form.elements.text.value.trim()) {
        item.form.elements.text.value = entry.payload.text;
        item.form.elements.text.dispatchEvent(new Event('input', { bubbles: true }));
      }
      formError(item.form, `Your reflection was not sent: ${errorText(ack)}`);
    }
    renderAll();
  });
  live.outbox.onChange(renderAll);

  return {
    setAll(homework) {
      for (const assignment of homework || []) {
        const item = ensure(assignment);
        if (assignment.reflection) item.reflection = assignment.reflection;
      }
      renderAll();
    },
    add(assignment) {
      ensure(assignment);
      renderAll();
    },
  };
}
