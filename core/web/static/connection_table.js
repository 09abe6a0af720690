// The connections table. Each row: provider icon and name, connection name, status
// badge (Active, Inactive or Not verified; an Inactive or unverified row says why in the
// row itself, and the details show on hover and keyboard focus), Flows count (opens the
// flows using it), Connected on (viewer's local time), Last used (how long ago a flow used
// it through the host; the exact time on hover), and the actions, Probe now among them
// (its verdict is shown in the row).
import {h, hidden, uid} from './dom.js';
import {describeReason, formatDate, formatDateTime, plural, relativeTime, statusLabel} from './format.js';
import {providerIcon} from './provider_picker.js';

// renderTable(items, {providers, canChange, noteId, on: {probe, reconnect, rename, edit, remove, flows}})
// `on.probe(connection, row)` runs a probe and shows its verdict in `row` (probeVerdict).
export function renderTable(items, {providers, canChange, noteId, on}) {
  const providerOf = (id) => providers.find((p) => p.id === id) || {id, name: id};
  const head = h('thead', {}, h('tr', {},
      ['Provider', 'Name', 'Status', 'Flows', 'Connected on', 'Last used'].map((label) => h('th', {scope: 'col'}, label)),
      h('th', {scope: 'col'}, h('span', {}, 'Actions'))));
  const rows = items.map((connection) => {
    const provider = providerOf(connection.provider);
    const action = (label, handler, key, extra = {}) => h('button', {
      type: 'button', class: `button small ${extra.class || ''}`.trim(), disabled: !canChange,
      'aria-describedby': canChange ? null : noteId,
      dataset: {focusKey: `${key}:${connection.id}`, action: key},
      onclick: () => handler(connection),
    }, label, hidden(` ${connection.name}`));
    const verdict = h('p', {class: 'row-verdict', role: 'status', 'aria-live': 'polite', hidden: true});
    const row = h('tr', {dataset: {id: connection.id, name: connection.name}},
        h('td', {'data-label': 'Provider'}, h('span', {class: 'provider-cell'}, providerIcon(provider), provider.name)),
        h('th', {scope: 'row', 'data-label': 'Name', class: 'name-cell'}, connection.name),
        h('td', {'data-label': 'Status'}, statusCell(connection), verdict),
        h('td', {'data-label': 'Flows'}, flowsCell(connection, on.flows)),
        h('td', {'data-label': 'Connected on'}, connection.connected_at ?
          h('time', {datetime: connection.connected_at}, formatDateTime(connection.connected_at)) :
          h('span', {class: 'muted'}, '—', hidden('never'))),
        h('td', {'data-label': 'Last used'}, lastUsedCell(connection)),
        h('td', {'data-label': 'Actions'}, h('div', {class: 'row-actions'},
            action('Probe now', (c) => on.probe(c, row), 'probe'),
            action('Reconnect', on.reconnect, 'reconnect'),
            action('Rename', on.rename, 'rename'),
            action('Edit', on.edit, 'edit'),
            action('Delete', on.remove, 'delete', {class: 'danger-outline'}))));
    return row;
  });
  return h('table', {class: 'connections'},
      h('caption', {class: 'visually-hidden'}, 'Connections'), head, h('tbody', {}, rows));
}

function lastUsedCell(connection) {
  if (!connection.last_used_at) return h('span', {class: 'muted'}, 'Never', hidden(' used'));
  const uses = Number(connection.use_count) || 0;
  return h('time', {datetime: connection.last_used_at,
    title: `${formatDateTime(connection.last_used_at)} · ${plural(uses, 'use', 'uses')}`},
  relativeTime(connection.last_used_at));
}

function flowsCell(connection, openFlows) {
  const count = Number(connection.flows) || 0;
  if (count === 0) return h('span', {class: 'muted'}, '0', hidden(' flows'));
  return h('button', {type: 'button', class: 'link-button', dataset: {focusKey: `flows:${connection.id}`},
    onclick: () => openFlows(connection)}, plural(count, 'flow', 'flows'), hidden(` using ${connection.name}`));
}

// Shows a probe's verdict ({outcome, message, checked_at}) in the row it was asked for,
// or why it could not run (an ApiError).
export function probeVerdict(row, {probe = null, error = null}) {
  const verdict = row.querySelector('.row-verdict');
  if (!verdict) return;
  let kind = 'transient';
  let text;
  if (error) {
    text = `Probe failed: ${error.message}`;
  } else {
    kind = {valid: 'valid', invalid_credentials: 'refused', missing_permission: 'refused'}[probe.outcome] || 'transient';
    const said = probe.message || describeReason(probe.reason) || probe.outcome;
    text = {valid: 'Probe: credentials work.', refused: `Probe: refused. ${said}`,
      transient: `Probe: the provider could not tell. ${said}`}[kind];
  }
  verdict.className = `row-verdict verdict-${kind}`;
  verdict.textContent = text;
  verdict.hidden = false;
}

// What the status badge says: Active (a probe found it working; "not checked yet" when
// none has run), Inactive and Not verified with their reason shown in the row.
function statusWords(connection) {
  if (connection.status === 'active') {
    return connection.checked_at ?
      {kind: 'active', first: 'Connected and working.'} :
      {kind: 'active', first: 'Not checked with the provider yet.', inRow: 'Not checked yet'};
  }
  if (connection.status === 'unverified') {
    const reason = describeReason(connection.status_reason) || 'Not checked with the provider yet.';
    return {kind: 'unverified', first: `Not verified: ${reason}`, inRow: reason};
  }
  const reason = describeReason(connection.status_reason) || 'This connection is not working.';
  return {kind: 'inactive', first: reason, inRow: reason};
}

// The badge is focusable so keyboard users reach the same explanation a mouse hover shows.
function statusCell(connection) {
  const words = statusWords(connection);
  const lines = [words.first];
  // status_reason usually is the last probe's message; say it once.
  const probe = connection.last_probe;
  if (probe && probe.message && probe.message !== connection.status_reason) {
    lines.push(`Last check: ${probe.message}`);
  }
  if (connection.checked_at) lines.push(`Last checked ${formatDateTime(connection.checked_at)}.`);
  if (words.kind === 'inactive') lines.push('Reconnect it with new credentials.');
  if (words.kind === 'unverified') lines.push('It is probed again soon; Probe now checks it at once.');
  const warn = connection.expiry_warning === true && connection.expires_at;
  if (connection.expires_at) {
    lines.push(`Credentials expire ${formatDate(connection.expires_at)} (${relativeTime(connection.expires_at)}).`);
  }
  const tipId = uid('status-tip');
  const badge = h('span', {class: `badge badge-${words.kind}`, tabindex: '0',
    'aria-describedby': tipId}, statusLabel(connection.status));
  const expiry = warn ? h('span', {class: 'badge badge-warning'}, h('span', {'aria-hidden': 'true'}, '⚠ '),
      `Expires ${relativeTime(connection.expires_at)}`) : null;
  const reason = words.inRow ? h('span', {class: `status-reason reason-${words.kind}`}, words.inRow) : null;
  return h('span', {class: 'status'}, badge, expiry, reason,
      h('span', {id: tipId, role: 'tooltip', class: 'tooltip'}, lines.map((line) => h('span', {class: 'tooltip-line'}, line))));
}
