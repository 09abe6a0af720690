// The flows (and deployments) that use a connection, each a link to it; opened from
// the Flows count in the table.
import {api, projectPath} from './api.js';
import {h} from './dom.js';
import {dialogActions, openModal} from './modal.js';
import {componentHref} from './url_state.js';

export function openUsageDialog({project, connection}) {
  const body = h('div', {'aria-live': 'polite', 'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Loading…'));
  const close = h('button', {type: 'button', class: 'button', onclick: () => modal.close()}, 'Close');
  const content = h('div', {class: 'dialog-form'}, body, dialogActions(close));
  content.addEventListener('click', (event) => {
    if (event.target.closest('a[data-nav]')) modal.close();
  });
  const modal = openModal({title: `Flows using ${connection.name}`, content});
  const query = `?connection=${encodeURIComponent(connection.id)}`;
  Promise.all([
    api('GET', projectPath(project, `/flows${query}`)),
    api('GET', projectPath(project, `/deployments${query}`)),
  ]).then(([flows, deployments]) => {
    const rows = [
      ...flows.items.map((item) => ({kind: 'flow', ...item})),
      ...deployments.items.map((item) => ({kind: 'deployment', ...item})),
    ];
    body.removeAttribute('aria-busy');
    if (rows.length === 0) {
      body.replaceChildren(h('p', {}, 'No flow or deployment uses this connection.'));
      return;
    }
    body.replaceChildren(h('ul', {class: 'reference-list'}, rows.map((row) => h('li', {},
        h('a', {href: componentHref(project, row.kind, row.id), 'data-nav': ''}, row.name || row.id),
        h('span', {class: 'muted'}, row.kind === 'deployment' ? ' (deployment)' : ' (flow)')))));
  }).catch((error) => {
    body.removeAttribute('aria-busy');
    body.replaceChildren(h('p', {class: 'form-alert', role: 'alert'}, `Cannot list the flows: ${error.message}`));
  });
  return modal;
}
