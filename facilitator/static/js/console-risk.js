// The risk protocol on the console: open follow-ups (record, then follow-up done), members
// who had an alert in the course so far, and the opt-in desktop notification of new alerts.
import { $, ALERT_REASONS, el, fill, report, show } from './ui.js';
import { dayAndTime, localInputValue, utcOf } from './risk-time.js';

const NOTIFY_KEY = 'facilitator.notify-alerts';

/** Read a radio group's value in `form`, or null when none is chosen. */
function radio(form, name) {
  const chosen = form.querySelector(`input[name="${name}"]:checked`);
  return chosen ? chosen.value : null;
}

function yesNo(form, name) {
  const value = radio(form, name);
  return value === null ? null : value === 'yes';
}

/** The `risk:record` payload of a record form. */
function recordPayload(alertId, form) {
  return {
    alert_id: alertId,
    asked_directly: yesNo(form, 'asked_directly'),
    thoughts: radio(form, 'thoughts'),
    plan: yesNo(form, 'plan'),
    means: yesNo(form, 'means'),
    past_attempt: yesNo(form, 'past_attempt'),
    protective_factors: form.elements.protective_factors.value.trim(),
    risk_level: radio(form, 'risk_level'),
    actions: [...form.querySelectorAll('input[name="actions"]:checked')].map((i) => i.value),
    follow_up_due: utcOf(form.elements.follow_up_due.value),
  };
}

/** Put a stored record's answers into a record form. */
function fillRecord(form, record) {
  const values = { thoughts: record.thoughts, risk_level: record.risk_level };
  for (const name of ['asked_directly', 'plan', 'means', 'past_attempt']) {
    values[name] = record[name] ? 'yes' : 'no';
  }
  for (const [name, value] of Object.entries(values)) {
    const input = form.querySelector(`input[name="${name}"][value="${value}"]`);
    if (input) input.checked = true;
  }
  form.elements.protective_factors.value = record.protective_factors || '';
  for (const box of form.querySelectorAll('input[name="actions"]')) {
    box.checked = record.actions.includes(box.value);
  }
  form.elements.follow_up_due.value = localInputValue(record.follow_up_due);
}

