// The connections table. Each row: provider icon and name, connection name, status
// badge (reason and expiry on hover and keyboard focus), Flows count (opens the flows
// using it), Connected on (viewer's local time), and the actions.
import {h, hidden, uid} from './dom.js';
import {describeReason, formatDate, formatDateTime, plural, relativeTime} from './format.js';
import {providerIcon} from './provider_picker.js';

// renderTable(items, {providers, canChange, noteId, on: {reconnect, rename, edit, remove, flows}})
export function renderTable(items, {providers, canChange, noteId, on}) {
  const providerOf = (id) => providers.find((p) => p.id === id) || {id, name: id};
  const head = h('thead', {}, h('tr', {},
      ['Provider', 'Name', 'Status', 'Flows', 'Connected on'].map((label) => h('th', {scope: 'col'}, label)),
      h('th', {scope: 'col'}, h('span', {}, 'Actions'))));
  const rows = items.map((connection) => {
    const provider = providerOf(connection.provider);
    const action = (label, handler, key, extra = {}) => h('button', {
      type: 'button', class: `button small ${extra.class || ''}`.trim(), disabled: !canChange,
      'aria-describedby': canChange ? null : noteId,
      dataset: {focusKey: `${key}:${connection.id}`, action: key},
      onclick: () => handler(connection),
    }, label, hidden(` ${connection.name}`));
    return h('tr', {dataset: {id: connection.id, name: connection.name}},
        h('td', {'data-label': 'Provider'}, h('span', {class: 'provider-cell'}, providerIcon(provider), provider.name)),
        h('th', {scope: 'row', 'data-label': 'Name', class: 'name-cell'}, connection.name),
        h('td', {'data-label': 'Status'}, statusCell(connection)),
        h('td', {'data-label': 'Flows'}, flowsCell(connection, on.flows)),
        h('td', {'data-label': 'Connected on'}, connection.connected_at ?
          h('time', {datetime: connection.connected_at}, formatDateTime(connection.connected_at)) :
          h('span', {class: 'muted'}, '—', hidden('never'))),
        h('td', {'data-label': 'Actions'}, h('div', {class: 'row-actions'},
            action('Reconnect', on.reconnect, 'reconnect'),
            action('Rename', on.rename, 'rename'),
            action('Edit', on.edit, 'edit'),
            action('Delete', on.remove, 'delete', {class: 'danger-outline'}))));
  });
  return h('table', {class: 'connections'},
      h('caption', {class: 'visually-hidden'}, 'Connections'), head, h('tbody', {}, rows));
}

function flowsCell(connection, openFlows) {
  const count = Number(connection.flows) || 0;
  if (count === 0) return h('span', {class: 'muted'}, '0', hidden(' flows'));
  return h('button', {type: 'button', class: 'link-button', dataset: {focusKey: `flows:${connection.id}`},
    onclick: () => openFlows(connection)}, plural(count, 'flow', 'flows'), hidden(` using ${connection.name}`));
}

// The badge is focusable so keyboard users reach the same explanation a mouse hover shows.
function statusCell(connection) {
  const active = connection.status === 'active';
  const lines = [];
  if (active) {
    lines.push('Connected and working.');
  } else {
    lines.push(describeReason(connection.status_reason) || 'This connection is not working.');
  }
  // status_reason usually is the last probe's message; say it once.
  const probe = connection.last_probe;
  if (probe && probe.message && probe.message !== connection.status_reason) {
    lines.push(`Last check: ${probe.message}`);
  }
  if (connection.checked_at) lines.push(`Last checked ${formatDateTime(connection.checked_at)}.`);
  if (!active) lines.push('Reconnect it with new credentials.');
  const warn = connection.expiry_warning === true && connection.expires_at;
  if (connection.expires_at) {
    lines.push(`Credentials expire ${formatDate(connection.expires_at)} (${relativeTime(connection.expires_at)}).`);
  }
  const tipId = uid('status-tip');
  const badge = h('span', {class: `badge ${active ? 'badge-active' : 'badge-inactive'}`, tabindex: '0',
    'aria-describedby': tipId}, active ? 'Active' : 'Inactive');
  const expiry = warn ? h('span', {class: 'badge badge-warning'}, h('span', {'aria-hidden': 'true'}, '⚠ '),
      `Expires ${relativeTime(connection.expires_at)}`) : null;
  return h('span', {class: 'status'}, badge, expiry,
      h('span', {id: tipId, role: 'tooltip', class: 'tooltip'}, lines.map((line) => h('span', {class: 'tooltip-line'}, line))));
}
