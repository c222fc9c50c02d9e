// The participant's check-in: mood, the optional PHQ-9, a note and "I would like support".
// The form is static HTML: pushes never touch it; its draft lives in sessionStorage.
import { formValues, keepDraft, storage } from './drafts.js';
import { $, bindCounter, el, errorText, fill, SEVERITY, show } from './ui.js';

const ITEMS = 9;
// The group's choice (groups.show_own_score, off by default): whether a participant sees
// their PHQ-9 total and severity word after a check-in. Handed over as data-show-own-score.
const showOwnScore = document.getElementById('live')?.dataset.showOwnScore === 'true';

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
    node.textContent = `You have answered ${answered} of the 9 questions. That is fine: `
      + 'what you have answered will be sent to the facilitator with your check-in. '
      + 'You can answer more if you like.';
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
    if (phq9.some((v) => v !== null)) payload.phq9 = phq9; // every answer counts
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
      support: ack.support || null, support_reply: ack.support_reply || null };
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
    const rows = [['Mood', `${mine.mood} out of 10`], ['Questionnaire (PHQ-9)', questionnaireLine()]];
    if (mine.note) rows.push(['Your note', mine.note]);
    if (mine.needs_support) rows.push(['Support', 'You asked for support. The facilitator knows.']);
    fill($('#checkin-summary'), rows.map(([term, value]) => el('div', { class: 'summary-row' },
      el('dt', {}, term), el('dd', { class: 'preserve' }, value))));
    renderSentAnswers();
    renderSupport();
  }

  /** What was sent of the questionnaire; the score only where the group shows it. */
  function questionnaireLine() {
    const count = (mine.phq9 || []).filter((v) => v !== null).length;
    if (count === 0) return 'Not filled in this time';
    const complete = mine.phq9_total !== null && mine.phq9_total !== undefined;
    if (complete && showOwnScore) {
      return `${mine.phq9_total} out of 27: ${SEVERITY[mine.severity] || mine.severity}`;
    }
    return count === ITEMS ? 'Sent (all 9 questions answered)'
      : `Sent (${count} of 9 questions answered)`;
  }

  /** The answers sent, each under its question's own words from the form. */
  function renderSentAnswers() {
    const sent = (mine.phq9 || []).map((value, index) => [index + 1, value])
      .filter(([, value]) => value !== null);
    fill($('#checkin-sent-list'), sent.map(([n, value]) => el('li', { value: n },
      `${questionText(n)}: `, el('strong', {}, answerText(n, value)))));
    show($('#checkin-sent-answers'), sent.length > 0);
  }

  function questionText(n) {
    const legend = form.querySelector(`input[name="phq${n}"]`).closest('fieldset')
      .querySelector('legend');
    return legend.textContent.replace(/^\s*\d+\.\s*/, '').trim();
  }

  function answerText(n, value) {
    const input = form.querySelector(`input[name="phq${n}"][value="${value}"]`);
    return input ? input.closest('label').textContent.trim() : String(value);
  }

  /** Urgent help for any risk signal; with a support request, the group's reply too. */
  function renderSupport() {
    const reply = mine.needs_support ? mine.support_reply : null;
    $('#support-intro').textContent = mine.needs_support
      ? 'Thank you for telling us. The facilitator has been told that you would like support. '
        + 'If you need help right now, you can use these:'
      : 'Thank you for your answers. If you need help now, or at any time, you can use these:';
    $('#support-text').textContent = mine.support || '';
    $('#support-reply').textContent = reply || '';
    show($('#support-reply-box'), Boolean(reply));
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
