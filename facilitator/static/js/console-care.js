// Alerts (risk signals to acknowledge) and the check-ins table of the console.
import {
  $, ALERT_REASONS, clockTime, el, fill, item9Words, report, SEVERITY, show,
} from './ui.js';

/** Item 9's answer in words for a facilitator, e.g. "item 9: nearly every day". */
function item9Line(answer) {
  return answer === null || answer === undefined ? '' : `item 9: ${item9Words(answer)}`;
}

/** The answered PHQ-9 items, e.g. "1: 2 · 4: 3 · 9: 1" (question: answer 0-3). */
function answeredItems(phq9) {
  return (phq9 || []).map((value, index) => (value === null ? null : `${index + 1}: ${value}`))
    .filter(Boolean).join(' · ');
}

/** The alerts panel. Returns {setAll(alerts), add(alert), remove(alertId)}.
 * `acknowledgedHere(alertId)`: this console acknowledged it (its risk record opens). */
export function setupAlerts({ live, acknowledgedHere = () => {} }) {
  const list = $('#alert-list');
  const items = new Map(); // alert id -> list item
  const baseTitle = document.title;

  function entry(alert) {
    const noteId = `alert-note-${alert.alert_id}`;
    const error = el('p', { class: 'form-error', role: 'alert', hidden: true });
    const form = el('form', { class: 'alert-ack', novalidate: true },
      el('label', { for: noteId }, 'Note (optional)'),
      el('input', { id: noteId, name: 'note', maxlength: 1000,
        placeholder: 'e.g. Spoke with them after the session' }),
      el('button', { type: 'submit', class: 'ack-button' }, 'Acknowledge'));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const note = form.elements.note.value.trim();
      const payload = { alert_id: alert.alert_id };
      if (note) payload.note = note;
      form.querySelector('button').disabled = true;
      const ack = await live.call('alert:ack', payload);
      form.querySelector('button').disabled = false;
      if (report(error, ack)) {
        remove(alert.alert_id);
        acknowledgedHere(alert.alert_id);
      }
    });
    const reason = ALERT_REASONS[alert.reason] || alert.reason;
    return el('li', { class: `alert-entry reason-${alert.reason}`,
      dataset: { alertId: alert.alert_id } },
    el('p', { class: 'alert-main' },
      el('strong', { class: 'alert-name' }, alert.display_name), ': ', reason),
    alert.item9 > 0 ? el('p', { class: `alert-grade grade-${alert.item9}` },
      `Answer to item 9: ${item9Words(alert.item9)}`) : '',
    el('p', { class: 'alert-time' }, `Raised at ${clockTime(alert.created_at)}`),
    form, error);
  }

  function add(alert) {
    if (items.has(alert.alert_id) || alert.acknowledged_at) return;
    const node = entry(alert);
    items.set(alert.alert_id, node);
    list.append(node);
    update();
  }

  function remove(alertId) {
    const node = items.get(alertId);
    if (node) node.remove();
    items.delete(alertId);
    update();
  }

  function update() {
    const count = items.size;
    const panel = $('#alerts');
    panel.dataset.count = String(count);
    panel.classList.toggle('has-alerts', count > 0);
    $('#alerts-heading').textContent = count
      ? `${count} open ${count === 1 ? 'alert' : 'alerts'}: please see to ${count === 1
        ? 'it' : 'them'}` : 'Alerts';
    show($('#alerts-none'), count === 0);
    document.title = count ? `(${count}) Alert${count === 1 ? '' : 's'} · ${baseTitle}`
      : baseTitle;
  }

  update();
  return {
    setAll(alerts) {
      const open = new Set(alerts.map((a) => a.alert_id));
      for (const id of [...items.keys()]) if (!open.has(id)) remove(id);
      for (const alert of alerts) add(alert);
      update();
    },
    add,
    remove,
  };
}

/** The check-ins table. Returns {setAll(checkins), add(checkin), renderMissing()}. */
export function setupCheckins({ page }) {
  const body = $('#checkin-rows');
  const rows = new Map(); // check-in id -> {checkin, node}

  function row(c) {
    const severity = c.severity
      ? el('span', { class: `badge sev sev-${c.severity}` }, SEVERITY[c.severity] || c.severity)
      : el('span', { class: 'muted' }, '—');
    return el('tr', { class: c.flagged ? 'flagged' : '', dataset: { checkinId: c.id } },
      el('th', { scope: 'row' }, c.display_name),
      el('td', { class: 'num' }, `${c.mood}/10`),
      phq9Cell(c),
      el('td', {}, severity),
      el('td', { class: 'preserve note-cell' }, c.note || ''),
      el('td', {}, c.needs_support ? el('strong', { class: 'support-yes' }, 'Asked for support')
        : ''),
      el('td', {}, clockTime(c.created_at)));
  }

  /** The total (or "no total" with how many were answered), item 9 in words, the answers. */
  function phq9Cell(c) {
    const answered = c.answered ?? (c.phq9 || []).filter((v) => v !== null).length;
    const item9 = c.item9 ?? (c.phq9 ? c.phq9[8] : null);
    const total = c.phq9_total === null || c.phq9_total === undefined
      ? (answered ? `no total (${answered} of 9 answered)` : '—') : String(c.phq9_total);
    return el('td', { class: 'num phq9-cell' }, total,
      item9 > 0 ? el('span', { class: 'item9' }, ` ${item9Line(item9)}`) : '',
      answered ? el('span', { class: 'phq9-items muted' }, ` ${answeredItems(c.phq9)}`) : '');
  }

  function add(c) {
    if (rows.has(c.id)) return;
    const node = row(c);
    rows.set(c.id, { checkin: c, node });
    body.append(node);
    update();
  }

  function update() {
    show($('#checkins-empty'), rows.size === 0);
    renderMissing();
  }

  function renderMissing() {
    const done = new Set([...rows.values()].map((r) => r.checkin.participant_id));
    const missing = page.participants.filter((p) => !done.has(p.id)).map((p) => p.display_name);
    $('#checkins-missing').textContent = missing.length && page.status !== 'scheduled'
      ? `Not checked in yet: ${missing.join(', ')}` : '';
  }

  return {
    setAll(checkins) {
      rows.clear();
      fill(body);
      for (const c of checkins) add(c);
      update();
    },
    add,
    renderMissing,
  };
}
