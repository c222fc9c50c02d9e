// Drafts: what a person types into a form is kept in sessionStorage (this tab only),
// so a reload, a lost connection or a push from the facilitator never loses it.

function read(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || 'null');
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the form still works, the draft just is not kept.
  }
}

/** The values of a form's named fields, as a plain object. */
export function formValues(form) {
  const values = {};
  for (const field of form.elements) {
    if (!field.name || field.type === 'submit' || field.type === 'button') continue;
    if (field.type === 'radio') {
      if (field.checked) values[field.name] = field.value;
    } else if (field.type === 'checkbox') {
      values[field.name] = field.checked;
    } else {
      values[field.name] = field.value;
    }
  }
  return values;
}

/** Put saved values back into a form's fields. */
export function setFormValues(form, values) {
  for (const field of form.elements) {
    if (!field.name || !(field.name in values)) continue;
    const value = values[field.name];
    if (field.type === 'radio') field.checked = field.value === value;
    else if (field.type === 'checkbox') field.checked = Boolean(value);
    else field.value = value;
  }
}

/**
 * Keep a form's draft under `key`: restore it now, save it on every change.
 * Returns {clear(), saved()}; `clear()` forgets the draft and resets the form.
 */
export function keepDraft(form, key) {
  const saved = read(key);
  if (saved) {
    setFormValues(form, saved);
    // Let counters and dependent hints catch up with the restored values.
    for (const field of form.elements) {
      if (field.name) field.dispatchEvent(new Event('input', { bubbles: true }));
    }
  }
  let quiet = false;
  const save = () => {
    if (!quiet) write(key, formValues(form));
  };
  form.addEventListener('input', save);
  form.addEventListener('change', save);
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  return {
    /** Forget the draft only if the form still holds `snapshot` (nothing typed since). */
    clearIfUnchanged(snapshot) {
      if (!snapshot || same(formValues(form), snapshot)) {
        this.clear();
        return true;
      }
      return false;
    },
    clear() {
      quiet = true;
      form.reset();
      for (const field of form.elements) {
        if (field.name) field.dispatchEvent(new Event('input', { bubbles: true }));
      }
      quiet = false;
      write(key, null);
    },
    saved: () => read(key),
    save,
  };
}

export const storage = { read, write };
