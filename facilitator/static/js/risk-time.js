// Times of the risk record: shown and entered on this computer's clock, sent in UTC.

/** "2026-12-08T14:00" for a datetime-local input, from an ISO time in UTC. */
export function localInputValue(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`
    + `T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The ISO time in UTC of a datetime-local input's value, or null when empty. */
export function utcOf(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Put the input's offset from UTC (getTimezoneOffset, minutes) in its form's utc_offset. */
export function setOffset(input) {
  const field = input.form && input.form.elements.utc_offset;
  if (!field) return;
  const date = input.value ? new Date(input.value) : new Date();
  field.value = Number.isNaN(date.getTime()) ? '' : String(date.getTimezoneOffset());
}

/** A day and time in words on this computer's clock, e.g. "Tue 8 Dec, 14:00". */
export function dayAndTime(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString([], { weekday: 'short', day: 'numeric', month: 'short',
    hour: '2-digit', minute: '2-digit' });
}

/** Show every <time data-local> inside `root` on this computer's clock. */
export function showLocalTimes(root) {
  for (const node of root.querySelectorAll('time[data-local]')) {
    const text = dayAndTime(node.getAttribute('datetime'));
    if (text) node.textContent = text;
  }
}
