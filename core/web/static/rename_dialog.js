// Rename: the current name in a field, Save and Go back.
import {api, projectPath} from './api.js';
import {announce, h} from './dom.js';
import {errorSummary, hideProblem, showProblem, textField, whileBusy} from './form_feedback.js';
import {dialogActions, openModal} from './modal.js';

export function openRenameDialog({project, connection, onSaved}) {
  const summary = errorSummary();
  const name = textField({label: 'Name', name: 'name', value: connection.name, required: true});
  name.input.setAttribute('autofocus', '');
  const save = h('button', {type: 'submit', class: 'button primary'}, 'Save');
  const back = h('button', {type: 'button', class: 'button', onclick: () => modal.close()}, 'Go back');
  const form = h('form', {class: 'dialog-form', novalidate: true},
      h('p', {}, 'Current name: ', h('strong', {}, connection.name)), summary, name.wrapper, dialogActions(save, back));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideProblem(summary);
    name.setError('');
    try {
      const saved = await whileBusy(save, 'Saving…', () =>
        api('PATCH', projectPath(project, `/connections/${encodeURIComponent(connection.id)}`), {name: name.input.value.trim()}));
      await onSaved(saved);
      modal.close();
      announce(`Renamed to ${saved.name}.`);
    } catch (error) {
      showProblem(summary, error, (e) => {
        if (e.field !== 'name') return false;
        name.setError(e.message);
        return true;
      }, form);
    }
  });
  const modal = openModal({title: `Rename ${connection.name}`, content: form});
  name.input.select();
  return modal;
}
