// Role-play on the console: a practice scene or a member's own conversation, cast from the
// group, shown and taken down; then the debrief of a member's conversation (facilitators only).
import { $, $$, AREA_ORDER, areaName, el, fill, pageWords, report, show } from './ui.js';

const ROLEPLAY = pageWords().roleplay || { words: {}, starters: {} };
const WORDS = ROLEPLAY.words;
const STARTERS = ROLEPLAY.starters;
const DISPUTES = 'role_dispute';

/** Returns {setParticipants(), setPrompt(prompt), debriefed(debrief)}. */
export function setupRoleplay({ live, sessionId, page }) {
  const form = $('#prompt-form');
  const rows = $('#cast-rows');
  const own = {
    member: $('#own-member'), details: $('#own-details'), inventory: $('#own-inventory'),
    other: $('#own-other'), wants: $('#own-wants'), plays: $('#own-plays'),
    partner: $('#own-partner'), confrontation: $('#own-confrontation'),
    safety: $('#own-safety'), safe: $('#own-safe'),
  };
  let rowCount = 0;
  let debriefFor = null; // the last member's own conversation shown: {prompt_id, name}

  $('#own-safety-question').textContent = WORDS.safety_question || '';
  $('#own-safety-hint').textContent = WORDS.safety_hint || '';
  $('#own-safe-words').textContent = WORDS.safety_confirm || '';
  fill(own.plays, ['self', 'other'].map((key) => el('option', { value: key },
    (WORDS.member_plays || {})[key] || key)));

  const library = $('#prompt-library');
  for (const area of AREA_ORDER) {
    library.append(el('optgroup', { label: areaName(area) },
      (STARTERS[area] || []).map((p, i) => el('option', { value: `${area}:${i}` }, p.title))));
  }
  library.addEventListener('change', () => {
    const [area, index] = library.value.split(':');
    const starter = STARTERS[area] && STARTERS[area][Number(index)];
    if (!starter) return;
    form.elements.text.value = starter.text;
    form.elements.problem_area.value = area;
    own.other.placeholder = `e.g. ${starter.other}`;
    own.wants.placeholder = starter.ask;
    fill(rows);
    addRow(WORDS.yourself || 'You');
    addRow(starter.other);
    updateOwn();
  });

  function member(id) {
    return page.participants.find((p) => String(p.id) === String(id));
  }

  function participantOptions(first, skip = '') {
    return [el('option', { value: '' }, first),
      ...page.participants.filter((p) => String(p.id) !== String(skip))
        .map((p) => el('option', { value: p.id }, p.display_name))];
  }

  function refill(select, options) {
    const chosen = select.value;
    fill(select, options);
    select.value = chosen;
  }

  /** Show the member's part of the form when a member is chosen; ask the safety question. */
  function updateOwn() {
    const person = member(own.member.value);
    show(own.details, Boolean(person));
    show($('#cast-fieldset'), !person);
    if (!person) return;
    refill(own.partner, participantOptions('Choose who…', person.id));
    refill(own.inventory, [el('option', { value: '' }, 'Choose…'),
      ...(person.inventory || []).map((c) => el('option', { value: c.id }, c.label))]);
    show($('#own-inventory-field'), (person.inventory || []).length > 0);
    const areas = [form.elements.problem_area.value, person.problem_area,
      person.second_problem_area];
    show(own.safety, own.confrontation.checked || areas.includes(DISPUTES));
  }

  own.member.addEventListener('change', updateOwn);
  own.confrontation.addEventListener('change', updateOwn);
  form.elements.problem_area.addEventListener('change', updateOwn);

  function addRow(role = '') {
    rowCount += 1;
    const id = `cast-${rowCount}`;
    const row = el('div', { class: 'cast-row' },
      el('label', { for: `${id}-who`, class: 'visually-hidden' }, 'Participant'),
      el('select', { id: `${id}-who`, class: 'cast-who' }, participantOptions('Choose who…')),
      el('span', { 'aria-hidden': 'true' }, 'plays'),
      el('label', { for: `${id}-role`, class: 'visually-hidden' }, 'Role'),
      el('input', { id: `${id}-role`, class: 'cast-role-input', maxlength: 60, value: role,
        placeholder: 'Role, e.g. a neighbour' }),
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

  /** The fields of a member's own conversation (the server checks them again). */
  function ownFields() {
    const fields = {
      for_participant_id: Number(own.member.value), member_plays: own.plays.value,
      other_person: own.other.value.trim(), wants_to_say: own.wants.value.trim(),
      confrontation: own.confrontation.checked, safety_checked: own.safe.checked,
    };
    if (!fields.other_person) throw new Error('Write who the other person is, e.g. “a sister”.');
    if (!fields.wants_to_say) throw new Error('Write what the member wants to say.');
    if (!own.partner.value) throw new Error('Choose who plays the other part.');
    fields.partner_id = Number(own.partner.value);
    if (own.inventory.value) fields.inventory_person_id = Number(own.inventory.value);
    return fields;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = form.elements.text.value.trim();
    const payload = { session_id: sessionId, text };
    try {
      if (!text) throw new Error('Write the scenario first.');
      if (own.member.value) Object.assign(payload, ownFields());
      else payload.roles = castFromRows();
    } catch (problem) {
      report('#prompt-error', { ok: false, error: { code: 'invalid', message: problem.message } });
      return;
    }
    if (form.elements.problem_area.value) payload.problem_area = form.elements.problem_area.value;
    report('#prompt-error', await live.call('prompt:push', payload));
  });

  $('#prompt-clear').addEventListener('click', async () => {
    report('#prompt-error', await live.call('prompt:clear', { session_id: sessionId }));
  });

  const debrief = $('#debrief-form');
  debrief.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!debriefFor) return;
    show($('#debrief-done'), false);
    const ack = await live.call('roleplay:debrief', {
      session_id: sessionId, prompt_id: debriefFor.prompt_id,
      worked: debrief.elements.worked.value.trim(),
      next_time: debrief.elements.next_time.value.trim(),
    });
    if (report('#debrief-error', ack)) showKept();
  });

  function showKept() {
    const done = $('#debrief-done');
    done.textContent = `Debrief kept on ${debriefFor.name}'s profile.`;
    show(done, true);
  }

  /** Offer the debrief of the member's own conversation just shown (kept after it is down). */
  function offerDebrief(prompt) {
    if (!prompt || !prompt.scene) return;
    if (debriefFor && debriefFor.prompt_id === prompt.prompt_id) return;
    debriefFor = { prompt_id: prompt.prompt_id, name: prompt.scene.display_name };
    $('#debrief-heading').textContent = `Debrief with ${prompt.scene.display_name}`;
    debrief.reset();
    show($('#debrief-done'), false);
    show($('#debrief-error'), false);
    show(debrief, true);
  }

  addRow(WORDS.yourself || 'You');
  addRow();

  return {
    setParticipants() {
      for (const select of $$('.cast-who', rows)) refill(select, participantOptions('Choose who…'));
      refill(own.member, participantOptions("No one's: a practice scene"));
      updateOwn();
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
      offerDebrief(prompt);
    },
    debriefed(kept) {
      if (debriefFor && debriefFor.prompt_id === kept.prompt_id) showKept();
    },
  };
}
