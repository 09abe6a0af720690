// How a dialog shows a failed request: the problem's detail in an alert at the top of
// the form, each per-field error beside its field, and anything that fits no field
// listed in the alert. Server errors are always shown, never swallowed.
import {h} from './dom.js';

export function errorSummary() {
  return h('div', {class: 'form-alert', role: 'alert', hidden: true});
}

// Fills `summary` from an ApiError. `placeField(error) -> bool` puts an error beside its
// field and says whether it did. Focuses the first invalid control, else the summary.
export function showProblem(summary, error, placeField = () => false, form = null) {
  const leftovers = [];
  for (const fieldError of error.fieldErrors || []) {
    if (!placeField(fieldError)) leftovers.push(fieldError);
  }
  const message = error.message || 'The request failed.';
  summary.replaceChildren(h('p', {class: 'form-alert-title'}, message.charAt(0).toUpperCase() + message.slice(1)));
  const placed = (error.fieldErrors || []).length - leftovers.length;
  if (placed > 0) summary.append(h('p', {}, placed === 1 ? 'See the field marked below.' : `See the ${placed} fields marked below.`));
  if (leftovers.length) {
    summary.append(h('ul', {}, leftovers.map((e) => h('li', {}, e.field ? `${e.field}: ` : '', e.message || e.code))));
  }
  summary.hidden = false;
  const firstInvalid = form && form.querySelector('[aria-invalid="true"]');
  if (firstInvalid && firstInvalid.getClientRects().length) firstInvalid.focus();
  else {
    summary.setAttribute('tabindex', '-1');
    summary.focus();
  }
}

export function hideProblem(summary) {
  summary.hidden = true;
  summary.replaceChildren();
}

// Disables the submit button while a request runs and says so on it.
export async function whileBusy(button, busyText, work) {
  const text = button.textContent;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = busyText;
  try {
    return await work();
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = text;
  }
}

// A labelled text input with its error line, for fields outside a provider schema.
export function textField({label, name, value = '', required = false, help = '', autocomplete = 'off'}) {
  const id = `${name}-${Math.random().toString(36).slice(2, 8)}`;
  const errorEl = h('p', {id: `${id}-error`, class: 'field-error', hidden: true});
  const helpEl = help ? h('p', {id: `${id}-help`, class: 'help'}, help) : null;
  const input = h('input', {
    id, name, type: 'text', required, 'aria-required': required ? 'true' : null, autocomplete,
    'aria-describedby': [helpEl ? helpEl.id : null, errorEl.id].filter(Boolean).join(' '),
  });
  input.value = value;
  const wrapper = h('div', {class: 'field', dataset: {field: name}},
      h('label', {for: id, class: 'field-label'}, label,
          required ? [h('span', {class: 'required-mark', 'aria-hidden': 'true'}, ' *'), h('span', {class: 'visually-hidden'}, ' (required)')] : null),
      input, helpEl, errorEl);
  const setError = (message) => {
    errorEl.textContent = message || '';
    errorEl.hidden = !message;
    wrapper.classList.toggle('has-error', Boolean(message));
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  return {wrapper, input, setError};
}
