// "Add new connection" and "Edit": name, provider (picked when adding, fixed when
// editing), and the provider's fields rendered from its schema. Per-field errors from
// the server land beside their fields.
import {api, projectPath} from './api.js';
import {announce, h} from './dom.js';
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
  const form = h('form', {class: 'dialog-form', novalidate: true}, summary, name.wrapper, providerBlock, fieldsHost,
      dialogActions(submit, cancel));
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

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideProblem(summary);
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
      announce(editing ? `Saved ${saved.name}.` : `Added ${saved.name}.`);
    } catch (error) {
      showProblem(summary, error, placeField, form);
    }
  });

  const modal = openModal({title: editing ? `Edit ${connection.name}` : 'Add new connection', content: form, wide: true});
  return modal;
}
