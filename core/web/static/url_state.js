// What the page shows lives in the query string, so a view can be bookmarked, shared
// and restored with Back: ?project=&status=&q=&cursor= for the list, &flow= or
// &deployment= for one component. The cursors of earlier pages ride in history.state.

const KEYS = ['project', 'status', 'q', 'cursor', 'limit', 'flow', 'deployment'];

export function readState() {
  const params = new URLSearchParams(location.search);
  const state = {};
  for (const key of KEYS) state[key] = params.get(key) || '';
  state.previous = (history.state && Array.isArray(history.state.previous)) ? history.state.previous : null;
  return state;
}

export function hrefFor(state) {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    if (state[key]) params.set(key, state[key]);
  }
  const query = params.toString();
  return query ? `?${query}` : location.pathname;
}

// Changes the URL; `replace` for every keystroke of a search, push for deliberate moves.
export function writeState(state, {replace = false} = {}) {
  const href = hrefFor(state);
  const data = {previous: state.previous || []};
  if (replace) history.replaceState(data, '', href);
  else history.pushState(data, '', href);
}

// The page's own view of a flow or deployment (kind "flow" or "deployment").
export function componentHref(project, kind, id) {
  return hrefFor({project, [kind === 'deployment' ? 'deployment' : 'flow']: id});
}
