// The facilitator's live console: session control, agenda, timer, speaking queue, and the
// panels of the other console modules. Regions are keyed: pushes never reset a form.
import { setupAlerts, setupCheckins } from './console-care.js';
import { setupBoard } from './console-board.js';
import { setupPresenter } from './console-presenter.js';
import { personName } from './console-profile.js';
import { setupRisk } from './console-risk.js';
import { setupHomework } from './console-homework.js';
import { setupRoleplay } from './console-roleplay.js';
import { setupRound } from './console-round.js';
import { setupScript } from './console-script.js';
import { showCourseLine } from './course-line.js';
import { setupPlansPanel, showEndingLine } from './ending.js';
import { connectLive } from './live.js';
import {
  $, applyAgendaChanged, Countdown, el, fill, renderAgenda, report, show,
} from './ui.js';

const root = $('#live');
const sessionId = Number(root.dataset.sessionId);

const STATUS_TEXT = { scheduled: 'Not started', live: 'Live', ended: 'Ended' };

// Which panel moves to the top of the console while an agenda item of this kind is on.
const FOCUS_FOR_KIND = {
  checkin: 'checkins', homework_review: 'homework', homework: 'homework', role_play: 'roleplay',
};

const page = {
  status: root.dataset.sessionStatus,
  agenda: [],
  currentItemId: null,
  people: [],
  participants: [],
};

const live = connectLive({
  sessionId,
  pageKey: `console.${sessionId}`,
  banner: $('#connection'),
  signedOutText: 'Signed out: please sign in again.',
  signInHref: `/login?next=${encodeURIComponent(window.location.pathname)}`,
  onState: applyState,
});

const countdown = new Countdown($('#timer'), $('#timer-label'));
const context = { live, sessionId, page };
const risk = setupRisk(context);
const alerts = setupAlerts({ ...context, acknowledgedHere: (id) => risk.opened(id) });
const checkins = setupCheckins(context);
const homework = setupHomework(context);
const roleplay = setupRoleplay(context);
const board = setupBoard(context);
const script = setupScript(context);
const round = setupRound(context);
const wellplans = setupPlansPanel(context);
const presenter = setupPresenter({ live, sessionId, onState: applyState });

function applyState(state) {
  presenter.apply(state);
  page.status = state.session.status;
  page.agenda = state.agenda.map((item) => ({ ...item }));
  page.currentItemId = state.current_item_id;
  page.people = state.presence.people;
  page.groupId = state.session.group_id;
  page.participants = state.participants || [];
  page.areasPresent = state.areas_present || [];
  page.purpose = state.session.purpose || '';
  script.setTicks(state.script_ticks || []);
  round.setAll(state.round || []);
  $('#session-title').textContent = state.session.title;
  showCourseLine($('#course-line'), state.course);
  showEndingLine($('#ending-line'), state.course);
  wellplans.setAll(state.wellplans || []);
  countdown.set(state.timer);
  renderStatus();
  renderAgendaPanel();
  risk.setAll(state);
  renderPeople();
  alerts.setAll(state.alerts || []);
  checkins.setAll(state.checkins || []);
  homework.setAll(state.homework || [], state.reflections || []);
  roleplay.setParticipants();
  roleplay.setPrompt(state.prompt);
  board.setAll(state.board, state.pending_cards || [], state.removed_cards || [],
    Boolean(state.presenter));
}

/** A participant added on the group page mid-session joins the pickers (homework, roles). */
function syncParticipants(people) {
  const known = new Set(page.participants.map((p) => p.id));
  const added = people.filter((p) => p.kind === 'participant' && !known.has(p.id));
  if (added.length === 0) return;
  page.participants = [...page.participants,
    ...added.map(({ id, display_name: name }) => ({ id, display_name: name }))];
  homework.setParticipants();
  roleplay.setParticipants();
}

function renderStatus() {
  const node = $('#session-status');
  node.className = `status status-${page.status}`;
  node.textContent = STATUS_TEXT[page.status] || page.status;
  show($('#start-session'), page.status === 'scheduled');
  show($('#end-session'), page.status === 'live');
  if (page.status !== 'live') show($('#end-confirm'), false);
}

function renderAgendaPanel() {
  renderAgenda($('#agenda'), page.agenda, page.currentItemId, (item, current) => {
    if (current) return '';
    return el('button', {
      type: 'button', class: 'small', disabled: page.status === 'ended',
      'aria-label': `Activate ${item.title}`, onclick: () => activate(item.id),
    }, 'Activate');
  });
  const item = page.agenda.find((i) => i.id === page.currentItemId);
  const focus = (item && FOCUS_FOR_KIND[item.kind]) || '';
  $('#console-main').dataset.focus = focus;
  for (const section of document.querySelectorAll('.focusable')) {
    section.classList.toggle('in-focus', section.id === focus);
  }
  show($('#review-hint'), Boolean(item && item.kind === 'homework_review'));
  script.render();
}

