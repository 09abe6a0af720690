// "Add new connection" and "Edit": name, provider (picked when adding, fixed when
// editing), and the provider's fields rendered from its schema. Per-field errors from
// the server land beside their fields.
//
// Adding probes the credentials before anything is stored (docs/probes.md):
//   201 connection (active, or unverified when the provider could not tell)
//   422 credentials_rejected {probe, errors}  refused, nothing stored: the dialog stays
//   422 invalid_config {errors}               the fields themselves are wrong
// "Test" asks for the same verdict without storing (POST .../connections/test).
import {api, projectPath} from './api.js';
import {announce, h} from './dom.js';
import {statusLabel} from './format.js';
import {errorSummary, hideProblem, showProblem, textField, whileBusy} from './form_feedback.js';
import {dialogActions, openModal} from './modal.js';
import {providerIcon, providerPicker} from './provider_picker.js';
import {buildSchemaForm} from './schema_form.js';
import {loadProvider} from './providers.js';

// Opens the dialog; `onSaved(connection)` runs after the server accepted it.
export function openConnectionDialog({project, providers, connection = null, onSaved}) {
  const editing = connection !== null;
  const summary = errorSummary();
  const name = textField({label: 'Connection name', name: 'name', value: editing ? connection.name : '', required: true,
    help: 'Unique in this project, e.g. "Marketing OpenAI".'});
  const fieldsHost = h('div', {class: 'provider-fields', 'aria-live': 'polite'});
  let schemaForm = null;
  let picker = null;
  let providerLoad = 0;

  const showFields = async (providerId, values) => {
    const load = ++providerLoad;
    fieldsHost.replaceChildren(h('p', {class: 'muted'}, 'Loading the provider’s fields…'));
    try {
      const provider = await loadProvider(providerId);
      if (load !== providerLoad) return;
      schemaForm = buildSchemaForm(provider.schema, {mode: editing ? 'edit' : 'create', values});
      fieldsHost.replaceChildren(
          provider.schema.description ? h('p', {class: 'muted'}, provider.schema.description) : '',
          schemaForm.element);
    } catch (error) {
      if (load !== providerLoad) return;
      schemaForm = null;
      fieldsHost.replaceChildren(h('p', {class: 'form-alert', role: 'alert'}, `Cannot load the provider’s fields: ${error.message}`));
    }
  };

  let providerBlock;
  if (editing) {
    const provider = providers.find((p) => p.id === connection.provider) || {id: connection.provider, name: connection.provider};
    providerBlock = h('div', {class: 'field'}, h('span', {class: 'field-label'}, 'Provider'),
        h('p', {class: 'provider-fixed'}, providerIcon(provider), provider.name));
    showFields(connection.provider, connection.config || {});
  } else {
    picker = providerPicker(providers, {onChange: (provider) => {
      picker.setError('');
      showFields(provider.id, {});
    }});
    providerBlock = picker.element;
    fieldsHost.append(h('p', {class: 'muted'}, 'Choose a provider to see the fields it needs.'));
  }

  const submit = h('button', {type: 'submit', class: 'button primary'}, editing ? 'Save changes' : 'Add connection');
  const cancel = h('button', {type: 'button', class: 'button', onclick: () => modal.close()}, 'Cancel');
  const result = h('div', {class: 'probe-result', role: 'status', 'aria-live': 'polite'});
  const test = editing ? null : h('button', {type: 'button', class: 'button', onclick: () => runTest()}, 'Test');
  const form = h('form', {class: 'dialog-form', novalidate: true}, summary, name.wrapper, providerBlock, fieldsHost,
      result, editing ? dialogActions(submit, cancel) : dialogActions(submit, test, cancel));
  name.input.setAttribute('autofocus', '');

  const placeField = (error) => {
    if (error.field === 'name') {
      name.setError(error.message);
      return true;
    }
    if (error.field === 'provider' && picker) {
      picker.setError(error.message);
      return true;
    }
    if (schemaForm && typeof error.field === 'string' && error.field.startsWith('config.')) {
      return schemaForm.showErrors([error]).length === 0;
    }
    return false;
  };

  const showResult = (kind, title, details) => {
    result.className = `probe-result probe-${kind}`;
    result.replaceChildren(h('p', {class: 'probe-title'}, title), details ? h('p', {}, details) : null);
  };
  const clearResult = () => {
    result.replaceChildren();
    result.className = 'probe-result';
    result.setAttribute('role', 'status');
  };
  // A probe's refusal: the verdict once in the result box, each field's part beside it.
  const showRefusal = (error, title) => {
    const probe = error.problem && error.problem.probe;
    const leftovers = schemaForm ? schemaForm.showErrors(error.fieldErrors) : error.fieldErrors;
    const said = probe && probe.message ? probe.message : error.message;
    const details = [said, ...leftovers.map((e) => e.message).filter((m) => m && m !== said)];
    showResult('refused', title, details.filter(Boolean).join(' '));
    result.setAttribute('role', 'alert');
    const invalid = form.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  };

  async function runTest() {
    hideProblem(summary);
    clearResult();
    if (picker) picker.setError('');
    if (schemaForm) schemaForm.clearErrors();
    const provider = picker ? picker.value() : '';
    if (!provider || !schemaForm) {
      if (picker) picker.setError('Choose a provider to test its credentials.');
      return;
    }
    try {
      const answer = await whileBusy(test, 'Testing…', () =>
        api('POST', projectPath(project, '/connections/test'), {provider, config: schemaForm.collect()}));
      const probe = answer.probe;
      if (probe.outcome === 'valid') {
        showResult('valid', 'These credentials work.', probe.message || null);
      } else if (probe.outcome === 'transient') {
        showResult('transient', 'The provider could not tell now.', probe.message || 'Try again later.');
      } else {
        showRefusal({problem: {probe}, message: probe.message, fieldErrors: probe.field ?
          [{field: `config.${probe.field}`, code: probe.reason, message: probe.message}] : []},
        'The provider refused these credentials.');
      }
      announce(result.textContent);
    } catch (error) {
      showProblem(summary, error, placeField, form);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideProblem(summary);
    clearResult();
    name.setError('');
    if (picker) picker.setError('');
    if (schemaForm) schemaForm.clearErrors();
    const body = {name: name.input.value.trim()};
    if (!editing) body.provider = picker.value() || '';
    if (schemaForm) body.config = schemaForm.collect();
    try {
      const saved = await whileBusy(submit, editing ? 'Saving…' : 'Adding…', () => (editing ?
        api('PATCH', projectPath(project, `/connections/${encodeURIComponent(connection.id)}`), body) :
        api('POST', projectPath(project, '/connections'), body)));
      await onSaved(saved);
      modal.close();
      announce(editing ? `Saved ${saved.name}.` : `Added ${saved.name}; status ${statusLabel(saved.status)}.`);
    } catch (error) {
      if (error.code === 'credentials_rejected') {
        showRefusal(error, 'The provider refused these credentials. Nothing was added.');
        return;
      }
      showProblem(summary, error, placeField, form);
    }
  });

  const modal = openModal({title: editing ? `Edit ${connection.name}` : 'Add new connection', content: form, wide: true});
  return modal;
}
