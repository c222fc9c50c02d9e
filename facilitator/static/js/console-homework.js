// Homework on the console: give it to everyone or one person, and review each person's
// homework beside their reflection.
import { formValues, keepDraft } from './drafts.js';
import { requestIds } from './live.js';
import { $, clockTime, el, fill, report, show, upsert } from './ui.js';

/** Returns {setAll(homework, reflections), setParticipants(), addAssignment(a), addReflection(r)}. */
export function setupHomework({ live, sessionId, page }) {
  const form = $('#homework-form');
  const draft = keepDraft(form, `draft.console.${sessionId}.homework`);
  let assignments = [];
  let reflections = [];
  const ids = requestIds();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = form.elements.text.value.trim();
    show($('#homework-done'), false);
    if (!text) {
      report('#homework-error', { ok: false, error: { code: 'invalid',
        message: 'Write what to practise first.' } });
      return;
    }
    const payload = { session_id: sessionId, text };
    const who = form.elements.participant_id.value;
    if (who) payload.participant_id = Number(who);
    const sent = formValues(form);
    const ack = await live.call('homework:assign', { ...payload, client_id: ids.for(payload) });
    if (report('#homework-error', ack)) {
      ids.forget();
      const name = who ? nameOf(Number(who)) : 'everyone';
      draft.clearIfUnchanged(sent);
      $('#homework-done').textContent = `Homework given to ${name}.`;
      show($('#homework-done'), true);
    }
  });

  function nameOf(id) {
    const p = page.participants.find((x) => x.id === id);
    return p ? p.display_name : 'a participant';
  }

  function renderWho() {
    const select = form.elements.participant_id;
    const chosen = select.value;
    fill(select, el('option', { value: '' }, 'Everyone'),
      page.participants.map((p) => el('option', { value: p.id }, p.display_name)));
    select.value = chosen;
    if (select.value !== chosen) select.value = '';
  }

  function reflectionFor(participantId, assignmentId) {
    const mine = reflections.filter((r) => r.participant_id === participantId
      && r.assignment_id === assignmentId);
    return mine.length ? mine[mine.length - 1] : null;
  }

  function reviewRow(person, assignment) {
    const r = reflectionFor(person.id, assignment.id);
    const forWhom = assignment.participant_id ? 'Just for them' : 'For everyone';
    const times = r && r.times_practised !== null && r.times_practised !== undefined
      ? `Practised ${r.times_practised} ${r.times_practised === 1 ? 'time' : 'times'}` : '';
    return el('div', { class: 'review-row' },
      el('div', { class: 'review-homework' },
        el('p', { class: 'preserve' }, assignment.text),
        el('p', { class: 'card-meta' }, forWhom)),
      el('div', { class: `review-reflection${r ? '' : ' none'}` }, r
        ? [el('p', { class: 'preserve' }, r.text),
          el('p', { class: 'card-meta' }, [times, `sent ${clockTime(r.created_at)}`]
            .filter(Boolean).join(' · '))]
        : el('p', { class: 'muted' }, 'No reflection yet')));
  }

  function renderReview() {
    const newestFirst = [...assignments].sort((a, b) => b.id - a.id);
    const people = page.participants.map((person) => {
      const theirs = newestFirst.filter((a) => !a.participant_id
        || a.participant_id === person.id);
      if (!theirs.length) return null;
      return el('section', { class: 'review-person', dataset: { participantId: person.id } },
        el('h3', {}, person.display_name),
        el('div', { class: 'review-head', 'aria-hidden': 'true' },
          el('span', {}, 'Homework'), el('span', {}, 'Reflection')),
        theirs.map((a) => reviewRow(person, a)));
    }).filter(Boolean);
    if (!people.length) {
      fill($('#review'), el('p', { class: 'muted' }, 'No homework given yet.'));
      return;
    }
    fill($('#review'), people);
  }

  return {
    setAll(homework, allReflections) {
      assignments = homework.map((a) => ({ ...a, id: a.id ?? a.assignment_id }));
      reflections = [...allReflections];
      renderWho();
      renderReview();
    },
    setParticipants() {
      renderWho();
      renderReview();
    },
    addAssignment(a) {
      upsert(assignments, { ...a, id: a.id ?? a.assignment_id });
      renderReview();
    },
    addReflection(r) {
      upsert(reflections, { ...r, id: r.id ?? r.reflection_id });
      renderReview();
    },
  };
}
