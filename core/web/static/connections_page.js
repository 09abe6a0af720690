// The Connections page: heading and Add button, the member note, status filter and name
// search (both in the URL), the table, and cursor pagination (Next follows the server's
// next_cursor, Previous returns to the cursor before it), so any page of a 100,000-row
// project costs one indexed seek.
import {api, projectPath} from './api.js';
import {announce, clear, h, hidden} from './dom.js';
import {openConnectionDialog} from './connection_dialog.js';
import {probeVerdict, renderTable} from './connection_table.js';
import {openDeleteDialog} from './delete_dialog.js';
import {plural} from './format.js';
import {openReconnectDialog} from './reconnect_dialog.js';
import {openRenameDialog} from './rename_dialog.js';
import {openUsageDialog} from './usage_dialog.js';
import {readState, writeState} from './url_state.js';

const DEFAULT_PAGE_SIZE = 25;

export function showConnectionsPage(main, {project, projectName, providers, canChange}) {
  let state = readState();
  if (!state.previous) state.previous = state.cursor ? [''] : [];
  const noteId = 'member-note';

  const addButton = h('button', {type: 'button', class: 'button primary', disabled: !canChange,
    'aria-describedby': canChange ? null : noteId, dataset: {focusKey: 'add'},
    onclick: () => openConnectionDialog({project, providers, onSaved: () => load()})}, '+ Add new connection');
  const note = canChange ? null : h('p', {id: noteId, class: 'note', role: 'note'},
      'You are signed in as a member of this project: you can see its connections, but only a project admin ',
      'can add, reconnect, rename, edit or delete them.');

  const statusSelect = h('select', {id: 'filter-status', name: 'status'},
      h('option', {value: ''}, 'All'), h('option', {value: 'active'}, 'Active'), h('option', {value: 'inactive'}, 'Inactive'),
      h('option', {value: 'unverified'}, 'Not verified'));
  statusSelect.value = state.status;
  const search = h('input', {id: 'filter-q', name: 'q', type: 'search', autocomplete: 'off',
    placeholder: 'Connection name', 'aria-describedby': 'result-count'});
  search.value = state.q;
  const filters = h('form', {class: 'filters', role: 'search', 'aria-label': 'Filter connections',
    onsubmit: (event) => event.preventDefault()},
  h('div', {class: 'filter'}, h('label', {for: 'filter-status'}, 'Status'), statusSelect),
  h('div', {class: 'filter filter-grow'}, h('label', {for: 'filter-q'}, 'Search by name'), search));

  const listError = h('div', {class: 'form-alert', role: 'alert', hidden: true});
  const count = h('p', {id: 'result-count', class: 'muted', 'aria-live': 'polite'});
  const tableHost = h('div', {class: 'table-wrap'});
  const previous = h('button', {type: 'button', class: 'button', onclick: () => go(-1)}, 'Previous', hidden(' page'));
  const next = h('button', {type: 'button', class: 'button', onclick: () => go(+1)}, 'Next', hidden(' page'));
  const pageLabel = h('span', {class: 'page-label'});
  const pager = h('nav', {class: 'pager', 'aria-label': 'Pages of connections'}, previous, pageLabel, next);

  clear(main).append(h('section', {class: 'page', 'aria-labelledby': 'page-heading'},
      h('div', {class: 'page-head'},
          h('div', {}, h('h1', {id: 'page-heading', tabindex: '-1'}, 'Connections'),
              h('p', {class: 'muted project-line'}, 'Project ', h('strong', {}, projectName || project))),
          addButton),
      note, filters, listError, count, tableHost, pager));

  let nextCursor = null;
  let loadNumber = 0;

  async function load() {
    const mine = ++loadNumber;
    const params = new URLSearchParams({limit: String(state.limit || DEFAULT_PAGE_SIZE)});
    if (state.status) params.set('status', state.status);
    if (state.q) params.set('q', state.q);
    if (state.cursor) params.set('cursor', state.cursor);
    tableHost.setAttribute('aria-busy', 'true');
    try {
      const page = await api('GET', projectPath(project, `/connections?${params}`));
      if (mine !== loadNumber) return;
      listError.hidden = true;
      nextCursor = page.next_cursor || null;
      draw(page.items);
    } catch (error) {
      if (mine !== loadNumber) return;
      listError.replaceChildren(h('p', {class: 'form-alert-title'}, `Cannot list the connections: ${error.message}`));
      if (error.code === 'bad_cursor') {
        listError.append(h('button', {type: 'button', class: 'link-button', onclick: () => restart()}, 'Go to the first page'));
      }
      listError.hidden = false;
    } finally {
      if (mine === loadNumber) tableHost.removeAttribute('aria-busy');
    }
  }

  function draw(items) {
    const filtered = Boolean(state.status || state.q);
    const pageNumber = state.previous.length + 1;
    count.textContent = items.length === 0 ? '' :
      `${plural(items.length, 'connection', 'connections')} on page ${pageNumber}${filtered ? ' matching the filter' : ''}.`;
    if (items.length === 0) {
      tableHost.replaceChildren(h('div', {class: 'empty'}, filtered ?
        h('p', {}, 'No connection matches this filter.') :
        h('p', {}, 'No connections yet.', canChange ? ' Add one to let flows use a provider.' : '')));
    } else {
      tableHost.replaceChildren(renderTable(items, {providers, canChange, noteId, on: {
        probe: (c, row) => probeNow(c, row),
        reconnect: (c) => openReconnectDialog({project, connection: c, providerName: nameOf(c.provider), onSaved: () => load()}),
        rename: (c) => openRenameDialog({project, connection: c, onSaved: () => load()}),
        edit: (c) => openConnectionDialog({project, providers, connection: c, onSaved: () => load()}),
        remove: (c) => openDeleteDialog({project, connection: c, onDeleted: () => load()}),
        flows: (c) => openUsageDialog({project, connection: c, canSeeUsage: canChange}),
      }}));
    }
    previous.disabled = state.previous.length === 0;
    next.disabled = !nextCursor;
    pageLabel.textContent = `Page ${pageNumber}`;
    pager.hidden = previous.disabled && next.disabled;
  }

  // Probe now: the verdict stays in the row while the list refreshes under it.
  async function probeNow(connection, row) {
    const button = row.querySelector('button[data-action="probe"]');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    let shown;
    try {
      const answer = await api('POST', projectPath(project, `/connections/${encodeURIComponent(connection.id)}/probe`));
      shown = {probe: answer.probe};
    } catch (error) {
      shown = {error};
    }
    await load();
    const fresh = tableHost.querySelector(`tr[data-id="${CSS.escape(connection.id)}"]`) || row;
    probeVerdict(fresh, shown);
    const again = fresh.querySelector('button[data-action="probe"]');
    if (again) {
      again.disabled = !canChange;
      again.removeAttribute('aria-busy');
      again.focus();
    }
    announce(fresh.querySelector('.row-verdict').textContent);
  }

  const nameOf = (id) => (providers.find((p) => p.id === id) || {name: id}).name;

  function go(step) {
    if (step > 0 && nextCursor) {
      state.previous = [...state.previous, state.cursor];
      state.cursor = nextCursor;
    } else if (step < 0 && state.previous.length) {
      state.cursor = state.previous[state.previous.length - 1];
      state.previous = state.previous.slice(0, -1);
    }
    writeState(state);
    load().then(() => {
      document.getElementById('page-heading').focus();
      announce(pageLabel.textContent);
    });
  }

  function restart({replace = false} = {}) {
    state.cursor = '';
    state.previous = [];
    writeState(state, {replace});
    return load();
  }

  statusSelect.addEventListener('change', () => {
    state.status = statusSelect.value;
    restart();
  });
  let typing = null;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.q = search.value.trim();
      restart({replace: true});
    }, 250);
  });

  load();
  // Lets the app refresh after Back/Forward without rebuilding the page.
  return {
    reload() {
      state = readState();
      if (!state.previous) state.previous = state.cursor ? [''] : [];
      statusSelect.value = state.status;
      search.value = state.q;
      return load();
    },
  };
}
