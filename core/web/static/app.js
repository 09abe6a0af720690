// Entry point: sign-in, the session bar, and which view the URL asks for.
import {api, clearToken, getToken} from './api.js';
import {clear, h} from './dom.js';
import {showComponent} from './component_view.js';
import {showConnectionsPage} from './connections_page.js';
import {showProjectChooser, showSignIn} from './sign_in.js';
import {readState, writeState} from './url_state.js';

const main = document.getElementById('main');
const bar = document.getElementById('session-bar');
let session = null;
let providers = [];
let projects = null;  // the server admin's project list, loaded when first needed
let page = null;  // the connections page on screen, if any, with its project

async function boot(message = '') {
  session = null;
  page = null;
  clear(bar);
  if (!getToken()) {
    showSignIn(main, {message, onSignedIn: () => boot()});
    return;
  }
  try {
    session = await api('GET', '/v1/session');
    providers = (await api('GET', '/v1/providers')).items;
  } catch (error) {
    if (error.status === 401) {
      clearToken();
      showSignIn(main, {message: error.message, onSignedIn: () => boot()});
    } else {
      showFatal(error);
    }
    return;
  }
  render();
}

function showFatal(error) {
  clear(main).append(h('div', {class: 'card'}, h('h1', {id: 'page-heading', tabindex: '-1'}, 'Something went wrong'),
      h('p', {class: 'form-alert', role: 'alert'}, error.message),
      h('button', {type: 'button', class: 'button', onclick: () => boot()}, 'Try again')));
}

async function render() {
  const state = readState();
  if (session.kind === 'project' && state.project !== session.project) {
    writeState({project: session.project}, {replace: true});
    return render();
  }
  const canChange = session.kind === 'server_admin' || session.role === 'admin';
  if (session.kind === 'server_admin' && projects === null) {
    try {
      projects = (await api('GET', '/v1/projects')).items;
    } catch (error) {
      showFatal(error);
      return;
    }
  }
  drawBar(state.project, canChange);
  if (!state.project) {
    page = null;
    showProjectChooser(main, {projects: projects || [], onChoose: (id) => navigate({project: id})});
    return;
  }
  if (state.flow || state.deployment) {
    page = null;
    showComponent(main, {project: state.project, kind: state.flow ? 'flow' : 'deployment', id: state.flow || state.deployment});
    return;
  }
  if (page && page.project === state.project) {
    page.view.reload();
    return;
  }
  const known = (projects || []).find((p) => p.id === state.project);
  page = {project: state.project, view: showConnectionsPage(main, {
    project: state.project, projectName: known ? known.name : state.project, providers, canChange})};
}

function drawBar(project, canChange) {
  let who;
  if (session.kind === 'server_admin') who = 'Server admin';
  else who = `${session.role === 'admin' ? 'Project admin' : 'Member'} of ${session.project}`;
  const parts = [h('span', {class: 'who'}, h('span', {class: 'visually-hidden'}, 'Signed in as '), who,
      canChange ? '' : h('span', {class: 'badge badge-readonly'}, 'read-only'))];
  if (session.kind === 'server_admin' && projects && projects.length) {
    const select = h('select', {id: 'bar-project', 'aria-label': 'Project'},
        h('option', {value: ''}, 'Choose a project…'),
        projects.map((p) => h('option', {value: p.id, selected: p.id === project}, p.name || p.id)));
    select.addEventListener('change', () => navigate({project: select.value}));
    parts.push(select);
  }
  parts.push(h('button', {type: 'button', class: 'button small', onclick: signOut}, 'Sign out'));
  clear(bar).append(...parts);
}

function signOut() {
  clearToken();
  projects = null;
  history.pushState(null, '', location.pathname);
  boot('You have signed out.');
}

function navigate(state) {
  writeState(state);
  render();
}

// Links inside the page (data-nav) change the view without reloading it.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  history.pushState({previous: []}, '', link.getAttribute('href'));
  page = null;
  render();
});
window.addEventListener('popstate', () => {
  if (session) render();
});
window.addEventListener('switchboard:unauthorized', () => {
  if (!session) return;  // signing in: the sign-in form shows the refusal itself
  clearToken();
  boot('Your token is no longer accepted. Sign in again.');
});

boot();
