// The flows (and deployments) that use a connection, each a link to it, and for an admin
// how often and how lately each one's runtime used it; opened from the Flows count in the
// table.
import {api, projectPath} from './api.js';
import {h} from './dom.js';
import {formatDateTime, plural, relativeTime} from './format.js';
import {dialogActions, openModal} from './modal.js';
import {componentHref} from './url_state.js';

// `canSeeUsage`: the caller is an admin of the project (only admins may read usage).
export function openUsageDialog({project, connection, canSeeUsage}) {
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
    // Only admins may see usage; for a member the list stands alone. An admin whose usage
    // cannot be read still gets the list, and is told the counts are missing.
    canSeeUsage ?
      api('GET', projectPath(project, `/connections/${encodeURIComponent(connection.id)}/usage`))
          .catch((error) => ({failed: error.message})) :
      null,
  ]).then(([flows, deployments, usage]) => {
    const usageFailed = usage && usage.failed !== undefined;
    if (usageFailed) usage = null;
    const usedBy = new Map(((usage && usage.by) || []).map((entry) => [entry.user, entry]));
    const rows = [
      ...flows.items.map((item) => ({kind: 'flow', ...item})),
      ...deployments.items.map((item) => ({kind: 'deployment', ...item})),
    ];
    body.removeAttribute('aria-busy');
    if (rows.length === 0) {
      body.replaceChildren(h('p', {}, 'No flow or deployment uses this connection.'));
      return;
    }
    const list = h('ul', {class: 'reference-list'}, rows.map((row) => h('li', {},
        h('a', {href: componentHref(project, row.kind, row.id), 'data-nav': ''}, row.name || row.id),
        h('span', {class: 'muted'}, row.kind === 'deployment' ? ' (deployment)' : ' (flow)'),
        usage ? usageNote(usedBy.get(`${row.kind}/${row.id}`)) : null)));
    if (!usageFailed) return body.replaceChildren(list);
    body.replaceChildren(list, h('p', {class: 'form-alert', role: 'alert'}, 'Cannot show how often each one used it.'));
  }).catch((error) => {
    body.removeAttribute('aria-busy');
    body.replaceChildren(h('p', {class: 'form-alert', role: 'alert'}, `Cannot list the flows: ${error.message}`));
  });
  return modal;
}

function usageNote(entry) {
  if (!entry || !entry.last_used_at) return h('span', {class: 'muted usage-note'}, ' · not used yet');
  return h('span', {class: 'muted usage-note'}, ` · ${plural(entry.count, 'use', 'uses')}, last `,
      h('time', {datetime: entry.last_used_at, title: formatDateTime(entry.last_used_at)}, relativeTime(entry.last_used_at)));
}