async function activate(itemId) {
  const ack = await live.call('agenda:activate', { session_id: sessionId, item_id: itemId });
  report('#agenda-error', ack);
}

function renderPeople() {
  const hands = page.people.filter((p) => p.hand_raised)
    .sort((a, b) => String(a.hand_raised_at).localeCompare(String(b.hand_raised_at)));
  fill($('#queue'), hands.map((p) => el('li', { class: 'queue-item' },
    el('span', { class: 'name' }, p.display_name),
    el('button', { type: 'button', class: 'small',
      'aria-label': `Lower ${p.display_name}'s hand`,
      onclick: () => live.call('hand:lower', { session_id: sessionId, participant_id: p.id }),
    }, 'Lower'))));
  show($('#queue-empty'), hands.length === 0);
  fill($('#presence'), page.people.map((p) => el('li',
    { class: `person${p.online ? ' online' : ''}` },
    el('span', { class: 'dot', 'aria-hidden': 'true' }),
    personName(page.groupId, p),
    p.kind === 'facilitator' ? el('span', { class: 'muted' }, ' · facilitator') : null,
    p.hand_raised ? el('span', { class: 'badge hand-badge' }, 'Hand up') : null,
    risk.badge(p),
    el('span', { class: 'visually-hidden' }, p.online ? ' online' : ' not here'))));
  checkins.renderMissing();
}

$('#start-session').addEventListener('click', async () => {
  const ack = await live.call('session:start', { session_id: sessionId });
  if (report('#session-error', ack)) setStatus(ack.status);
});
$('#end-session').addEventListener('click', () => {
  show($('#end-confirm'), true);
  $('#end-no').focus();
});
$('#end-no').addEventListener('click', () => show($('#end-confirm'), false));
$('#end-yes').addEventListener('click', async () => {
  const ack = await live.call('session:end', { session_id: sessionId });
  show($('#end-confirm'), false);
  if (report('#session-error', ack)) setStatus(ack.status);
});

function setStatus(status) {
  page.status = status;
  $('#summary-link').hidden = status !== 'ended';
  const fidelityLink = $('#fidelity-session-link'); // the fidelity record (issue 23)
  if (fidelityLink) fidelityLink.hidden = status !== 'ended';
  renderStatus();
  renderAgendaPanel();
}

$('#timer-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const minutes = Number(form.elements.minutes.value);
  if (!(minutes > 0 && minutes <= 240)) {
    report('#timer-error', { ok: false, error: { code: 'invalid',
      message: 'Give a number of minutes from 1 to 240.' } });
    return;
  }
  const ack = await live.call('timer:start', { session_id: sessionId,
    seconds: Math.round(minutes * 60), label: form.elements.label.value.trim() });
  report('#timer-error', ack);
});
$('#timer-stop').addEventListener('click', async () => {
  report('#timer-error', await live.call('timer:stop', { session_id: sessionId }));
});

live.on('session:status', ({ session_id: id, status }) => {
  if (id === sessionId) setStatus(status);
});
live.on('agenda:changed', (payload) => {
  page.currentItemId = applyAgendaChanged(page.agenda, payload);
  renderAgendaPanel();
});
live.on('agenda:updated', (payload) => {
  page.agenda = payload.agenda.map((item) => ({ ...item }));
  page.currentItemId = payload.current_item_id;
  renderAgendaPanel();
});
live.on('timer', (timer) => countdown.set(timer));
live.on('wellplan:updated', (plan) => wellplans.update(plan));
live.on('presence', ({ people }) => {
  page.people = people;
  renderPeople();
  syncParticipants(people);
});
live.on('alert:raised', (alert) => {
  alerts.add(alert);
  risk.raised(alert);
  renderPeople();
});
live.on('risk:updated', (followUp) => risk.updated(followUp));
live.on('alert:acknowledged', (alert) => alerts.remove(alert.alert_id));
live.on('checkin:received', (checkin) => checkins.add(checkin));
live.on('homework:assigned', (assignment) => {
  homework.addAssignment(assignment);
  round.assigned(assignment);
});
live.on('script:ticked', (tick) => script.ticked(tick));
live.on('round:member', (member) => round.member(member));
live.on('reflection:received', (reflection) => homework.addReflection(reflection));
live.on('prompt:pushed', (prompt) => roleplay.setPrompt(prompt));
live.on('prompt:cleared', () => roleplay.setPrompt(null));
live.on('roleplay:debriefed', (kept) => roleplay.debriefed(kept));
live.on('card:pending', (card) => board.pending(card));
live.on('card:published', (card) => board.card(card));
live.on('card:updated', (card) => board.card(card));
live.on('card:rejected', ({ card_id: cardId }) => board.rejected(cardId));
live.on('card:removed', ({ card_id: cardId }) => board.removed(cardId));
live.on('theme:updated', (theme) => board.theme(theme));
