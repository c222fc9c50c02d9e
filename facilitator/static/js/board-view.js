// The group's board: themes sorted by problem area, published cards under their theme.
// Shared by the participant page, the console and the projector view.
import { AREA_ORDER, areaName, el, fill, upsert } from './ui.js';

/** The board data a page keeps: {themes: [], cards: []}, updated by live events. */
export class BoardModel {
  constructor(board = null) {
    this.set(board);
  }

  set(board) {
    this.themes = [...((board && board.themes) || [])];
    this.cards = [...((board && board.cards) || [])];
  }

  /** Apply `card:published` / `card:updated`: only published cards are on the board. */
  card(card) {
    if (card.status && card.status !== 'published') {
      this.remove(card.id);
      return;
    }
    upsert(this.cards, card);
  }

  remove(cardId) {
    this.cards = this.cards.filter((c) => c.id !== cardId);
  }

  theme(theme) {
    upsert(this.themes, theme);
  }
}

/** Who wrote a card, as the group sees it. */
export function publicAuthor(card) {
  return card.anonymous || !card.author ? 'Anonymous' : card.author;
}

/** One card as a list item; `extra(card)` may add controls (console only). */
export function cardNode(card, { showHiddenAuthor = false, extra = null } = {}) {
  let who = publicAuthor(card);
  if (showHiddenAuthor && card.anonymous && card.author) {
    who = `Anonymous to the group (${card.author})`;
  }
  const meta = card.session_number ? `from session ${card.session_number} · ${who}` : who;
  const node = el('li', { class: 'board-card', dataset: { cardId: card.id } },
    el('p', { class: 'card-text preserve' }, card.text),
    el('p', { class: 'card-meta' }, meta));
  if (extra) node.append(extra(card));
  return node;
}

function themeBlock(title, cards, options, themeId = null) {
  return el('div', { class: 'theme', dataset: themeId ? { themeId } : {} },
    el('h4', { class: 'theme-title' }, title),
    cards.length
      ? el('ul', { class: 'board-cards' }, cards.map((c) => cardNode(c, options)))
      : el('p', { class: 'muted theme-empty' }, 'No cards yet.'));
}

/**
 * Render the board into `container`: one column per problem area that has anything,
 * each theme with its cards, then the area's cards "Not yet in a theme".
 */
export function renderBoard(container, model, options = {}) {
  const themeIds = new Set(model.themes.map((t) => t.id));
  const areas = [];
  for (const area of AREA_ORDER) {
    const themes = model.themes.filter((t) => t.problem_area === area);
    const loose = model.cards.filter((c) => c.problem_area === area && !themeIds.has(c.theme_id));
    if (!themes.length && !loose.length) continue;
    const blocks = themes.map((t) => themeBlock(
      t.title, model.cards.filter((c) => c.theme_id === t.id), options, t.id));
    if (loose.length) blocks.push(themeBlock('Not yet in a theme', loose, options));
    areas.push(el('section', { class: `board-area area-${area}`, dataset: { area } },
      el('h3', { class: 'area-title' }, areaName(area)), blocks));
  }
  if (!areas.length) {
    fill(container, el('p', { class: 'muted board-empty' },
      options.emptyText || 'Nothing on the board yet.'));
    return;
  }
  fill(container, areas);
}
