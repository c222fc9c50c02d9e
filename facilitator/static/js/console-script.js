// The current agenda item's script beside the console's agenda: the facilitator's steps
// (each agenda item's `script`, facilitators only) and the line members' phones show (`now`).
// Before any item is on, the next item's steps, so the facilitator can prepare.
// Each step has a tick for "done" (`script:tick`), kept and shown on every facilitator's
// console; below, a card of guidance for each problem area present in the group.
import { $, areaName, el, fill, pageWords, report, show } from './ui.js';

const WORDS = pageWords().script || {};
const GUIDANCE = pageWords().area_guidance || {};

/** One step: a tick, its text, and its suggested minutes when it has some. */
function stepItem(step, index, item, ticked, onTick) {
  const id = `script-step-${item.id}-${index}`;
  const minutes = step.minutes
    ? el('span', { class: 'script-minutes' },
      ` (${(WORDS.minutes || '{minutes} min').replace('{minutes}', String(step.minutes))})`)
    : null;
  const box = el('input', { type: 'checkbox', id, class: 'script-tick', checked: ticked,
    dataset: { step: String(index) },
    onchange: (event) => onTick(item.id, index, event.target.checked) });
  return el('li', { class: `script-step${ticked ? ' script-done' : ''}` }, box,
    el('label', { for: id }, el('span', { class: 'script-text' }, step.text), minutes));
}

/** One problem area's guidance card (with its safety check, for disagreements). */
function guidanceCard(area) {
  const guide = GUIDANCE[area];
  if (!guide) return null;
  return el('div', { class: 'guidance-card', dataset: { area } },
    el('h3', {}, areaName(area)),
    el('ul', {}, guide.points.map((point) => el('li', {}, point))),
    guide.safety ? el('p', { class: 'safety-check', role: 'note' },
      el('strong', {}, `${WORDS.safety || 'Safety check'}: `), guide.safety) : null);
}

/** The script panel; `render()` draws it from the console's page state. */
export function setupScript({ live, sessionId, page }) {
  const ticks = new Set();
  const key = (itemId, step) => `${itemId}:${step}`;

  async function onTick(itemId, step, done) {
    const ack = await live.call('script:tick',
      { session_id: sessionId, item_id: itemId, step, done });
    if (report('#script-error', ack)) setTick(ack);
    else render();
  }

  function setTick({ item_id: itemId, step, done }) {
    if (done) ticks.add(key(itemId, step));
    else ticks.delete(key(itemId, step));
    render();
  }

  function renderGuidance() {
    const areas = page.areasPresent || [];
    show($('#guidance'), areas.length > 0);
    $('#guidance-heading').textContent = WORDS.guidance || '';
    fill($('#guidance-cards'), areas.map(guidanceCard));
  }

  /** The session's purpose (from its course plan) above the steps. */
  function renderPurpose() {
    const purpose = $('#script-purpose');
    purpose.textContent = page.purpose ? `${WORDS.purpose || ''}: ${page.purpose}` : '';
    show(purpose, Boolean(page.purpose));
  }

  /** The item's "words you may use": short sentences a lay facilitator may say. */
  function renderWords(item) {
    const words = Array.isArray(item.words) ? item.words : [];
    show($('#script-words-box'), words.length > 0);
    $('#script-words-heading').textContent = WORDS.words || '';
    fill($('#script-words'), words.map((line) => el('li', {}, `“${line}”`)));
  }

  function render() {
    renderGuidance();
    renderPurpose();
    const current = page.agenda.find((i) => i.id === page.currentItemId);
    const next = page.status === 'ended' ? null
      : page.agenda.find((i) => i.status !== 'done');
    const item = current || next;
    const steps = (item && Array.isArray(item.script)) ? item.script : [];
    show($('#script'), steps.length > 0);
    if (steps.length === 0) return;
    $('#script-when').textContent = (current ? WORDS.now : WORDS.next) || '';
    $('#script-item').textContent = item.title;
    fill($('#script-steps'), steps.map((step, index) => stepItem(step, index, item,
      ticks.has(key(item.id, index)), onTick)));
    renderWords(item);
    $('#script-members-see').textContent = WORDS.members_see || '';
    $('#script-now').textContent = item.now || '';
    show($('#script-now-box'), Boolean(item.now));
  }

  return {
    render,
    /** The snapshot's ticked steps. */
    setTicks(list) {
      ticks.clear();
      for (const t of list || []) ticks.add(key(t.item_id, t.step));
      render();
    },
    /** A `script:ticked` event (a co-facilitator's tick, or our own). */
    ticked: setTick,
  };
}
