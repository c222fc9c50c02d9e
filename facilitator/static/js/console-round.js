// The weekly round on the console: members one at a time. For the member in focus, their
// goals, last week's task and reflection, this week's check-in and its change, prompts for
// linking mood to the week's events, one-tap technique marks, a private note, a progress note
// on a goal, a new task tied to a goal, and a one-tap "Flag for supervision"; a member getting
// worse since last week is marked so in the list and in focus. Pushes (`round:member`) refresh what was recorded
// without touching what a facilitator is typing.
import { $, el, fill, pageWords, report, show } from './ui.js';

const WORDS = pageWords().round || {};
const TECHNIQUES = pageWords().round_techniques || {};

function signed(value) {
  if (value === null || value === undefined) return '';
  return value > 0 ? `+${value}` : String(value);
}

/** Returns {setAll(round), member(view), assigned(assignment)}. */
export function setupRound({ live, sessionId }) {
  let members = [];
  let focusId = null;

  const byId = (id) => members.find((m) => m.participant_id === id);
  const ref = (m) => ({ session_id: sessionId, participant_id: m.participant_id });

  async function send(event, payload) {
    const ack = await live.call(event, payload);
    if (report('#round-error', ack) && ack.member) member(ack.member);
    return ack.ok;
  }

  function renderList() {
    const waiting = members.filter((m) => !m.reached).map((m) => m.display_name);
    $('#round-not-reached').textContent = waiting.length
      ? (WORDS.not_reached || 'Not reached yet: {names}').replace('{names}', waiting.join(', '))
      : (WORDS.everyone_reached || '');
    fill($('#round-members'), members.map((m) => el('li', {},
      el('button', { type: 'button', class: `small round-pick${m.reached ? ' reached' : ''}`,
        'aria-pressed': String(m.participant_id === focusId),
        onclick: () => focus(m.participant_id) },
      m.display_name, m.reached ? el('span', { class: 'visually-hidden' }, ' (reached)') : null),
      m.worsening ? el('span', { class: 'badge worsening-badge' }, WORDS.worsening) : null)));
    show($('#round'), members.length > 0);
  }

  function checkinBlock(c) {
    if (!c) return el('p', { class: 'muted' }, WORDS.no_checkin);
    const change = WORDS.change || 'since last week';
    return el('p', { class: 'round-checkin' },
      `Mood ${c.mood}${c.mood_change !== null ? ` (${signed(c.mood_change)} ${change})` : ''}`,
      c.phq9_total !== null ? ` · PHQ-9 ${c.phq9_total}${c.phq9_change !== null
        ? ` (${signed(c.phq9_change)} ${change})` : ''}` : '',
      c.item9_marked ? el('span', { class: 'badge item9-badge' }, WORDS.item9) : null);
  }

  function lastTasks(m) {
    if (!m.last_tasks.length) return el('p', { class: 'muted' }, WORDS.no_task);
    return el('ul', { class: 'round-last-tasks' }, m.last_tasks.map((t) => el('li', {},
      el('span', {}, t.text),
      el('span', { class: 'round-reflection' }, t.reflection
        ? ` — “${t.reflection.text}”` : ` — ${WORDS.no_reflection}`))));
  }

  function goalRow(m, goal) {
    const form = el('form', { class: 'round-progress-form', novalidate: true },
      el('label', { for: `round-progress-${goal.id}` }, 'Progress note'),
      el('textarea', { id: `round-progress-${goal.id}`, name: 'note', rows: 2,
        maxlength: 2000 }),
      el('button', { type: 'submit', class: 'small' }, 'Save progress'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const note = form.elements.note.value.trim();
      if (await send('round:progress', { ...ref(m), goal_id: goal.id, note })) {
        form.elements.note.value = '';
      }
    });
    return el('li', { class: 'round-goal', dataset: { goalId: String(goal.id) } },
      el('p', {}, goal.text),
      el('p', { class: 'round-goal-progress muted' }, goal.progress || ''), form);
  }

  function techniqueButtons(m) {
    return el('div', { class: 'round-techniques', role: 'group', 'aria-label': 'Techniques used' },
      Object.entries(TECHNIQUES).map(([key, words]) => el('button', {
        type: 'button', class: 'small round-technique', dataset: { technique: key },
        'aria-pressed': String(m.techniques.includes(key)),
        onclick: (event) => send('round:technique', { ...ref(m), technique: key,
          on: event.currentTarget.getAttribute('aria-pressed') !== 'true' }),
      }, words)));
  }

  function noteForm(m) {
    const form = el('form', { id: 'round-note-form', novalidate: true },
      el('label', { for: 'round-note' }, 'Private note (facilitators only)'),
      el('textarea', { id: 'round-note', name: 'note', rows: 2, maxlength: 500 }),
      el('button', { type: 'submit', class: 'small' }, 'Save the note'));
    form.elements.note.value = m.note || '';
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      await send('round:note', { ...ref(m), note: form.elements.note.value });
    });
    return form;
  }

  function taskForm(m) {
    const form = el('form', { id: 'round-task-form', novalidate: true },
      el('label', { for: 'round-task-text' }, 'New task'),
      el('textarea', { id: 'round-task-text', name: 'text', rows: 2, maxlength: 2000 }),
      el('label', { for: 'round-task-goal' }, WORDS.goal || 'Goal'),
      el('select', { id: 'round-task-goal', name: 'goal_id' },
        m.goals.map((g) => el('option', { value: g.id }, g.text))),
      el('button', { type: 'submit', class: 'small' }, 'Give the task'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const ack = await live.call('homework:assign', { ...ref(m),
        text: form.elements.text.value.trim(), goal_id: Number(form.elements.goal_id.value) });
      if (report('#round-error', ack)) form.elements.text.value = '';
    });
    return form;
  }

  /** Draw the member in focus (only on a change of focus: typing is never reset). */
  function renderFocus() {
    const m = byId(focusId);
    show($('#round-focus'), Boolean(m));
    if (!m) return;
    fill($('#round-focus'),
      el('h3', { id: 'round-focus-name' }, m.display_name),
      el('button', { type: 'button', id: 'round-reach', class: 'primary small',
        onclick: () => send('round:reach', { ...ref(m), reached: !byId(m.participant_id).reached }) }),
      el('h4', {}, 'This week'), el('div', { id: 'round-checkin' }),
      el('p', { id: 'round-worsening', class: 'badge worsening-badge' }, WORDS.worsening),
      el('button', { type: 'button', id: 'round-flag', class: 'small round-flag',
        onclick: () => send('round:flag', { ...ref(m),
          on: !byId(m.participant_id).flagged_for_supervision }) }, WORDS.flag),
      el('ul', { class: 'round-prompts' }, (WORDS.prompts || []).map((p) => el('li', {}, p))),
      el('h4', {}, 'Last week’s task'), lastTasks(m),
      el('h4', {}, 'Goals'), m.goals.length
        ? el('ul', { class: 'round-goals' }, m.goals.map((g) => goalRow(m, g)))
        : el('p', { class: 'muted' }, 'No goals yet.'),
      el('h4', {}, 'Techniques used'), techniqueButtons(m),
      noteForm(m),
      el('h4', {}, 'Tasks given today'), el('ul', { id: 'round-tasks' }),
      m.goals.length ? taskForm(m) : null);
    refreshFocus();
  }

  /** Update the recorded parts of the member in focus. */
  function refreshFocus() {
    const m = byId(focusId);
    if (!m || !$('#round-reach')) return;
    $('#round-reach').textContent = m.reached ? 'Reached ✓ (undo)' : 'Mark as reached';
    fill($('#round-checkin'), checkinBlock(m.checkin));
    show($('#round-worsening'), Boolean(m.worsening));
    $('#round-flag').setAttribute('aria-pressed', String(Boolean(m.flagged_for_supervision)));
    for (const node of document.querySelectorAll('.round-technique')) {
      node.setAttribute('aria-pressed', String(m.techniques.includes(node.dataset.technique)));
    }
    for (const goal of m.goals) {
      const row = document.querySelector(`.round-goal[data-goal-id="${goal.id}"]`);
      if (row) $('.round-goal-progress', row).textContent = goal.progress || '';
    }
    fill($('#round-tasks'), m.tasks.map((t) => el('li', {}, t.text,
      t.goal ? el('span', { class: 'muted' }, ` (${WORDS.goal || 'Goal'}: ${t.goal})`) : null)));
  }

  function focus(id) {
    focusId = id;
    renderList();
    renderFocus();
  }

  function member(view) {
    const known = byId(view.participant_id);
    if (known) Object.assign(known, view);
    else members.push(view);
    renderList();
    if (view.participant_id === focusId) refreshFocus();
  }

  return {
    setAll(round) {
      members = (round || []).map((m) => ({ ...m }));
      if (!byId(focusId)) focusId = members.length ? members[0].participant_id : null;
      renderList();
      renderFocus();
    },
    member,
    /** A task given to a member shows in their turn (a goal's task, or any of theirs). */
    assigned(a) {
      const m = a.participant_id ? byId(a.participant_id) : null;
      if (!m || a.session_id !== sessionId || m.tasks.some((t) => t.assignment_id === a.id)) return;
      m.tasks.push({ assignment_id: a.id, text: a.text, for_everyone: false,
        goal_id: a.goal_id, goal: a.goal });
      if (m.participant_id === focusId) refreshFocus();
    },
  };
}
