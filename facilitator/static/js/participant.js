// The participant's page (phone first). Regions update on their own; the forms are never
// re-rendered by a push, and what is typed is kept in this tab's sessionStorage.
import { BoardModel, renderBoard } from './board-view.js';
import { formValues, keepDraft } from './drafts.js';
import { showCourseLine } from './course-line.js';
import { setupMyEnding, showEndingLine } from './ending.js';
import { connectLive } from './live.js';
import { setupCheckin } from './participant-checkin.js';
import { setupHomework } from './participant-homework.js';
import { setupPlan } from './participant-plan.js';
import {
  $, applyAgendaChanged, areaName, bindCounter, Countdown, el, errorText, fill, renderAgenda,
  pageWords, show,
} from './ui.js';

const root = $('#live');
const sessionId = Number(root.dataset.sessionId);
const pageKey = `participant.${sessionId}`;

const STATUS_TEXT = {
  scheduled: 'The session will start soon',
  live: 'The session is on now',
  ended: 'This session has ended',
};

// Which section an agenda item's kind is about, to mark it gently as "now".
const SECTION_FOR_KIND = {
  checkin: '#checkin', role_play: '#prompt', homework: '#homework',
  homework_review: '#homework', problem_area: '#board',
};

const page = {
  status: root.dataset.sessionStatus,
  agenda: [],
  currentItemId: null,
  people: [],
  me: null,
  board: new BoardModel(),
  myCards: [],
  myCardIds: new Set(), // my own cards on the board: only I may withdraw them
};

const live = connectLive({
  sessionId,
  pageKey,
  banner: $('#connection'),
  signedOutText: 'Signed out: open your link again',
  onState: applyState,
});

const countdown = new Countdown($('#timer'), $('#timer-label'));
const checkin = setupCheckin({ live, sessionId, pageKey, isLive: () => page.status === 'live' });
const homework = setupHomework({ live, pageKey, me: () => page.me });
const cards = setupCards();
const plan = setupPlan();
const myEnding = setupMyEnding({ live });

function applyState(state) {
  page.me = state.me;
  page.status = state.session.status;
  fill($('#session-title'), state.session.title);
  showCourseLine($('#course-line'), state.course);
  showEndingLine($('#ending-line'), state.course);
  myEnding.set(state);
  plan.set(state.me);
  page.agenda = state.agenda.map((item) => ({ ...item }));
  page.currentItemId = state.current_item_id;
  page.people = state.presence.people;
  countdown.set(state.timer);
  renderStatus();
  renderNow();
  renderPeople();
  renderPrompt(state.prompt);
  checkin.setMine(state.my_checkin);
  homework.setAll(state.homework);
  page.board.set(state.board);
  page.myCardIds = new Set(state.my_card_ids || []);
  cards.setMine(state.my_pending_cards || []);
  drawBoard();
}

/** The board, with a calm "Withdraw" under each of my own cards. */
function drawBoard() {
  renderBoard($('#board-areas'), page.board, {
    extra: (card) => (page.myCardIds.has(card.id) ? cards.withdrawControl(card) : ''),
  });
}

function renderStatus() {
  const node = $('#session-status');
  node.className = `session-status status-${page.status}`;
  node.textContent = STATUS_TEXT[page.status] || '';
  show($('.hand-row'), page.status === 'live');
  checkin.setOpen(page.status);
  cards.setOpen(page.status);
}

function renderNow() {
  renderAgenda($('#agenda'), page.agenda, page.currentItemId);
  const item = page.agenda.find((i) => i.id === page.currentItemId);
  show($('#now'), Boolean(item) && page.status !== 'ended');
  $('#now-title').textContent = item ? item.title : '';
  $('#now-line').textContent = (item && item.now) || '';
  show($('#now-line'), Boolean(item && item.now));
  for (const section of document.querySelectorAll('.is-now')) section.classList.remove('is-now');
  const target = item && SECTION_FOR_KIND[item.kind];
  if (target && page.status === 'live') $(target).classList.add('is-now');
}

function renderPeople() {
  const me = page.me || {};
  const hands = page.people.filter((p) => p.hand_raised)
    .sort((a, b) => String(a.hand_raised_at).localeCompare(String(b.hand_raised_at)));
  fill($('#presence'), page.people.map((p) => {
    const isMe = p.kind === me.kind && p.id === me.id;
    return el('li', { class: `person${p.online ? ' online' : ''}` },
      el('span', { class: 'dot', 'aria-hidden': 'true' }),
      el('span', { class: 'name' }, p.display_name),
      isMe ? el('span', { class: 'muted' }, ' (you)') : null,
      p.kind === 'facilitator' ? el('span', { class: 'muted' }, ' · facilitator') : null,
      p.hand_raised ? el('span', { class: 'badge hand-badge' }, 'Hand up') : null,
      el('span', { class: 'visually-hidden' }, p.online ? ' online' : ' not here'));
  }));
  const mine = page.people.find((p) => p.kind === 'participant' && p.id === me.id);
  const raised = Boolean(mine && mine.hand_raised);
  const button = $('#hand-button');
  button.textContent = raised ? 'Lower my hand' : 'Raise my hand';
  button.setAttribute('aria-pressed', String(raised));
  button.classList.toggle('raised', raised);
  const place = hands.findIndex((p) => p.id === me.id) + 1;
  $('#hand-status').textContent = raised
    ? `Your hand is up (number ${place} in the queue). The facilitator will come to you.` : '';
}

