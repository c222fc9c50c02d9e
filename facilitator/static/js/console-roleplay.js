// Role-play on the console: write or pick a scenario, cast participants, show it, take it down.
import { PROMPT_LIBRARY } from './prompt-library.js';
import { $, $$, AREA_ORDER, areaName, el, fill, report, show } from './ui.js';

/** Returns {setParticipants(), setPrompt(prompt)}. */
export function setupRoleplay({ live, sessionId, page }) {
  const form = $('#prompt-form');
  const rows = $('#cast-rows');
  let rowCount = 0;

  const library = $('#prompt-library');
  for (const area of AREA_ORDER) {
    library.append(el('optgroup', { label: areaName(area) },
      PROMPT_LIBRARY[area].map((p, i) => el('option', { value: `${area}:${i}` }, p.title))));
  }
  library.addEventListener('change', () => {
    const [area, index] = library.value.split(':');
    const starter = PROMPT_LIBRARY[area] && PROMPT_LIBRARY[area][Number(index)];
    if (!starter) return;
    form.elements.text.value = starter.text;
    form.elements.problem_area.value = area;
    fill(rows);
    for (const role of starter.roles) addRow(role);
  });

  function participantOptions(selected = '') {
    return [el('option', { value: '' }, 'Choose who…'),
      ...page.participants.map((p) => el('option', { value: p.id,
        selected: String(p.id) === String(selected) }, p.display_name))];
  }

  function addRow(role = '') {
    rowCount += 1;
    const id = `cast-${rowCount}`;
    const row = el('div', { class: 'cast-row' },
      el('label', { for: `${id}-who`, class: 'visually-hidden' }, 'Participant'),
      el('select', { id: `${id}-who`, class: 'cast-who' }, participantOptions()),
      el('span', { 'aria-hidden': 'true' }, 'plays'),
      el('label', { for: `${id}-role`, class: 'visually-hidden' }, 'Role'),
      el('input', { id: `${id}-role`, class: 'cast-role-input', maxlength: 60, value: role,
        placeholder: 'Role, e.g. Your sister' }),
      el('button', { type: 'button', class: 'small', 'aria-label': 'Remove this role',
        onclick: () => row.remove() }, 'Remove'));
    rows.append(row);
    return row;
  }

  $('#cast-add').addEventListener('click', () => addRow().querySelector('select').focus());

  function castFromRows() {
    const roles = [];
    for (const row of $$('.cast-row', rows)) {
      const who = row.querySelector('.cast-who').value;
      const role = row.querySelector('.cast-role-input').value.trim();
      if (!who && !role) continue;
      if (!who) throw new Error(`Choose who plays “${role}”.`);
      if (!role) throw new Error('Write the role for each person you chose.');
      roles.push({ participant_id: Number(who), role });
    }
    return roles;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = form.elements.text.value.trim();
    let roles;
    try {
      if (!text) throw new Error('Write the scenario first.');
      roles = castFromRows();
    } catch (problem) {
      report('#prompt-error', { ok: false, error: { code: 'invalid', message: problem.message } });
      return;
    }
    const payload = { session_id: sessionId, text, roles };
    if (form.elements.problem_area.value) payload.problem_area = form.elements.problem_area.value;
    report('#prompt-error', await live.call('prompt:push', payload));
  });

  $('#prompt-clear').addEventListener('click', async () => {
    report('#prompt-error', await live.call('prompt:clear', { session_id: sessionId }));
  });

  addRow('You');
  addRow();

  return {
    setParticipants() {
      for (const select of $$('.cast-who', rows)) {
        const chosen = select.value;
        fill(select, participantOptions(chosen));
        select.value = chosen;
      }
    },
    setPrompt(prompt) {
      show($('#current-prompt'), Boolean(prompt));
      if (!prompt) return;
      const area = $('#current-prompt-area');
      area.textContent = prompt.problem_area ? areaName(prompt.problem_area) : '';
      show(area, Boolean(prompt.problem_area));
      $('#current-prompt-text').textContent = prompt.text;
      fill($('#current-prompt-cast'), (prompt.cast || []).map((c) => el('li', {},
        el('span', { class: 'cast-role' }, c.role), ': ', c.display_name)));
    },
  };
}
