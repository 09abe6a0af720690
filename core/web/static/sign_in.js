// Sign in with an API token (kept in sessionStorage: it goes when the tab closes), and
// for the server admin, which can see every project, a project chooser.
import {api, setToken} from './api.js';
import {clear, h} from './dom.js';
import {errorSummary, showProblem, whileBusy} from './form_feedback.js';

export function showSignIn(main, {message = '', onSignedIn}) {
  const summary = errorSummary();
  const input = h('input', {id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-required': 'true', 'aria-describedby': 'token-help', spellcheck: 'false'});
  const submit = h('button', {type: 'submit', class: 'button primary'}, 'Sign in');
  const form = h('form', {class: 'card sign-in', novalidate: true, 'aria-labelledby': 'page-heading'},
      h('h1', {id: 'page-heading', tabindex: '-1'}, 'Sign in'),
      summary,
      h('div', {class: 'field'}, h('label', {for: 'token', class: 'field-label'}, 'API token'), input,
          h('p', {id: 'token-help', class: 'help'},
              'A project token (from POST /v1/projects/{project}/tokens) or the server admin token ',
              '(in admin.token in the data folder). It is kept only in this browser tab.')),
      h('div', {class: 'dialog-actions'}, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) {
      showProblem(summary, {message: 'Enter a token.', fieldErrors: []});
      input.focus();
      return;
    }
    setToken(token);
    try {
      const session = await whileBusy(submit, 'Signing in…', () => api('GET', '/v1/session'));
      onSignedIn(session);
    } catch (error) {
      sessionStorage.clear();
      showProblem(summary, error);
      input.focus();
    }
  });
  clear(main).append(form);
  if (message) showProblem(summary, {message, fieldErrors: []});
  input.focus();
}

export function showProjectChooser(main, {projects, onChoose}) {
  const select = h('select', {id: 'project-choice', name: 'project'},
      projects.map((p) => h('option', {value: p.id}, p.name && p.name !== p.id ? `${p.name} (${p.id})` : p.id)));
  const submit = h('button', {type: 'submit', class: 'button primary'}, 'Open');
  const body = projects.length === 0 ?
    [h('p', {}, 'There are no projects yet. Create one with POST /v1/projects, then reload this page.')] :
    [h('div', {class: 'field'}, h('label', {for: 'project-choice', class: 'field-label'}, 'Project'), select),
      h('div', {class: 'dialog-actions'}, submit)];
  const form = h('form', {class: 'card sign-in', 'aria-labelledby': 'page-heading'},
      h('h1', {id: 'page-heading', tabindex: '-1'}, 'Choose a project'),
      h('p', {class: 'muted'}, 'You are signed in as the server admin, who can manage every project.'), body);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    onChoose(select.value);
  });
  clear(main).append(form);
  (projects.length ? select : form.querySelector('h1')).focus();
}
