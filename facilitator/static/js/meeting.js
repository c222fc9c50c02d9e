// The pre-group meeting page: a live connection that hears the member's baseline PHQ-9 as
// they send it from their phone (`meeting:baseline`, after `meeting:watch`), fills the
// answers in and, for an item-9 answer above 0, shows "record the risk assessment now"
// and holds the later steps until the risk record is saved (the server refuses them too).
import { io } from '/static/vendor/socket.io.esm.min.js';

import { call } from './live.js';
import { SEVERITY } from './ui.js';

const root = document.getElementById('meeting');
const participantId = Number(root.dataset.participantId);
const socket = io('/live', { transports: ['websocket', 'polling'], tryAllTransports: true });

function summary(baseline) {
  const where = baseline.source === 'phone' ? 'sent from their phone' : 'entered here';
  const total = baseline.total === null
    ? 'no total until all nine are answered'
    : `total ${baseline.total} (${SEVERITY[baseline.severity] || baseline.severity})`;
  return `${baseline.answered} of 9 answered, ${total}; ${where}.`;
}

function fillAnswers(answers) {
  answers.forEach((answer, index) => {
    for (const input of document.querySelectorAll(`input[name="phq${index + 1}"]`)) {
      input.checked = answer !== null && input.value === String(answer);
    }
  });
}

function holdLaterSteps() {
  document.getElementById('risk-now').hidden = false;
  for (const fieldset of document.querySelectorAll('[data-held]')) fieldset.disabled = true;
}

function applyBaseline(baseline) {
  if (baseline.participant_id !== participantId) return;
  fillAnswers(baseline.answers);
  document.getElementById('baseline-live').textContent = summary(baseline);
  if (baseline.alert_id && baseline.item9) holdLaterSteps();
}

socket.on('connect', async () => {
  const ack = await call(socket, 'meeting:watch', { participant_id: participantId });
  root.dataset.live = ack.ok ? 'watching' : 'off'; // answers from the phone now arrive here
});
socket.on('disconnect', () => {
  root.dataset.live = 'off';
});
socket.on('meeting:baseline', applyBaseline);
