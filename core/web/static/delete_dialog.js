// Delete: a confirmation. A connection still in use is refused with 409; the dialog
// then lists each flow and deployment that uses it, as links to them.
import {api, projectPath} from './api.js';
import {announce, h} from './dom.js';
import {errorSummary, hideProblem, showProblem, whileBusy} from './form_feedback.js';
import {dialogActions, openModal} from './modal.js';
import {componentHref} from './url_state.js';

export function openDeleteDialog({project, connection, onDeleted}) {
  const summary = errorSummary();
  const remove = h('button', {type: 'submit', class: 'button danger'}, 'Delete');
  const back = h('button', {type: 'button', class: 'button', onclick: () => modal.close(), autofocus: true}, 'Go back');
  const form = h('form', {class: 'dialog-form', novalidate: true},
      h('p', {}, 'This removes ', h('strong', {}, connection.name),
          ' and its stored credentials. Flows cannot use it afterwards. This cannot be undone.'),
      summary, dialogActions(remove, back));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideProblem(summary);
    try {
      await whileBusy(remove, 'Deleting…', () =>
        api('DELETE', projectPath(project, `/connections/${encodeURIComponent(connection.id)}`)));
      await onDeleted(connection);
      modal.close();
      announce(`Deleted ${connection.name}.`);
    } catch (error) {
      showProblem(summary, error);
      const references = Array.isArray(error.problem.references) ? error.problem.references : [];
      if (references.length) {
        summary.append(h('p', {}, 'Used by:'), h('ul', {class: 'reference-list'}, references.map((ref) =>
          h('li', {}, h('a', {href: componentHref(project, ref.kind, ref.id), 'data-nav': ''},
              `${ref.kind === 'deployment' ? 'Deployment' : 'Flow'} “${ref.name || ref.id}”`)))));
      }
    }
  });
  // A link out of the dialog closes it first, so the page behind can navigate.
  form.addEventListener('click', (event) => {
    if (event.target.closest('a[data-nav]')) modal.close();
  });
  const modal = openModal({title: `Delete ${connection.name}?`, content: form});
  return modal;
}
