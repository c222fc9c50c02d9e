// Small DOM helpers and the plain words every page uses.
// Everything a person typed is inserted as text (textContent), never as HTML.

// Problem areas, severities and alert reasons come from the server (services/vocabulary.py).
export const PROBLEM_AREAS = pageWords().problem_areas || {};

export const AREA_ORDER = Object.keys(PROBLEM_AREAS);

export const SEVERITY = pageWords().severities || {};

export const ALERT_REASONS = pageWords().alert_reasons || {};

/** The words the server hands every page (base.html's `#words` block), read once. */
export function pageWords() {
  if (!pageWords.cache) {
    const node = document.getElementById('words');
    try {
      pageWords.cache = node ? JSON.parse(node.textContent) : {};
    } catch {
      pageWords.cache = {};
    }
  }
  return pageWords.cache;
}

/** PHQ-9 item 9's answer (0-3) in words, e.g. "nearly every day"; '' when not answered. */
export function item9Words(answer) {
  if (answer === null || answer === undefined) return '';
  return (pageWords().item9_grades || {})[String(answer)] || String(answer);
}

/** Create an element: `el('p', {class: 'muted'}, 'text', child)`. Strings become text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace every child of `node` with `children`. */
export function fill(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** Show or hide an element with the `hidden` attribute. */
export function show(node, visible) {
  if (node) node.hidden = !visible;
}

export function $(selector, root = document) {
  return root.querySelector(selector);
}

export function $$(selector, root = document) {
  return Array.from(root.querySelectorAll(selector));
}

/** Local clock time of an ISO timestamp, e.g. "14:05". */
export function clockTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Plain words for a problem area value. */
export function areaName(value) {
  return PROBLEM_AREAS[value] || 'No problem area';
}

/** A message for an error ack, in plain words. */
export function errorText(ack) {
  const error = (ack && ack.error) || {};
  const plain = {
    unauthorized: 'You are signed out. Please open your link again.',
    forbidden: 'This is not possible for you here.',
    not_found: 'This could not be found any more.',
    rate_limited: 'Many messages at once: waiting a moment before trying again.',
    offline: 'You are not connected just now. Please try again in a moment.',
    timeout: 'The server did not answer in time. Please try again.',
  };
  if (error.code === 'invalid' || error.code === 'conflict') {
    return error.message || 'This could not be sent.';
  }
  return plain[error.code] || error.message || 'Something went wrong. Please try again.';
}

/** Keep a "12 / 500" counter next to a text field up to date. */
export function bindCounter(field, counter) {
  const max = Number(field.getAttribute('maxlength')) || 0;
  const update = () => {
    counter.textContent = `${field.value.length} / ${max}`;
    counter.classList.toggle('near-limit', max > 0 && field.value.length > max * 0.9);
  };
  field.addEventListener('input', update);
  update();
  return update;
}

/** A countdown that follows the server's `timer` payload, corrected for clock skew. */
export class Countdown {
  constructor(node, labelNode = null) {
    this.node = node;
    this.labelNode = labelNode;
    this.endsAt = null;
    this.interval = null;
  }

  /** Apply a `timer` payload ({running, ends_at, label, server_now}). */
  set(timer) {
    clearInterval(this.interval);
    this.interval = null;
    const running = timer && timer.running && timer.ends_at;
    if (!running) {
      this.endsAt = null;
      this.render(null, timer);
      return;
    }
    const skew = timer.server_now ? Date.parse(timer.server_now) - Date.now() : 0;
    // Local time at which the timer ends, on this device's clock.
    this.endsAt = Date.parse(timer.ends_at) - (Number.isNaN(skew) ? 0 : skew);
    this.label = timer.label || '';
    this.tick();
    this.interval = setInterval(() => this.tick(), 500);
  }

  tick() {
    const left = Math.max(0, Math.round((this.endsAt - Date.now()) / 1000));
    this.render(left);
    if (left === 0) {
      clearInterval(this.interval);
      this.interval = null;
    }
  }

  render(left) {
    const box = this.node.closest('[data-timer-box]') || this.node;
    if (left === null) {
      this.node.textContent = '';
      if (this.labelNode) this.labelNode.textContent = '';
      box.hidden = true;
      return;
    }
    box.hidden = false;
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, '0');
    this.node.textContent = left === 0 ? 'Time is up' : `${minutes}:${seconds}`;
    this.node.setAttribute('aria-label', left === 0 ? 'Time is up'
      : `${minutes} minutes ${left % 60} seconds left`);
    if (this.labelNode) this.labelNode.textContent = this.label;
  }
}

/** Render the agenda as list items, the current one highlighted. */
export function renderAgenda(list, agenda, currentId, extra = null) {
  fill(list, (agenda || []).map((item) => {
    const current = item.id === currentId;
    const li = el('li', {
      class: `agenda-item status-${item.status}${current ? ' current' : ''}`,
      'aria-current': current ? 'step' : null,
      dataset: { itemId: item.id },
    }, el('span', { class: 'agenda-title' }, item.title));
    if (current) li.append(el('span', { class: 'badge now-badge' }, 'Now'));
    else if (item.status === 'done') li.append(el('span', { class: 'badge done-badge' }, 'Done'));
    if (extra) li.append(extra(item, current));
    return li;
  }));
}

/** Apply an `agenda:changed` payload to a local agenda list. */
export function applyAgendaChanged(agenda, payload) {
  const id = payload.current_item_id;
  for (const item of agenda) {
    if (item.id === id) Object.assign(item, payload.item || {}, { status: 'active' });
    else if (item.status === 'active') item.status = 'done';
  }
  return id;
}

/** Add or replace an object with the same key in a list; return the list. */
export function upsert(list, item, key = 'id') {
  const index = list.findIndex((x) => x[key] === item[key]);
  if (index >= 0) list[index] = { ...list[index], ...item };
  else list.push(item);
  return list;
}

/** Show an error ack in the element `selector`, or hide it when all went well. */
export function report(selector, ack) {
  const node = typeof selector === 'string' ? $(selector) : selector;
  node.textContent = ack.ok ? '' : errorText(ack);
  show(node, !ack.ok);
  return ack.ok;
}