$('#hand-button').addEventListener('click', async () => {
  const raised = $('#hand-button').getAttribute('aria-pressed') === 'true';
  const ack = await live.call(raised ? 'hand:lower' : 'hand:raise', { session_id: sessionId });
  if (!ack.ok) $('#hand-status').textContent = errorText(ack);
});

function renderPrompt(prompt) {
  show($('#prompt'), Boolean(prompt));
  if (!prompt) return;
  $('#prompt-area').textContent = prompt.problem_area ? areaName(prompt.problem_area) : '';
  show($('#prompt-area'), Boolean(prompt.problem_area));
  $('#prompt-text').textContent = prompt.text;
  const role = $('#prompt-my-role');
  fill(role, 'Your role: ', el('strong', {}, prompt.my_role || ''));
  show(role, Boolean(prompt.my_role));
  show($('#prompt-no-role'), !prompt.my_role);
  fill($('#prompt-cast'), (prompt.cast || []).map((c) => {
    const mine = c.participant_id === page.me.id;
    return el('li', { class: mine ? 'mine' : '' },
      el('span', { class: 'cast-role' }, c.role), ': ', c.display_name,
      mine ? ' (you)' : '');
  }));
  show($('#prompt-cast').previousElementSibling, (prompt.cast || []).length > 0);
  renderScene(prompt.scene);
}

/** Whose own conversation the role-play is, and what they want to say (null: a practice). */
function renderScene(scene) {
  show($('#prompt-scene'), Boolean(scene));
  if (!scene) return;
  const words = pageWords().roleplay.words;
  const mine = scene.participant_id === page.me.id;
  $('#prompt-scene-whose').textContent = (mine ? words.scene_mine : words.scene_of)
    .replace('{name}', scene.display_name).replace('{other}', scene.other_person);
  $('#prompt-scene-wants').textContent = `${mine ? words.scene_wants_mine : words.scene_wants} `
    + scene.wants_to_say;
}

