// The participant's check-in: mood, the optional PHQ-9, a note and "I would like support".
// The form is static HTML: pushes never touch it; its draft lives in sessionStorage.
import { formValues, keepDraft, storage } from './drafts.js';
import { $, bindCounter, el, errorText, fill, SEVERITY, show } from './ui.js';

const ITEMS = 9;

/** Wire the check-in form. Returns {setMine(myCheckin), setOpen(status)}. */
export function setupCheckin({ live, sessionId, pageKey, isLive }) {
  const form = $('#checkin-form');
  const editingKey = `draft.${pageKey}.checkin-editing`;
  bindCounter($('#checkin-note'), $('#checkin-note-counter'));
  form.addEventListener('input', showProgress);
  form.addEventListener('change', showProgress);
  const draft = keepDraft(form, `draft.${pageKey}.checkin`);
  let mine = null;
  let status = 'scheduled';

  // Typing in the form means it stays open, whatever arrives.
  form.addEventListener('input', () => storage.write(editingKey, true));
  form.addEventListener('change', () => storage.write(editingKey, true));

  $('#phq9-clear').addEventListener('click', () => {
    for (let n = 1; n <= ITEMS; n += 1) {
      for (const radio of form.querySelectorAll(`input[name="phq${n}"]`)) radio.checked = false;
    }
    form.dispatchEvent(new Event('change'));
  });

  $('#checkin-again').addEventListener('click', () => {
    storage.write(editingKey, true);
    layout();
    form.querySelector('input[name="mood"]').focus();
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });

  function answers() {
    const values = [];
    for (let n = 1; n <= ITEMS; n += 1) {
      const checked = form.querySelector(`input[name="phq${n}"]:checked`);
      values.push(checked ? Number(checked.value) : null);
    }
    return values;
  }

  function showProgress() {
    const answered = answers().filter((v) => v !== null).length;
    const node = $('#phq9-progress');
    if (answered === 0 || answered === ITEMS) {
      node.textContent = answered === ITEMS ? 'All nine questions answered.' : '';
      show(node, answered === ITEMS);
      return;
    }
    node.textContent = `You have answered ${answered} of the 9 questions. The questionnaire `
      + 'is only sent when all nine are answered. That is fine: you can finish it, or '
      + 'send your check-in without it.';
    show(node, true);
  }

  function submit() {
    const mood = form.querySelector('input[name="mood"]:checked');
    if (!mood) {
      error('Please choose a number for your mood first (0 to 10).');
      return;
    }
    if (!isLive()) {
      error($('#checkin-closed').textContent);
      return;
    }
    const payload = { session_id: sessionId, mood: Number(mood.value),
      needs_support: form.elements.needs_support.checked };
    const phq9 = answers();
    if (phq9.every((v) => v !== null)) payload.phq9 = phq9;
    const note = form.elements.note.value.trim();
    if (note) payload.note = note;
    show($('#checkin-error'), false);
    live.outbox.submit('checkin:submit', payload, { draft: formValues(form) });
  }

  function error(text) {
    const node = $('#checkin-error');
    node.textContent = text;
    show(node, true);
  }

  live.outbox.onResult('checkin:submit', (entry, ack) => {
    if (!ack.ok) {
      error(`Your check-in was not sent: ${errorText(ack)} What you wrote is still here.`);
      layout();
      return;
    }
    const sent = entry.payload;
    mine = { mood: sent.mood, phq9: sent.phq9 || null, phq9_total: ack.phq9_total,
      severity: ack.severity, note: sent.note || null, needs_support: sent.needs_support,
      support: ack.support || null };
    // Anything typed while it was on its way stays in the form.
    if (draft.clearIfUnchanged(entry.meta && entry.meta.draft)) storage.write(editingKey, null);
    layout();
    $('#checkin-result').scrollIntoView({ block: 'nearest' });
  });
  live.outbox.onChange(layout);

  function layout() {
    const sending = live.outbox.pending('checkin:submit').length > 0;
    const editing = Boolean(storage.read(editingKey));
    const formOpen = !mine || editing || sending;
    show(form, formOpen);
    show($('#checkin-pending'), sending);
    $('#checkin-submit').disabled = sending || status !== 'live';
    $('#checkin-submit').textContent = sending ? 'Waiting to send…' : 'Send my check-in';
    show($('#checkin-result'), Boolean(mine));
    show($('#checkin-again'), Boolean(mine) && !formOpen && status === 'live');
    if (mine) renderResult();
  }

  function renderResult() {
    const rows = [['Mood', `${mine.mood} out of 10`]];
    if (mine.phq9_total !== null && mine.phq9_total !== undefined) {
      const words = SEVERITY[mine.severity] || mine.severity;
      rows.push(['Questionnaire (PHQ-9)', `${mine.phq9_total} out of 27: ${words}`]);
    } else {
      rows.push(['Questionnaire (PHQ-9)', 'Not filled in this time']);
    }
    if (mine.note) rows.push(['Your note', mine.note]);
    if (mine.needs_support) rows.push(['Support', 'You asked for support. The facilitator knows.']);
    fill($('#checkin-summary'), rows.map(([term, value]) => el('div', { class: 'summary-row' },
      el('dt', {}, term), el('dd', { class: 'preserve' }, value))));
    $('#support-text').textContent = mine.support || '';
    show($('#support'), Boolean(mine.support));
  }

  return {
    setMine(myCheckin) {
      if (myCheckin) mine = { ...myCheckin };
      layout();
    },
    setOpen(newStatus) {
      status = newStatus;
      const closed = $('#checkin-closed');
      closed.textContent = status === 'ended'
        ? 'This session has ended, so check-ins are closed.'
        : 'The check-in opens when the session starts. You can fill it in now: '
          + 'what you choose and write is kept.';
      show(closed, status !== 'live');
      layout();
    },
  };
}
