// One flow or deployment, reached from the Flows count or from a refused delete: its
// name and id, when it changed, and the connections it uses (each back to the list).
import {api, projectPath} from './api.js';
import {clear, h} from './dom.js';
import {formatDateTime} from './format.js';
import {hrefFor} from './url_state.js';

export async function showComponent(main, {project, kind, id}) {
  const label = kind === 'deployment' ? 'Deployment' : 'Flow';
  const back = h('a', {href: hrefFor({project}), 'data-nav': '', class: 'back-link'}, '← All connections');
  const body = h('div', {'aria-busy': 'true'}, h('p', {class: 'muted'}, 'Loading…'));
  const heading = h('h1', {id: 'page-heading', tabindex: '-1'}, `${label} ${id}`);
  clear(main).append(h('section', {class: 'page'}, back, heading, body));
  heading.focus();
  const collection = kind === 'deployment' ? 'deployments' : 'flows';
  try {
    const component = await api('GET', projectPath(project, `/${collection}/${encodeURIComponent(id)}`));
    heading.textContent = `${label} “${component.name || component.id}”`;
    const uses = await Promise.all((component.connections || []).map((cid) =>
      api('GET', projectPath(project, `/connections/${encodeURIComponent(cid)}`)).catch(() => ({id: cid, name: cid}))));
    body.removeAttribute('aria-busy');
    body.replaceChildren(
        h('dl', {class: 'facts'},
            h('dt', {}, 'Id'), h('dd', {}, h('code', {}, component.id)),
            h('dt', {}, 'Created'), h('dd', {}, formatDateTime(component.created_at)),
            h('dt', {}, 'Updated'), h('dd', {}, formatDateTime(component.updated_at))),
        h('h2', {}, 'Connections it uses'),
        uses.length ? h('ul', {class: 'reference-list'}, uses.map((c) => h('li', {},
            h('a', {href: hrefFor({project, q: c.name}), 'data-nav': ''}, c.name)))) :
          h('p', {class: 'muted'}, 'None.'));
  } catch (error) {
    body.removeAttribute('aria-busy');
    body.replaceChildren(h('p', {class: 'form-alert', role: 'alert'}, `Cannot show this ${label.toLowerCase()}: ${error.message}`));
  }
}
