// The live connection every page shares: namespace /live, `session:join` on every
// (re)connect, a banner saying how the connection is, an outbox that keeps submissions
// until the server has acknowledged them, and `call()` for one-off actions.
import { io } from '/static/vendor/socket.io.esm.min.js';

import { storage } from './drafts.js';
import { el, fill } from './ui.js';

const ACK_TIMEOUT_MS = 10000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
const RETRYABLE = new Set(['rate_limited', 'unavailable']);
const KEEPALIVE_MS = 5 * 60 * 1000;
const ACTIVE_WITHIN_MS = 25 * 60 * 1000;

const BANNER_TEXT = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting… what you wrote is kept and will be sent',
  refused: 'This session cannot be opened with your sign-in.',
};

/** Delay before retry number `attempt` (0-based): 1 s doubling to 30 s, with jitter. */
export function retryDelay(attempt) {
  const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt);
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

function newClientId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A `client_id` for a facilitator's one-off request: asking again with the same payload
 * (after a timeout, say) reuses it, so the server carries the request out once.
 * Call `forget()` once it succeeded, so a deliberate repeat is a new request.
 */
export function requestIds() {
  let last = null;
  return {
    for(payload) {
      const key = JSON.stringify(payload);
      if (!last || last.key !== key) last = { key, id: newClientId() };
      return last.id;
    },
    forget() {
      last = null;
    },
  };
}

/**
 * Submissions that must reach the server exactly once (check-ins, reflections, cards).
 * Each gets a client_id and is kept in sessionStorage until an ack settles it; it is
 * (re)sent whenever the page is joined, with backoff while the server is busy.
 */
class Outbox {
  constructor(live, key) {
    this.live = live;
    this.key = key;
    this.entries = (storage.read(key) || []).filter((e) => e && e.client_id && e.event);
    this.state = new Map(); // client_id -> {inflight, attempt, timer, try}
    this.results = new Map(); // event -> [fn(entry, ack)]
    this.listeners = [];
  }

  save() {
    storage.write(this.key, this.entries.length ? this.entries : null);
    for (const fn of this.listeners) fn(this.entries);
  }

  /** Call `fn(entry, ack)` when a submission of `event` is settled by the server. */
  onResult(event, fn) {
    if (!this.results.has(event)) this.results.set(event, []);
    this.results.get(event).push(fn);
  }

  /** Call `fn(entries)` whenever the list of waiting submissions changes. */
  onChange(fn) {
    this.listeners.push(fn);
  }

  /** Waiting submissions, optionally only those of one event. */
  pending(event = null) {
    return this.entries.filter((e) => !event || e.event === event);
  }

  /** Queue a submission; it is sent now if connected, else as soon as it can be. */
  submit(event, payload, meta = {}) {
    const clientId = newClientId();
    const entry = { client_id: clientId, event, meta, created: Date.now(),
      payload: { ...payload, client_id: clientId } };
    this.entries.push(entry);
    this.save();
    this.send(entry);
    return entry;
  }

  info(entry) {
    if (!this.state.has(entry.client_id)) {
      this.state.set(entry.client_id, { inflight: false, attempt: 0, timer: null, try: 0 });
    }
    return this.state.get(entry.client_id);
  }

  /** Send every waiting submission now (after a (re)join). */
  flush() {
    for (const entry of this.entries) {
      const info = this.info(entry);
      clearTimeout(info.timer);
      info.timer = null;
      info.inflight = false;
      info.attempt = 0;
      this.send(entry);
    }
  }

  /** Forget in-flight tries when the connection drops; they are sent again on rejoin. */
  pause() {
    for (const info of this.state.values()) {
      clearTimeout(info.timer);
      info.timer = null;
      info.inflight = false;
    }
  }

  send(entry) {
    const info = this.info(entry);
    if (!this.live.ready || info.inflight || info.timer) return;
    info.inflight = true;
    const thisTry = ++info.try;
    this.live.socket.timeout(ACK_TIMEOUT_MS).emit(entry.event, entry.payload, (err, ack) => {
      if (!this.entries.includes(entry)) return; // already settled by another try
      const settled = !err && ack && (ack.ok || !RETRYABLE.has(ack.error && ack.error.code));
      if (settled) {
        this.settle(entry, ack);
        return;
      }
      if (thisTry !== info.try) return; // a newer try is under way
      info.inflight = false;
      this.retryLater(entry, info);
    });
  }

  retryLater(entry, info) {
    const delay = retryDelay(info.attempt);
    info.attempt += 1;
    info.timer = setTimeout(() => {
      info.timer = null;
      this.send(entry);
    }, delay);
  }

  settle(entry, ack) {
    const info = this.state.get(entry.client_id);
    if (info) clearTimeout(info.timer);
    this.state.delete(entry.client_id);
    this.entries = this.entries.filter((e) => e !== entry);
    this.save();
    for (const fn of this.results.get(entry.event) || []) fn(entry, ack);
  }
}

