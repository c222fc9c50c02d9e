// The board on the console: the moderation queue (edit, choose a theme, approve, reject),
// new themes, the published board with each card's theme (and a card taken down or put
// back), and the cards off the board. In presenter mode it shows the board as the group
// sees it, without tools.
import { BoardModel, renderBoard } from './board-view.js';
import { formValues, keepDraft } from './drafts.js';
import { requestIds } from './live.js';
import { $, $$, AREA_ORDER, areaName, el, fill, report, show, upsert } from './ui.js';

/** Options of a theme <select>: themes grouped by problem area. */
function themeOptions(themes, selected, emptyLabel) {
  const groups = AREA_ORDER.map((area) => {
    const mine = themes.filter((t) => t.problem_area === area);
    if (!mine.length) return null;
    return el('optgroup', { label: areaName(area) }, mine.map((t) => el('option', {
      value: t.id, selected: String(t.id) === String(selected) }, t.title)));
  }).filter(Boolean);
  return [el('option', { value: '' }, emptyLabel), ...groups];
}

function refillSelect(select, themes, emptyLabel) {
  const chosen = select.value;
  fill(select, themeOptions(themes, chosen, emptyLabel));
  select.value = chosen;
}

/** Returns {setAll, pending, card, rejected, theme}. */
export function setupBoard({ live, sessionId }) {
  const model = new BoardModel();
  const queue = new Map(); // card id -> {card, node}
  const removed = new Map(); // card id -> a card taken down or withdrawn
  let boardDirty = false;
  let presenting = false;
  const removedList = el('ul', { id: 'removed-cards', class: 'removed-cards' });
  const removedBox = el('div', { id: 'removed-box', class: 'removed-box', hidden: true },
    el('h3', {}, 'Off the board'), removedList);
  $('#board-areas').after(removedBox);

  function pendingNode(card) {
    const id = `pending-${card.id}`;
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const text = el('textarea', { id: `${id}-text`, maxlength: 500, rows: 3 });
    text.textContent = card.text; // the default value: shown, and kept as text
    const theme = el('select', { id: `${id}-theme` },
      themeOptions(model.themes, card.theme_id || '', 'No theme yet'));
    const how = card.anonymous ? 'shown to the group as Anonymous' : 'shown with their name';
    const act = async (action) => {
      const payload = { card_id: card.id, action };
      const edited = text.value.trim();
      if (action !== 'reject') {
        if (!edited) {
          report(error, { ok: false, error: { code: 'invalid', message: 'The card is empty.' } });
          return;
        }
        if (edited !== queue.get(card.id)?.card.text) payload.text = edited;
        if (theme.value) payload.theme_id = Number(theme.value);
      }
      const ack = await live.call('card:moderate', payload);
      if (report(error, ack) && action !== 'edit') removePending(card.id);
      if (ack.ok && action === 'edit') queue.get(card.id).card = ack.card;
    };
    return el('li', { class: 'pending-card', dataset: { cardId: card.id } },
      el('p', { class: 'card-meta' },
        el('strong', {}, card.author || 'Unknown'), ` · ${areaName(card.problem_area)}`,
        card.session_number ? ` · session ${card.session_number}` : '', ` · ${how}`),
      el('label', { for: `${id}-text` }, 'Text'), text,
      el('label', { for: `${id}-theme` }, 'Theme'), theme,
      el('div', { class: 'button-row' },
        el('button', { type: 'button', class: 'primary', onclick: () => act('approve') },
          'Approve'),
        el('button', { type: 'button', onclick: () => act('edit') }, 'Save changes'),
        el('button', { type: 'button', class: 'danger', onclick: () => act('reject') },
          'Reject')),
      error);
  }

  function addPending(card) {
    if (queue.has(card.id)) {
      queue.get(card.id).card = card;
      return;
    }
    const node = pendingNode(card);
    queue.set(card.id, { card, node });
    $('#pending').append(node);
    updateQueue();
  }

  function removePending(cardId) {
    const entry = queue.get(cardId);
    if (entry) entry.node.remove();
    queue.delete(cardId);
    updateQueue();
  }

  function updateQueue() {
    show($('#pending-empty'), queue.size === 0);
    $('#pending-count').textContent = String(queue.size);
  }

  function boardExtra(card) {
    const select = el('select', { class: 'move-theme', 'aria-label': 'Theme of this card' },
      themeOptions(model.themes, card.theme_id || '', 'Not yet in a theme'));
    select.addEventListener('change', async () => {
      if (!select.value) return;
      const ack = await live.call('card:moderate', { card_id: card.id, action: 'edit',
        theme_id: Number(select.value) });
      report('#board-error', ack);
      if (ack.ok) cardChanged(ack.card);
    });
    select.addEventListener('blur', () => boardDirty && drawBoard());
    const takeDown = el('button', { type: 'button', class: 'small take-down',
      'aria-label': `Take down the card “${card.text}”`,
      onclick: () => moderate(card, 'take_down') }, 'Take down');
    return el('div', { class: 'card-tools' }, select, takeDown);
  }

  async function moderate(card, action) {
    const ack = await live.call('card:moderate', { card_id: card.id, action });
    report('#board-error', ack);
    if (!ack.ok) return;
    // The button pressed leaves with its card: let the board redraw now.
    if (document.activeElement) document.activeElement.blur();
    cardChanged(ack.card);
  }

  function removedNode(card) {
    const why = card.status === 'withdrawn' ? 'Withdrawn by its author' : 'Taken down';
    return el('li', { class: `removed-card status-${card.status}`,
      dataset: { cardId: card.id } },
    el('p', { class: 'card-text preserve' }, card.text),
    el('p', { class: 'card-meta' }, `${card.author || 'Unknown'} · `,
      el('span', { class: 'badge removed-badge' }, why)),
    card.status === 'taken_down' ? el('button', { type: 'button', class: 'small',
      'aria-label': `Put back the card “${card.text}”`,
      onclick: () => moderate(card, 'restore') }, 'Put it back') : null);
  }

  function drawRemoved() {
    const cards = [...removed.values()].sort((a, b) => a.id - b.id);
    show(removedBox, !presenting && cards.length > 0);
    fill(removedList, presenting ? [] : cards.map(removedNode));
  }

  function drawBoard() {
    // A theme menu someone is using is not pulled from under them; redraw when they leave.
    if (document.activeElement && document.activeElement.closest('#board-areas')) {
      boardDirty = true;
      return;
    }
    boardDirty = false;
    const emptyText = 'Nothing on the board yet. Approved cards appear here.';
    renderBoard($('#board-areas'), model, presenting ? { emptyText }
      : { showHiddenAuthor: true, extra: boardExtra, emptyText });
    drawRemoved();
  }

  function cardChanged(card) {
    if (card.status === 'pending') {
      addPending(card);
      return;
    }
    removePending(card.id);
    if (card.status === 'taken_down' || card.status === 'withdrawn') removed.set(card.id, card);
    else removed.delete(card.id);
    model.card(card);
    drawBoard();
  }

  const themeForm = $('#theme-form');
  const themeDraft = keepDraft(themeForm, `draft.console.${sessionId}.theme`);
  const themeIds = requestIds();
  themeForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = themeForm.elements.title.value.trim();
    if (!title) {
      report('#theme-error', { ok: false, error: { code: 'invalid',
        message: 'Give the theme a title.' } });
      return;
    }
    const sent = formValues(themeForm);
    const payload = { session_id: sessionId, title,
      problem_area: themeForm.elements.problem_area.value };
    const ack = await live.call('theme:create', { ...payload, client_id: themeIds.for(payload) });
    if (report('#theme-error', ack)) {
      themeIds.forget();
      themeDraft.clearIfUnchanged(sent);
      theme(ack.theme);
    }
  });

  function theme(t) {
    upsert(model.themes, t);
    for (const select of $$('.pending-card select')) {
      refillSelect(select, model.themes, 'No theme yet');
    }
    drawBoard();
  }

  return {
    setAll(board, pending, offTheBoard = [], presenter = false) {
      presenting = presenter;
      removed.clear();
      for (const card of offTheBoard) removed.set(card.id, card);
      model.set(board);
      const open = new Set(pending.map((c) => c.id));
      for (const id of [...queue.keys()]) if (!open.has(id)) removePending(id);
      for (const card of pending) addPending(card);
      for (const select of $$('.pending-card select')) {
        refillSelect(select, model.themes, 'No theme yet');
      }
      updateQueue();
      drawBoard();
    },
    pending: addPending,
    card: cardChanged,
    rejected: removePending,
    removed(cardId) {
      model.remove(cardId);
      drawBoard();
    },
    theme,
  };
}
