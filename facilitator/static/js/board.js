// The projector view: the group's board only (themes by problem area, published cards),
// in large type, updated live. Authors are shown only for cards that are not anonymous.
import { BoardModel, renderBoard } from './board-view.js';
import { connectLive } from './live.js';
import { $ } from './ui.js';

const root = $('#live');
const sessionId = Number(root.dataset.sessionId);
const model = new BoardModel();

function draw() {
  renderBoard($('#board-areas'), model,
    { emptyText: 'The board is empty for now. Approved cards will appear here.' });
}

const live = connectLive({
  sessionId,
  pageKey: `board.${sessionId}`,
  banner: $('#connection'),
  signedOutText: 'Signed out: open the board again after signing in.',
  onState(state) {
    model.set(state.board);
    draw();
  },
});

for (const event of ['card:published', 'card:updated']) {
  live.on(event, (card) => {
    model.card(card);
    draw();
  });
}
// A card taken down, or withdrawn by its author, leaves the board at once.
live.on('card:removed', ({ card_id: cardId }) => {
  model.remove(cardId);
  draw();
});
live.on('card:rejected', ({ card_id: cardId }) => {
  model.remove(cardId);
  draw();
});
live.on('theme:updated', (theme) => {
  model.theme(theme);
  draw();
});
