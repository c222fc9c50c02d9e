// Links from the console to a member's profile (facilitators only: the participant page never
// imports this). The profile opens in a new tab, so the live console keeps running.
import { el } from './ui.js';

/** A person's name in "Who is here": a link to a participant's profile, plain text otherwise. */
export function personName(groupId, person) {
  if (person.kind !== 'participant' || !groupId) {
    return el('span', { class: 'name' }, person.display_name);
  }
  return el('a', {
    class: 'name profile-link',
    href: `/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(person.id)}`,
    target: '_blank',
    rel: 'noopener',
    title: `Open ${person.display_name}'s profile in a new tab`,
  }, person.display_name);
}
