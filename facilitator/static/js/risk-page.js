// The risk-record page: times in this computer's clock, and the follow-up time's offset.
import { $$ } from './ui.js';
import { localInputValue, setOffset, showLocalTimes } from './risk-time.js';

showLocalTimes(document);
for (const input of $$('input[name="follow_up_due"]')) {
  if (!input.value && input.dataset.utc) input.value = localInputValue(input.dataset.utc);
  const form = input.form;
  setOffset(input);
  input.addEventListener('input', () => setOffset(input));
  form.addEventListener('submit', () => setOffset(input));
}