/** The board's card form and the participant's own cards waiting for approval. */
function setupCards() {
  const form = $('#card-form');
  bindCounter($('#card-text'), $('#card-text-counter'));
  const draft = keepDraft(form, `draft.${pageKey}.card`);
  let open = true;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = form.elements.text.value.trim();
    show($('#card-notice'), false);
    if (!text) return showError('#card-error', 'Please write something on your card first.');
    if (!open) return showError('#card-error', $('#card-closed').textContent);
    show($('#card-error'), false);
    live.outbox.submit('card:submit', {
      session_id: sessionId, text, problem_area: form.elements.problem_area.value,
      anonymous: form.elements.anonymous.checked,
    }, { draft: formValues(form) });
    return undefined;
  });

  live.outbox.onResult('card:submit', (entry, ack) => {
    if (ack.ok) {
      if (!page.myCards.some((c) => c.id === ack.card_id)) {
        page.myCards.push({ id: ack.card_id, ...entry.payload, status: 'pending' });
      }
      draft.clearIfUnchanged(entry.meta && entry.meta.draft);
      notice('Thank you. Your card will appear on the board once the facilitator approves it.');
    } else {
      restoreIfEmpty(form, entry.payload);
      showError('#card-error', `Your card was not sent: ${errorText(ack)}`);
    }
    renderMine();
  });
  live.outbox.onChange(renderMine);

  function notice(text) {
    $('#card-notice').textContent = text;
    show($('#card-notice'), true);
  }

  function renderMine() {
    const sending = live.outbox.pending('card:submit').map((e) => ({ ...e.payload, sending: true }));
    const all = [...page.myCards, ...sending];
    show($('#my-cards-box'), all.length > 0);
    fill($('#my-cards'), all.map((c) => el('li', { class: 'my-card' },
      el('p', { class: 'card-text preserve' }, c.text),
      el('p', { class: 'card-meta' }, areaName(c.problem_area), ' · ',
        c.anonymous ? 'anonymous' : 'with your name', ' · ',
        el('span', { class: 'badge waiting-badge' },
          c.sending ? 'sending…' : 'waiting for approval')),
      c.sending ? null : withdrawControl(c))));
    $('#card-submit').disabled = !open || sending.length > 0;
  }

  function gone(card) {
    page.myCards = page.myCards.filter((c) => c.id !== card.id);
    notice(`Your card “${card.text}” was not added to the board this time. `
      + 'That is all right: you are welcome to share it in the group.');
  }

  /** "Withdraw", then a plain question before anything happens (a phone is easy to mis-tap). */
  function withdrawControl(card) {
    const ask = el('button', { type: 'button', class: 'link-button withdraw',
      'aria-label': `Withdraw my card “${card.text}”` }, 'Withdraw');
    const yes = el('button', { type: 'button', class: 'small' }, 'Yes, withdraw it');
    const keep = el('button', { type: 'button', class: 'small link-button' }, 'Keep it');
    const confirm = el('p', { class: 'withdraw-confirm', hidden: true },
      'Take this card away? Nobody in the group will see it any more. ', yes, ' ', keep);
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    ask.addEventListener('click', () => { show(confirm, true); show(ask, false); yes.focus(); });
    keep.addEventListener('click', () => { show(confirm, false); show(ask, true); ask.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      const ack = await live.call('card:withdraw', { card_id: card.id });
      yes.disabled = false;
      if (!ack.ok) {
        error.textContent = `Your card was not withdrawn: ${errorText(ack)}`;
        show(error, true);
        return;
      }
      forget(card.id);
      notice('Your card is withdrawn. The group no longer sees it.');
    });
    return el('div', { class: 'withdraw-box' }, ask, confirm, error);
  }

  /** A card of mine left the board or the queue: drop it everywhere on this page. */
  function forget(cardId) {
    page.myCards = page.myCards.filter((c) => c.id !== cardId);
    page.myCardIds.delete(cardId);
    page.board.remove(cardId);
    renderMine();
    drawBoard();
  }

  live.on('card:removed', ({ card_id: cardId }) => {
    const mine = page.myCardIds.has(cardId) || page.myCards.some((c) => c.id === cardId);
    const card = page.board.cards.find((c) => c.id === cardId);
    page.board.remove(cardId);
    page.myCards = page.myCards.filter((c) => c.id !== cardId);
    if (mine && card) notice(`Your card “${card.text}” is no longer on the board.`);
    renderMine();
    drawBoard();
  });

  live.on('card:rejected', ({ card_id: cardId }) => {
    const card = page.myCards.find((c) => c.id === cardId);
    if (card) gone(card);
    renderMine();
  });

  return {
    setMine(pending) {
      // A card that left the queue while we were away, and is not on the board, was
      // not accepted: say so gently.
      const now = new Set(pending.map((c) => c.id));
      const published = new Set(page.board.cards.map((c) => c.id));
      for (const card of page.myCards) {
        if (!now.has(card.id) && !published.has(card.id)) gone(card);
      }
      page.myCards = pending.map((c) => ({ ...c }));
      renderMine();
    },
    published(card) {
      const mine = page.myCards.find((c) => c.id === card.id);
      if (!mine) return;
      page.myCards = page.myCards.filter((c) => c.id !== card.id);
      page.myCardIds.add(card.id);
      notice(`Your card “${card.text}” is on the board now.`);
      renderMine();
    },
    withdrawControl,
    setOpen(status) {
      open = status === 'live';
      const closed = $('#card-closed');
      closed.textContent = status === 'ended'
        ? 'This session has ended, so new cards cannot be posted here.'
        : 'You can post cards once the session starts. What you write here is kept.';
      show(closed, !open);
      renderMine();
    },
  };
}

function showError(selector, text) {
  const node = $(selector);
  node.textContent = text;
  show(node, true);
}

function restoreIfEmpty(form, payload) {
  const text = form.elements.text;
  if (text && !text.value.trim() && payload.text) {
    text.value = payload.text;
    text.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

live.on('session:status', ({ session_id: id, status }) => {
  if (id !== sessionId) {
    // Another session of the group started: offer it, never pull the person away.
    if (status === 'live') {
      $('#next-session-link').href = `/sessions/${id}/live`;
      show($('#next-session'), true);
    }
    return;
  }
  const started = page.status === 'scheduled' && status === 'live';
  page.status = status;
  renderStatus();
  renderNow();
  // The server records attendance when a participant joins a started session; someone
  // who was waiting on this page before the start joins again so they count as present.
  if (started) live.rejoin();
});
live.on('agenda:changed', (payload) => {
  page.currentItemId = applyAgendaChanged(page.agenda, payload);
  renderNow();
});
live.on('agenda:updated', (payload) => {
  page.agenda = payload.agenda.map((item) => ({ ...item }));
  page.currentItemId = payload.current_item_id;
  renderNow();
});
live.on('timer', (timer) => countdown.set(timer));
live.on('plan:updated', (mine) => plan.set(mine));
live.on('wellplan:mine', (mine) => myEnding.mine(mine));
live.on('presence', ({ people }) => {
  page.people = people;
  renderPeople();
});
live.on('prompt:pushed', renderPrompt);
live.on('prompt:cleared', () => renderPrompt(null));
live.on('homework:assigned', (assignment) => homework.add(assignment));
live.on('card:published', (card) => {
  page.board.card(card);
  cards.published(card);
  drawBoard();
});
live.on('card:updated', (card) => {
  page.board.card(card);
  drawBoard();
});
live.on('theme:updated', (theme) => {
  page.board.theme(theme);
  drawBoard();
});
