// Reconnect: new credentials for one connection. The host probes them before storing:
//   200 {connection, probe}                 accepted, the connection is Active
//   422 credentials_rejected {probe,errors} refused by the provider, nothing changed
//   503 probe_unavailable {probe}           the provider could not be asked, nothing changed
//   422 invalid_config {errors}             the fields themselves are wrong
// A host without the probe answers 200 with the connection alone; that is shown as saved.
import {api, projectPath} from './api.js';
import {announce, h} from './dom.js';
import {errorSummary, hideProblem, showProblem, whileBusy} from './form_feedback.js';
import {statusLabel} from './format.js';
import {dialogActions, openModal} from './modal.js';
import {credentialFields, loadProvider} from './providers.js';
import {buildSchemaForm} from './schema_form.js';

export function openReconnectDialog({project, connection, providerName, onSaved}) {
  const summary = errorSummary();
  const result = h('div', {class: 'probe-result', role: 'status', 'aria-live': 'polite'});
  const fieldsHost = h('div', {}, h('p', {class: 'muted'}, 'Loading the credential fields…'));
  const submit = h('button', {type: 'submit', class: 'button primary', disabled: true}, 'Reconnect');
  const back = h('button', {type: 'button', class: 'button', onclick: () => modal.close()}, 'Go back');
  const form = h('form', {class: 'dialog-form', novalidate: true},
      h('p', {}, 'Enter new credentials for ', h('strong', {}, connection.name), ` (${providerName}). `,
          'Switchboard checks them with the provider before saving; nothing changes if they are refused.'),
      summary, fieldsHost, result, dialogActions(submit, back));
  let schemaForm = null;

  loadProvider(connection.provider).then((provider) => {
    const only = credentialFields(provider.schema);
    schemaForm = buildSchemaForm(provider.schema, {mode: 'reconnect', values: connection.config || {}, only});
    fieldsHost.replaceChildren(schemaForm.element);
    submit.disabled = false;
    const first = schemaForm.element.querySelector('input, select, textarea');
    if (first) first.focus();
  }).catch((error) => {
    fieldsHost.replaceChildren(h('p', {class: 'form-alert', role: 'alert'}, `Cannot load the credential fields: ${error.message}`));
  });

  const showResult = (kind, title, details) => {
    result.className = `probe-result probe-${kind}`;
    result.replaceChildren(h('p', {class: 'probe-title'}, title), details ? h('p', {}, details) : null);
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    hideProblem(summary);
    result.replaceChildren();
    result.className = 'probe-result';
    result.setAttribute('role', 'status');
    if (!schemaForm) return;
    schemaForm.clearErrors();
    const path = projectPath(project, `/connections/${encodeURIComponent(connection.id)}/reconnect`);
    try {
      const answer = await whileBusy(submit, 'Checking…', () => api('POST', path, {config: schemaForm.collect()}));
      const saved = answer && answer.connection ? answer.connection : answer;
      const probe = answer && answer.probe ? answer.probe : null;
      await onSaved(saved);
      const status = statusLabel(saved.status);
      if (probe) {
        showResult('valid', `Credentials accepted. ${saved.name} is ${status}.`, probe.message || null);
      } else {
        showResult('valid', `Credentials saved. ${saved.name} is ${status}.`, null);
      }
      announce(`${saved.name} reconnected; status ${status}.`);
      back.textContent = 'Done';
      back.focus();
    } catch (error) {
      const probe = error.problem && error.problem.probe;
      const verdict = {
        credentials_rejected: ['refused', 'The provider refused these credentials. Nothing was changed.'],
        probe_unavailable: ['transient', 'The provider could not be reached to check the credentials. Nothing was changed.'],
      }[error.code];
      if (!verdict) {
        showProblem(summary, error, (e) => schemaForm.showErrors([e]).length === 0, form);
        return;
      }
      // The probe's verdict is the whole story: say it once, and put each field's part beside it.
      const leftovers = schemaForm.showErrors(error.fieldErrors);
      const said = probe && probe.message ? probe.message : error.message;
      const details = [said];
      if (error.code === 'probe_unavailable') {
        details.push(probe && probe.retry_after_seconds ? `Try again in ${probe.retry_after_seconds} seconds.` : 'Try again later.');
      }
      for (const e of leftovers) {
        if (e.message && e.message !== said) details.push(e.message);
      }
      showResult(verdict[0], verdict[1], details.filter(Boolean).join(' '));
      result.setAttribute('role', 'alert');
      const invalid = form.querySelector('[aria-invalid="true"]');
      if (invalid) invalid.focus();
    }
  });

  const modal = openModal({title: `Reconnect ${connection.name}`, content: form, wide: true});
  return modal;
}