/** The console's risk panel. Returns {setAll, raised, updated, opened, badge}. */
export function setupRisk({ live }) {
  const section = $('#risk');
  const words = JSON.parse(section.dataset.words);
  const list = $('#follow-up-list');
  const entries = new Map(); // alert id -> {data, node, parts}
  const wantOpen = new Set(); // acknowledged here: open the record form when it arrives
  const history = new Map(); // participant id -> risk_history entry
  let groupName = '';

  function recordForm(alertId) {
    const form = $('#risk-form-template').content.firstElementChild.cloneNode(true);
    for (const node of form.querySelectorAll('[id], label[for]')) {
      if (node.id) node.id = node.id.replace('risk-console', `risk-${alertId}`);
      const target = node.getAttribute('for');
      if (target) node.setAttribute('for', target.replace('risk-console', `risk-${alertId}`));
    }
    form.hidden = true;
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      const ack = await live.call('risk:record', recordPayload(alertId, form));
      button.disabled = false;
      if (report(form.querySelector('.form-error'), ack)) {
        updated({ ...entries.get(alertId).data, risk_record: ack.risk_record });
        toggle(alertId, false);
      }
    });
    return form;
  }

  function followUpForm(alertId) {
    const id = `outcome-${alertId}`;
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = el('form', { class: 'follow-up-form', novalidate: true },
      el('label', { for: id }, words.labels.outcome),
      el('textarea', { id, name: 'outcome', maxlength: 2000, rows: 2 }),
      error,
      el('button', { type: 'submit' }, 'The follow-up is done'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const ack = await live.call('risk:follow_up', { alert_id: alertId,
        outcome: form.elements.outcome.value.trim() });
      if (report(error, ack)) remove(alertId);
    });
    return form;
  }

  function build(data) {
    const id = data.alert_id;
    const parts = {
      status: el('p', { class: 'follow-up-status' }),
      summary: el('p', { class: 'follow-up-summary muted' }),
      toggle: el('button', { type: 'button', class: 'small', 'aria-expanded': 'false',
        onclick: () => toggle(id) }),
      record: recordForm(id),
      followUp: followUpForm(id),
    };
    const grade = data.item9_grade ? ` (item 9: ${data.item9_grade})` : '';
    const node = el('li', { class: 'follow-up', dataset: { alertId: id } },
      el('p', { class: 'follow-up-main' }, el('strong', {}, data.display_name), ': ',
        ALERT_REASONS[data.reason] || data.reason, grade),
      parts.status, parts.summary, parts.toggle, parts.record, parts.followUp,
      el('a', { href: `/alerts/${id}/risk`, target: '_blank', rel: 'noopener',
        class: 'follow-up-page' }, 'Open the record page'));
    return { data, node, parts };
  }

  function render(entry) {
    const { data, parts, node } = entry;
    const record = data.risk_record;
    const due = data.due ? dayAndTime(data.due) : '';
    fill(parts.status, record ? `Follow-up due ${due}` : `Risk record to fill in (due ${due})`,
      data.overdue ? el('strong', { class: 'badge overdue-badge' }, 'Overdue') : null);
    parts.summary.textContent = record ? [
      `${words.labels.risk_level}: ${words.risk_levels[record.risk_level]}`,
      `${words.labels.thoughts}: ${words.thoughts[record.thoughts]}`,
      record.actions.length ? record.actions.map((a) => words.actions[a]).join(', ')
        : 'no actions recorded',
    ].join(' · ') : '';
    parts.toggle.textContent = record ? 'Change the record' : 'Fill in the risk record';
    show(parts.followUp, Boolean(record));
    node.classList.toggle('overdue', Boolean(data.overdue));
  }

  function toggle(alertId, open = null) {
    const entry = entries.get(alertId);
    if (!entry) return;
    const { record, toggle: button } = entry.parts;
    const opening = open === null ? record.hidden : open;
    if (opening && entry.data.risk_record) fillRecord(record, entry.data.risk_record);
    record.hidden = !opening;
    button.setAttribute('aria-expanded', String(opening));
    if (opening) record.querySelector('input')?.focus();
  }

  function updated(data) {
    if (data.open === false) {
      remove(data.alert_id);
      return;
    }
    let entry = entries.get(data.alert_id);
    if (!entry) {
      entry = build(data);
      entries.set(data.alert_id, entry);
      list.append(entry.node);
    }
    entry.data = { ...entry.data, ...data };
    render(entry);
    if (wantOpen.delete(data.alert_id)) toggle(data.alert_id, true);
    count();
  }

  function remove(alertId) {
    entries.get(alertId)?.node.remove();
    entries.delete(alertId);
    count();
  }

  function count() {
    section.dataset.count = String(entries.size);
    $('#follow-ups-heading').textContent = entries.size
      ? `Open follow-ups (${entries.size})` : 'Open follow-ups';
    show($('#follow-ups-none'), entries.size === 0);
  }

  const notify = setupNotifications(() => groupName);
  count();
  return {
    setAll(state) {
      groupName = state.session.group_name || '';
      const open = new Set((state.follow_ups || []).map((f) => f.alert_id));
      for (const id of [...entries.keys()]) if (!open.has(id)) remove(id);
      for (const data of state.follow_ups || []) updated(data);
      history.clear();
      for (const h of state.risk_history || []) history.set(h.participant_id, h);
    },
    raised(alert) {
      const h = history.get(alert.participant_id) || { participant_id: alert.participant_id,
        alerts: 0, last_item9_grade: null };
      history.set(alert.participant_id, { ...h, alerts: h.alerts + 1,
        last_item9_grade: alert.item9_grade || h.last_item9_grade });
      notify(alert);
    },
    updated,
    /** The record form opens for the alert this console just acknowledged. */
    opened(alertId) {
      if (entries.has(alertId)) toggle(alertId, true);
      else wantOpen.add(alertId);
    },
    badge(person) {
      const h = person.kind === 'participant' && history.get(person.id);
      if (!h) return null;
      const what = h.alerts === 1 ? 'An alert' : `${h.alerts} alerts`;
      const grade = h.last_item9_grade ? ` · last item 9: ${h.last_item9_grade}` : '';
      return el('span', { class: 'badge risk-history-badge' }, `${what} in this course${grade}`);
    },
  };
}

/** The opt-in desktop notification; returns notify(alert). Names only the group. */
function setupNotifications(groupName) {
  const button = $('#notify-alerts');
  const status = $('#notify-status');
  const supported = 'Notification' in window;

  function on() {
    return supported && Notification.permission === 'granted'
      && localStorage.getItem(NOTIFY_KEY) === 'on';
  }

  function render() {
    if (!supported) {
      button.hidden = true;
      status.textContent = 'This browser cannot show notifications.';
      return;
    }
    button.textContent = on() ? 'Stop notifications on this computer'
      : 'Notify me of new alerts on this computer';
    status.textContent = Notification.permission === 'denied'
      ? 'Notifications are blocked in this browser\'s settings for this site.'
      : on() ? 'A new alert will show a notification on this computer.' : '';
  }

  button.addEventListener('click', async () => {
    if (on()) localStorage.removeItem(NOTIFY_KEY);
    else if (await Notification.requestPermission() === 'granted') {
      localStorage.setItem(NOTIFY_KEY, 'on');
    }
    render();
  });
  render();
  return () => {
    if (!on()) return;
    const note = new Notification(`${groupName()}: a new alert`, {
      body: 'Open the console to see it.', tag: 'facilitator-alert' });
    note.addEventListener('click', () => {
      window.focus();
      note.close();
    });
  };
}