/** Show the connection state in plain words. */
class Banner {
  constructor(node, signedOutText, signInHref) {
    this.node = node;
    this.signedOutText = signedOutText;
    this.signInHref = signInHref;
  }

  set(state) {
    if (!this.node) return;
    this.node.dataset.state = state;
    this.node.hidden = false;
    if (state === 'signed-out') {
      const link = this.signInHref
        ? [' ', el('a', { href: this.signInHref }, 'Sign in')] : [];
      fill(this.node, el('span', { class: 'dot', 'aria-hidden': 'true' }),
        this.signedOutText, ...link);
      return;
    }
    fill(this.node, el('span', { class: 'dot', 'aria-hidden': 'true' }),
      BANNER_TEXT[state] || state);
  }
}

/**
 * Connect a page to a session.
 *   sessionId: the session to join; pageKey: names this page's outbox;
 *   onState(state): rebuild the page from the snapshot (on every join);
 *   banner: the element that shows the connection state.
 * Returns the live object: {socket, on, call, outbox, ready, me}.
 */
export function connectLive({ sessionId, pageKey, onState, banner, signedOutText,
  signInHref = null }) {
  const socket = io('/live', { transports: ['websocket', 'polling'], tryAllTransports: true });
  const live = {
    socket,
    ready: false,
    outbox: null,
    banner: new Banner(banner, signedOutText || 'Signed out: open your link again',
      signInHref),
    buffered: [],
  };
  live.outbox = new Outbox(live, `facilitator.outbox.${pageKey}`);
  live.call = (event, payload) => call(socket, event, payload);
  live.on = (event, handler) => {
    socket.on(event, (payload) => {
      // Events that overtake the join's answer are applied after the snapshot.
      if (live.ready) handler(payload);
      else live.buffered.push(() => handler(payload));
    });
  };

  async function join(quiet = false) {
    if (!quiet) live.banner.set('connecting');
    const ack = await live.call('session:join', { session_id: sessionId });
    if (!socket.connected) return;
    if (ack.ok) {
      live.me = ack.state.me;
      onState(ack.state);
      live.ready = true;
      const waiting = live.buffered;
      live.buffered = [];
      for (const apply of waiting) apply();
      live.banner.set('connected');
      live.outbox.flush();
    } else if (ack.error && ack.error.code === 'unauthorized') {
      live.banner.set('signed-out');
    } else if (ack.error && ['forbidden', 'not_found'].includes(ack.error.code)) {
      live.banner.set('refused');
    } else {
      live.banner.set('reconnecting');
      setTimeout(() => socket.connected && join(), retryDelay(1));
    }
  }

  socket.on('connect', () => join());
  /** Join again on the same connection (the server then records what a join records). */
  live.rejoin = () => socket.connected && live.ready && join(true);
  socket.on('disconnect', (reason) => {
    live.ready = false;
    live.buffered = [];
    live.outbox.pause();
    if (reason === 'io client disconnect') return;
    live.banner.set('reconnecting');
    // The server closed us (sign-out, a revoked link): try once; a refusal says why.
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', () => {
    // A refused connect is final (the client stops retrying); a network error is not.
    live.banner.set(socket.active ? 'reconnecting' : 'signed-out');
  });
  live.banner.set('connecting');
  keepSignedInWhileActive(live);
  return live;
}

/** Send one event and resolve with its ack (an error ack when offline or timed out). */
export function call(socket, event, payload) {
  return new Promise((resolve) => {
    if (!socket.connected) {
      resolve({ ok: false, error: { code: 'offline',
        message: 'You are not connected just now. Please try again in a moment.' } });
      return;
    }
    socket.timeout(ACK_TIMEOUT_MS).emit(event, payload, (err, ack) => {
      if (err || !ack) {
        resolve({ ok: false, error: { code: 'timeout',
          message: 'The server did not answer in time. Please try again.' } });
      } else {
        resolve(ack);
      }
    });
  });
}

/**
 * The sign-in expires after a while without page loads; a person using the live page is
 * not idle, so while they interact with it, touch the server now and then.
 */
function keepSignedInWhileActive(live) {
  let lastActivity = Date.now();
  const mark = () => {
    lastActivity = Date.now();
  };
  for (const type of ['pointerdown', 'keydown', 'input', 'scroll']) {
    window.addEventListener(type, mark, { passive: true, capture: true });
  }
  setInterval(() => {
    const active = Date.now() - lastActivity < ACTIVE_WITHIN_MS;
    if (live.ready && active && document.visibilityState === 'visible') {
      fetch('/healthz', { cache: 'no-store', credentials: 'same-origin' }).catch(() => {});
    }
  }, KEEPALIVE_MS);
}
