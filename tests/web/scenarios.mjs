// The end-to-end scenarios of issue 5, one function each. Each ends with the page in
// the state its screenshot should show.
import {fieldError, fieldInput, fillField, openAddDialog, pickProvider, rowOf, waitForList} from './page_helpers.mjs';

async function createViaApi(h, provider, name) {
  const entry = h.configs[provider];
  const r = await h.world.api(h.project.admin, 'POST', `/v1/projects/${h.project.id}/connections`, h.apiBody(provider, entry, name));
  h.assertEqual(r.status, 201, `create ${name} through the API (${JSON.stringify(r.body)})`);
  return r.body;
}

async function signInToList(h, token, options) {
  const {page} = await h.browser(options);
  await h.signIn(page, h.world.base, token);
  await waitForList(page);
  return page;
}

// Scenarios that need probes against the fakes say so instead of passing vacuously.
function requireProbes(h, name) {
  if (!h.world.fakes || !h.world.probes) {
    throw new Error(`${name} needs the probe engine (--egress-allow) and the fake providers (build/bin/switchboard-fake-providers)`);
  }
}

// Polls the stored use counts (GET .../usage, admins) until `count` uses are there: the
// host writes them every --usage-flush-interval, so the page must not be loaded before.
async function waitForUsage(h, connectionId, count, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  let r;
  for (;;) {
    r = await h.world.api(h.project.admin, 'GET', `/v1/projects/${h.project.id}/connections/${connectionId}/usage`);
    h.assertEqual(r.status, 200, `usage of ${connectionId}`);
    if (r.body.use_count >= count) return r.body;
    if (Date.now() > deadline) throw new Error(`usage not flushed in ${timeoutMs} ms: ${JSON.stringify(r.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A just-used connection's "Last used" cell: a <time> of the stored last use, said as how
// long ago (seconds or minutes, not "Never"), with the exact time and the count on hover.
async function checkJustUsed(h, row, lastUsedAt, uses) {
  const cell = row.locator('td[data-label="Last used"]');
  const time = cell.locator('time');
  h.assertEqual(await time.count(), 1, 'Last used is a time');
  h.assertEqual(await time.getAttribute('datetime'), lastUsedAt, 'Last used is the stored last use');
  const said = (await time.innerText()).trim();
  h.assert(/^(now|\d+ (second|minute)s? ago)$/.test(said), `Last used says how long ago (${said})`);
  h.assert(!/never/i.test(await cell.innerText()), 'a used connection is not "Never used"');
  const title = await time.getAttribute('title');
  h.assert(title.endsWith(` · ${uses} uses`), `the hover names the count (${title})`);
}

async function checkNeverUsed(h, row) {
  const cell = row.locator('td[data-label="Last used"]');
  h.assertEqual((await cell.textContent()).trim(), 'Never used', 'an unused connection says Never used');
  h.assertEqual(await cell.locator('time').count(), 0, 'and has no time');
}

// Opens the Flows dialog from the row's Flows count; the dialog once it has loaded.
async function openFlowsDialog(page, row, name) {
  await row.getByRole('button', {name: /1 flow/}).click();
  const dialog = page.getByRole('dialog', {name: `Flows using ${name}`});
  await dialog.locator('.reference-list').waitFor();
  return dialog;
}

const activeId = (page) => page.evaluate(() => document.activeElement && (document.activeElement.dataset.focusKey || document.activeElement.id || document.activeElement.tagName));

// Extra host arguments per scenario (startWorld's hostArgs).
export const HOST_ARGS = {
  // Use counts written every 200 ms instead of every 10 s.
  usage_last_used: ['--usage-flush-interval', '200'],
};

export const SCENARIOS = {
  // The host serves the page with strict headers, and /v1/session says who a token is.
  async serving(h) {
    const {world, project} = h;
    let r = await fetch(`${world.base}/`);
    h.assertEqual(r.status, 200, 'GET /');
    h.assert(r.headers.get('content-type').startsWith('text/html'), 'index is text/html');
    const csp = r.headers.get('content-security-policy') || '';
    h.assert(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline') && csp.includes("default-src 'none'"),
        `strict CSP, got: ${csp}`);
    h.assertEqual(r.headers.get('x-content-type-options'), 'nosniff', 'nosniff');
    const html = await r.text();
    h.assert(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'no inline script in index.html');
    const etag = r.headers.get('etag');
    h.assert(etag, 'index has an ETag');
    r = await fetch(`${world.base}/`, {headers: {'If-None-Match': etag}});
    h.assertEqual(r.status, 304, 'revalidation with the ETag');
    // Every module the page imports is served as JavaScript.
    const seen = new Set();
    const queue = ['app.js'];
    while (queue.length) {
      const file = queue.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      r = await fetch(`${world.base}/static/${file}`);
      h.assertEqual(r.status, 200, `GET /static/${file}`);
      h.assert(r.headers.get('content-type').startsWith('text/javascript'), `${file} is JavaScript`);
      const text = await r.text();
      for (const m of text.matchAll(/from '\.\/([a-z_]+\.js)'/g)) queue.push(m[1]);
    }
    h.assert(seen.size >= 10, `the page is split into modules (${seen.size})`);
    r = await fetch(`${world.base}/static/styles.css`);
    h.assert(r.headers.get('content-type').startsWith('text/css'), 'styles are CSS');
    r = await fetch(`${world.base}/static/missing.js`);
    h.assertEqual(r.status, 404, 'unknown static file');
    let s = await world.api(world.adminToken, 'GET', '/v1/session');
    h.assertEqual(s.body, {kind: 'server_admin', project: null, role: null}, 'server admin session');
    s = await world.api(project.admin, 'GET', '/v1/session');
    h.assertEqual(s.body, {kind: 'project', project: 'alpha', role: 'admin'}, 'project admin session');
    s = await world.api(project.member, 'GET', '/v1/session');
    h.assertEqual(s.body, {kind: 'project', project: 'alpha', role: 'member'}, 'member session');
    s = await world.api('', 'GET', '/v1/session');
    h.assertEqual(s.status, 401, 'no token');
  },

  // A connection of each provider, created from its schema-rendered form.
  async create_each_provider(h) {
    const page = await signInToList(h, h.project.admin);
    await page.getByText('No connections yet.').waitFor();
    for (const [id, entry] of Object.entries(h.configs)) {
      const dialog = await openAddDialog(page);
      await dialog.getByLabel('Connection name').fill(entry.name);
      await dialog.getByRole('combobox', {name: /Provider/}).click();
      const icons = dialog.locator('[role="option"] img');
      h.assertEqual(await icons.count(), 4, 'four providers, each with an icon');
      h.assert(await icons.first().evaluate((img) => img.complete && img.naturalWidth > 0), 'icons load');
      await dialog.getByRole('option', {name: new RegExp(`^${entry.providerName}`)}).click();
      await dialog.locator('.schema-form').waitFor();
      h.assert(!(await dialog.locator('details[data-group="advanced"]').evaluate((d) => d.open)), 'advanced fields start folded');
      for (const [field, value] of Object.entries(entry.fields)) {
        const input = await fieldInput(dialog, field);
        const secret = field.includes('secret') || field.includes('token') || field === 'api_key';
        if (secret) h.assertEqual(await input.getAttribute('type'), 'password', `${id}.${field} is a password input`);
        await input.fill(value);
      }
      for (const [field, value] of Object.entries(entry.advanced)) {
        const input = await fieldInput(dialog, field);
        h.assert((await input.inputValue()).startsWith('https://'), `${id}.${field} starts with its default`);
        await input.fill(value);
      }
      await dialog.getByRole('button', {name: 'Add connection'}).click();
      await dialog.waitFor({state: 'detached'});
      const row = rowOf(page, entry.name);
      await row.waitFor();
      h.assert((await row.innerText()).includes(entry.providerName), `${entry.name} shows its provider`);
      await row.locator('.badge').first().waitFor();
    }
    const list = await h.world.api(h.project.admin, 'GET', `/v1/projects/${h.project.id}/connections`);
    h.assertEqual(list.body.items.map((c) => c.provider).sort(), ['google_calendar', 'openai', 'outlook', 'trello'], 'one of each provider');
    const trello = list.body.items.find((c) => c.provider === 'trello');
    h.assertEqual(trello.config.token, {set: true}, 'secrets stored, shown only as set');
    h.assertEqual(await page.locator('tbody tr').count(), 4, 'four rows');
  },

  // Server per-field errors land beside their fields, folded sections unfold.
  async field_errors(h) {
    const page = await signInToList(h, h.project.admin);
    const dialog = await openAddDialog(page);
    await pickProvider(dialog, 'OpenAI');
    await fillField(dialog, 'organization', 'nope');
    await dialog.getByRole('button', {name: 'Add connection'}).click();
    await fieldError(dialog, 'api_key').waitFor();
    h.assert(/required/i.test(await fieldError(dialog, 'api_key').innerText()), 'API key: required');
    h.assertEqual(await (await fieldInput(dialog, 'api_key')).getAttribute('aria-invalid'), 'true', 'API key marked invalid');
    h.assert(/format|org-/i.test(await fieldError(dialog, 'organization').innerText()), 'organization: pattern');
    h.assert(await dialog.locator('details[data-group="advanced"]').evaluate((d) => d.open), 'the folded section opened to show its error');
    h.assert(await fieldError(dialog, 'name').isVisible(), 'the empty name has its error');
    h.assert(await dialog.getByRole('alert').isVisible(), 'a summary alert');
    // The error is tied to the input for screen readers.
    const described = await (await fieldInput(dialog, 'api_key')).getAttribute('aria-describedby');
    const errorId = await fieldError(dialog, 'api_key').getAttribute('id');
    h.assert(described.split(' ').includes(errorId), 'aria-describedby names the error');
  },

  // Rename (with Go back and a refused duplicate) and Edit keeping a secret.
  async rename_and_edit(h) {
    const first = await createViaApi(h, 'openai', 'Marketing OpenAI');
    await createViaApi(h, 'trello', 'Roadmap board');
    const page = await signInToList(h, h.project.admin);
    const row = rowOf(page, 'Marketing OpenAI');
    await row.getByRole('button', {name: 'Rename Marketing OpenAI'}).click();
    let dialog = page.getByRole('dialog', {name: 'Rename Marketing OpenAI'});
    h.assert((await dialog.innerText()).includes('Current name: Marketing OpenAI'), 'shows the current name');
    h.assertEqual(await dialog.getByLabel('Name').inputValue(), 'Marketing OpenAI', 'field starts with the name');
    await dialog.getByRole('button', {name: 'Go back'}).click();
    await dialog.waitFor({state: 'detached'});
    h.assertEqual(await activeId(page), `rename:${first.id}`, 'focus back on Rename');
    await row.getByRole('button', {name: 'Rename Marketing OpenAI'}).click();
    await dialog.getByLabel('Name').fill('Roadmap board');
    await dialog.getByRole('button', {name: 'Save'}).click();
    await fieldError(dialog, 'name').waitFor();
    h.assert(/taken|exists|already/i.test(await fieldError(dialog, 'name').innerText()), 'duplicate name refused beside the field');
    await dialog.getByLabel('Name').fill('Growth OpenAI');
    await dialog.getByRole('button', {name: 'Save'}).click();
    await rowOf(page, 'Growth OpenAI').waitFor();
    h.assertEqual(await activeId(page), `rename:${first.id}`, 'focus on the renamed row');
    await rowOf(page, 'Growth OpenAI').getByRole('button', {name: 'Edit Growth OpenAI'}).click();
    dialog = page.getByRole('dialog', {name: 'Edit Growth OpenAI'});
    await dialog.locator('.schema-form').waitFor();
    const key = await fieldInput(dialog, 'api_key');
    h.assertEqual(await key.inputValue(), '', 'a secret is never pre-filled');
    h.assert((await key.getAttribute('placeholder')).includes('set — leave blank to keep'), 'says the secret is set');
    await fillField(dialog, 'project', 'proj_web123');
    await dialog.getByRole('button', {name: 'Save changes'}).click();
    await dialog.waitFor({state: 'detached'});
    const stored = await h.world.api(h.project.admin, 'GET', `/v1/projects/alpha/connections/${first.id}`);
    h.assertEqual(stored.body.config.project, 'proj_web123', 'edit stored');
    h.assertEqual(stored.body.config.api_key, {set: true}, 'secret kept');
    h.assertEqual(stored.body.name, 'Growth OpenAI', 'rename stored');
    await rowOf(page, 'Growth OpenAI').locator('.badge').first().focus();
  },

  // Edit: changing where secrets are sent (x-credential-destination) asks for the secret
  // again; the server refuses the change without it and takes it with it.
  async secret_destination(h) {
    const created = await createViaApi(h, 'openai', 'Moving OpenAI');
    const page = await signInToList(h, h.project.admin);
    await rowOf(page, 'Moving OpenAI').getByRole('button', {name: 'Edit Moving OpenAI'}).click();
    const dialog = page.getByRole('dialog', {name: 'Edit Moving OpenAI'});
    await dialog.locator('.schema-form').waitFor();
    const note = dialog.locator('[data-field="api_key"] .secret-reenter');
    h.assert(await note.isHidden(), 'no note before the destination changes');
    await fillField(dialog, 'base_url', 'https://llm.example.com/v1');
    await note.waitFor();
    h.assert(/enter this secret again/i.test(await note.innerText()), 'the secret says it must be entered again');
    h.assertEqual(await (await fieldInput(dialog, 'api_key')).getAttribute('required'), '', 'and is required');
    // Submitted anyway (the form does not block it): the server names the secret.
    await dialog.getByRole('button', {name: 'Save changes'}).click();
    await fieldError(dialog, 'api_key').waitFor();
    let stored = await h.world.api(h.project.admin, 'GET', `/v1/projects/alpha/connections/${created.id}`);
    h.assertEqual(stored.body.config.base_url, created.config.base_url, 'nothing changed');
    await fillField(dialog, 'api_key', 'sk-moved-key');
    await dialog.getByRole('button', {name: 'Save changes'}).click();
    await dialog.waitFor({state: 'detached'});
    stored = await h.world.api(h.project.admin, 'GET', `/v1/projects/alpha/connections/${created.id}`);
    h.assertEqual(stored.body.config.base_url, 'https://llm.example.com/v1', 'moved with the secret entered again');
  },

  // Reconnect: bad credentials refused with the reason, good ones make the row Active.
  async reconnect(h) {
    if (!h.world.fakes || !h.world.probes) {
      throw new Error('reconnect needs the probe engine (--egress-allow) and the fake providers (build/bin/switchboard-fake-providers)');
    }
    const entry = h.configs.openai;
    const shot = async (name) => page.screenshot({path: (await import('./harness.mjs')).screenshotPath(name), fullPage: true});
    // Start Inactive: a revoked key, probed.
    const created = await createViaApi(h, 'openai', entry.name);
    await h.world.api(h.project.admin, 'PATCH', `/v1/projects/alpha/connections/${created.id}`, {config: {api_key: entry.badKey}});
    const probed = await h.world.api(h.project.admin, 'POST', `/v1/projects/alpha/connections/${created.id}/probe`);
    h.assertEqual(probed.body.connection.status, 'inactive', 'starts inactive');
    const page = await signInToList(h, h.project.admin);
    const badge = () => rowOf(page, entry.name).locator('.badge').first();
    h.assertEqual((await badge().innerText()).trim(), 'Inactive', 'row Inactive');
    const open = async () => {
      await rowOf(page, entry.name).getByRole('button', {name: `Reconnect ${entry.name}`}).click();
      const dialog = page.getByRole('dialog', {name: `Reconnect ${entry.name}`});
      await dialog.locator('.schema-form').waitFor();
      return dialog;
    };
    let dialog = await open();
    h.assert((await dialog.innerText()).includes(entry.name), 'the dialog names the connection');
    await fillField(dialog, 'api_key', entry.badKey);
    await dialog.getByRole('button', {name: 'Reconnect'}).click();
    await dialog.locator('.probe-refused').waitFor();
    h.assert(/refused/i.test(await dialog.locator('.probe-result').innerText()), 'refusal shown');
    h.assert(await fieldError(dialog, 'api_key').isVisible(), 'the reason is beside the API key');
    await shot('reconnect_refused');
    await dialog.getByRole('button', {name: 'Go back'}).click();
    h.assertEqual((await badge().innerText()).trim(), 'Inactive', 'still Inactive after a refusal');
    dialog = await open();
    await fillField(dialog, 'api_key', entry.fields.api_key);
    await dialog.getByRole('button', {name: 'Reconnect'}).click();
    await dialog.locator('.probe-valid').waitFor();
    h.assert(/Active/.test(await dialog.locator('.probe-result').innerText()), 'says Active');
    await shot('reconnect_accepted');
    await dialog.getByRole('button', {name: 'Done'}).click();
    h.assertEqual((await badge().innerText()).trim(), 'Active', 'row Active');
    const stored = await h.world.api(h.project.admin, 'GET', `/v1/projects/alpha/connections/${created.id}`);
    h.assertEqual(stored.body.status, 'active', 'stored Active');
  },

  // Status filter and name search live in the URL and survive a reload; pages follow cursors.
  async filter_search(h) {
    for (const [provider, name] of [['openai', 'Marketing OpenAI'], ['trello', 'Marketing board'],
      ['google_calendar', 'Sales calendar'], ['outlook', 'Support mailbox'], ['openai', 'Ops OpenAI']]) {
      await createViaApi(h, provider, name);
    }
    // With the probe engine and the fakes, a revoked key makes one connection Inactive.
    let inactive = [];
    if (h.world.fakes && h.world.probes) {
      const ops = (await h.world.api(h.project.admin, 'GET', '/v1/projects/alpha/connections?q=Ops')).body.items[0];
      let r = await h.world.api(h.project.admin, 'PATCH', `/v1/projects/alpha/connections/${ops.id}`,
          {config: {api_key: h.configs.openai.badKey}});
      h.assertEqual(r.status, 200, 'edit the key');
      r = await h.world.api(h.project.admin, 'POST', `/v1/projects/alpha/connections/${ops.id}/probe`);
      h.assertEqual(r.status, 200, `probe (${JSON.stringify(r.body)})`);
      h.assertEqual(r.body.connection.status, 'inactive', 'a revoked key is inactive');
      inactive = ['Ops OpenAI'];
    }
    const page = await signInToList(h, h.project.admin);
    h.assertEqual(await page.locator('tbody tr').count(), 5, 'all five');
    await page.getByLabel('Status').selectOption('inactive');
    await page.waitForURL(/status=inactive/);
    if (inactive.length) {
      await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
      h.assertEqual(await page.locator('tbody th').allInnerTexts(), inactive, 'only the inactive one');
      const badge = rowOf(page, 'Ops OpenAI').locator('.badge').first();
      h.assertEqual((await badge.innerText()).trim(), 'Inactive', 'badge says Inactive');
      await badge.hover();
      const tip = rowOf(page, 'Ops OpenAI').getByRole('tooltip');
      await tip.waitFor({state: 'visible'});
      const reason = (await h.world.api(h.project.admin, 'GET', `/v1/projects/alpha/connections?q=Ops`)).body.items[0].status_reason;
      h.assert(reason && (await tip.innerText()).includes(reason), `the reason (${reason}) is on hover: ${await tip.innerText()}`);
      await page.screenshot({path: (await import('./harness.mjs')).screenshotPath('filter_search_inactive'), fullPage: true});
    } else {
      await page.getByText('No connection matches this filter.').waitFor();
    }
    await page.getByLabel('Status').selectOption('active');
    await page.waitForURL(/status=active/);
    await page.getByLabel('Search by name').fill('Marketing');
    await page.waitForURL(/q=Marketing/);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 2);
    await page.reload();
    await waitForList(page);
    h.assertEqual(await page.getByLabel('Search by name').inputValue(), 'Marketing', 'search restored from the URL');
    h.assertEqual(await page.getByLabel('Status').inputValue(), 'active', 'status restored from the URL');
    h.assertEqual((await page.locator('tbody th').allInnerTexts()).sort(), ['Marketing OpenAI', 'Marketing board'], 'only matches');
    // Pagination: two per page through the URL's limit.
    await page.goto(`${h.world.base}/?project=alpha&limit=2`);
    await waitForList(page);
    const seen = [...await page.locator('tbody th').allInnerTexts()];
    await page.getByRole('button', {name: 'Next page'}).click();
    await page.waitForURL(/cursor=/);
    await page.getByLabel('Pages of connections').getByText('Page 2', {exact: true}).waitFor();
    const second = await page.locator('tbody th').allInnerTexts();
    seen.push(...second);
    await page.getByRole('button', {name: 'Next page'}).click();
    await page.getByLabel('Pages of connections').getByText('Page 3', {exact: true}).waitFor();
    seen.push(...await page.locator('tbody th').allInnerTexts());
    h.assertEqual(seen.length, 5, 'three pages hold the five');
    h.assertEqual(new Set(seen).size, 5, 'no row twice');
    h.assert(await page.getByRole('button', {name: 'Next page'}).isDisabled(), 'no page after the last');
    await page.getByRole('button', {name: 'Previous page'}).click();
    await page.getByLabel('Pages of connections').getByText('Page 2', {exact: true}).waitFor();
    h.assertEqual(await page.locator('tbody th').allInnerTexts(), second, 'Previous returns to page 2');
    await page.goto(`${h.world.base}/?project=alpha&q=Marketing&status=active`);
    await waitForList(page);
  },

  // Delete is refused while a flow uses the connection (named, linked), allowed after.
  async delete_in_use(h) {
    const used = await createViaApi(h, 'openai', 'Marketing OpenAI');
    await createViaApi(h, 'trello', 'Roadmap board');
    let r = await h.world.api(h.project.admin, 'PUT', '/v1/projects/alpha/flows/daily', {name: 'Daily sync', connections: [used.id]});
    h.assertEqual(r.status, 201, 'flow attached');
    const page = await signInToList(h, h.project.admin);
    const row = rowOf(page, 'Marketing OpenAI');
    await row.getByRole('button', {name: /1 flow/}).click();
    let dialog = page.getByRole('dialog', {name: 'Flows using Marketing OpenAI'});
    await dialog.getByRole('link', {name: 'Daily sync'}).waitFor();
    await dialog.getByRole('button', {name: 'Close'}).click();
    await row.getByRole('button', {name: 'Delete Marketing OpenAI'}).click();
    dialog = page.getByRole('dialog', {name: 'Delete Marketing OpenAI?'});
    await dialog.getByRole('button', {name: 'Delete'}).click();
    const link = dialog.getByRole('link', {name: /Daily sync/});
    await link.waitFor();
    h.assert((await dialog.getByRole('alert').innerText()).includes('Daily sync'), 'the refusal names the flow');
    h.assert((await link.getAttribute('href')).includes('flow=daily'), 'the flow is a link');
    await page.screenshot({path: (await import('./harness.mjs')).screenshotPath('delete_in_use_refused'), fullPage: true});
    await link.click();
    await page.getByRole('heading', {name: 'Flow “Daily sync”'}).waitFor();
    r = await h.world.api(h.project.admin, 'DELETE', '/v1/projects/alpha/flows/daily');
    h.assertEqual(r.status, 204, 'flow deleted');
    await page.getByRole('link', {name: 'All connections'}).click();
    await waitForList(page);
    h.assert((await row.innerText()).includes('0'), 'no flows any more');
    await row.getByRole('button', {name: 'Delete Marketing OpenAI'}).click();
    await dialog.getByRole('button', {name: 'Delete'}).click();
    await dialog.waitFor({state: 'detached'});
    await row.waitFor({state: 'detached'});
    r = await h.world.api(h.project.admin, 'GET', `/v1/projects/alpha/connections/${used.id}`);
    h.assertEqual(r.status, 404, 'deleted');
  },

  // A member sees everything, every action disabled, and a note saying why.
  async member_readonly(h) {
    await createViaApi(h, 'openai', 'Marketing OpenAI');
    await createViaApi(h, 'outlook', 'Support mailbox');
    // With the probe engine and the fakes, a Trello token lapsing in 3 days carries an expiry warning.
    const expiring = h.world.fakes && h.world.probes;
    if (expiring) {
      const board = await createViaApi(h, 'trello', 'Roadmap board');
      await h.world.api(h.project.admin, 'PATCH', `/v1/projects/alpha/connections/${board.id}`,
          {config: {token: `ATTA${'c3D4'.repeat(16)}expiring`}});
      const r = await h.world.api(h.project.admin, 'POST', `/v1/projects/alpha/connections/${board.id}/probe`);
      h.assertEqual(r.body.connection && r.body.connection.expiry_warning, true, `expiry warning (${JSON.stringify(r.body)})`);
    }
    const page = await signInToList(h, h.project.member);
    await page.getByRole('note').waitFor();
    h.assert(/only a project admin/.test(await page.getByRole('note').innerText()), 'the note says why');
    h.assert(await page.getByRole('button', {name: 'Add new connection'}).isDisabled(), 'Add disabled');
    const actions = page.locator('tbody button[data-action]');
    const rows = expiring ? 3 : 2;
    // Probe now, Reconnect, Rename, Edit, Delete.
    h.assertEqual(await actions.count(), 5 * rows, 'five actions per row');
    for (let i = 0; i < 5 * rows; i += 1) h.assert(await actions.nth(i).isDisabled(), `action ${i} disabled`);
    h.assert((await page.locator('#session-bar').innerText()).includes('Member of alpha'), 'session bar names the role');
    // The status explanation shows on keyboard focus, not only on hover.
    const badge = rowOf(page, 'Support mailbox').locator('.badge').first();
    await page.keyboard.press('Tab');  // from the page into the controls; then to the badge
    await badge.focus();
    await rowOf(page, 'Support mailbox').getByRole('tooltip').waitFor({state: 'visible'});
    if (expiring) {
      const row = rowOf(page, 'Roadmap board');
      h.assert(/Expires in 3 days/.test(await row.locator('.badge-warning').innerText()), 'expiry warning badge');
      await row.locator('.badge').first().focus();
      await row.getByRole('tooltip').waitFor({state: 'visible'});
      h.assert(/Credentials expire/.test(await row.getByRole('tooltip').innerText()), 'expiry date on focus');
    }
  },

  // Test in the Add form: the verdict on the entered credentials, nothing stored.
  async test_before_adding(h) {
    requireProbes(h, 'test_before_adding');
    const entry = h.configs.openai;
    const page = await signInToList(h, h.project.admin);
    const dialog = await openAddDialog(page);
    await dialog.getByLabel('Connection name').fill(entry.name);
    await pickProvider(dialog, 'OpenAI');
    await fillField(dialog, 'api_key', entry.badKey);
    await fillField(dialog, 'base_url', entry.advanced.base_url);
    await dialog.getByRole('button', {name: 'Test'}).click();
    await dialog.locator('.probe-refused').waitFor();
    h.assert(/refused/i.test(await dialog.locator('.probe-result').innerText()), 'the refusal is shown');
    h.assert(await fieldError(dialog, 'api_key').isVisible(), 'the reason is beside the API key');
    await fillField(dialog, 'api_key', entry.fields.api_key);
    await dialog.getByRole('button', {name: 'Test'}).click();
    await dialog.locator('.probe-valid').waitFor();
    h.assert(/work/i.test(await dialog.locator('.probe-result').innerText()), 'says the credentials work');
    let list = await h.world.api(h.project.admin, 'GET', '/v1/projects/alpha/connections');
    h.assertEqual(list.body.items.length, 0, 'testing stored nothing');
    await page.screenshot({path: (await import('./harness.mjs')).screenshotPath('test_before_adding_valid'), fullPage: true});
    await dialog.getByRole('button', {name: 'Add connection'}).click();
    await dialog.waitFor({state: 'detached'});
    const badge = rowOf(page, entry.name).locator('.badge').first();
    h.assertEqual((await badge.innerText()).trim(), 'Active', 'added Active: its probe found it working');
    list = await h.world.api(h.project.admin, 'GET', '/v1/projects/alpha/connections');
    h.assertEqual(list.body.items[0].last_probe.outcome, 'valid', 'stored with its verdict');
  },

  // Adding credentials the provider refuses stores nothing and says why beside the field.
  async add_refused(h) {
    requireProbes(h, 'add_refused');
    const entry = h.configs.openai;
    const page = await signInToList(h, h.project.admin);
    const dialog = await openAddDialog(page);
    await dialog.getByLabel('Connection name').fill(entry.name);
    await pickProvider(dialog, 'OpenAI');
    await fillField(dialog, 'api_key', entry.badKey);
    await fillField(dialog, 'base_url', entry.advanced.base_url);
    await dialog.getByRole('button', {name: 'Add connection'}).click();
    await dialog.locator('.probe-refused').waitFor();
    h.assert(/Nothing was added/.test(await dialog.locator('.probe-result').innerText()), 'says nothing was added');
    h.assert(await fieldError(dialog, 'api_key').isVisible(), 'the reason is beside the API key');
    h.assert(await dialog.isVisible(), 'the dialog stays open to fix the key');
    const list = await h.world.api(h.project.admin, 'GET', '/v1/projects/alpha/connections');
    h.assertEqual(list.body.items.length, 0, 'nothing stored');
    await page.screenshot({path: (await import('./harness.mjs')).screenshotPath('add_refused'), fullPage: true});
  },

  // Probe now shows the verdict in the row; Inactive and unverified rows say why in the row.
  async probe_now_and_reasons(h) {
    requireProbes(h, 'probe_now_and_reasons');
    const entry = h.configs.openai;
    const path = '/v1/projects/alpha/connections';
    await createViaApi(h, 'openai', entry.name);
    const r = await h.world.api(h.project.admin, 'POST', `${path}?probe=false`,
        {name: 'Imported OpenAI', provider: 'openai', config: {api_key: entry.badKey, base_url: entry.advanced.base_url}});
    h.assertEqual(r.status, 201, 'stored without a probe');
    h.assertEqual(r.body.status, 'unverified', 'unverified');
    const page = await signInToList(h, h.project.admin);
    const imported = rowOf(page, 'Imported OpenAI');
    const badgeOf = async (row) => (await row.locator('.badge').first().innerText()).trim();
    h.assertEqual(await badgeOf(imported), 'Not verified', 'badge says Not verified');
    h.assert(/not checked/i.test(await imported.locator('.status-reason').innerText()), 'the row says why it is not verified');
    h.assert(await imported.locator('.status-reason').isVisible(), 'the reason is visible without hovering');
    const row = rowOf(page, entry.name);
    h.assertEqual(await badgeOf(row), 'Active', 'the probed one is Active');
    await row.getByRole('button', {name: `Probe now ${entry.name}`}).click();
    await row.locator('.row-verdict.verdict-valid').waitFor();
    h.assert(/work/i.test(await row.locator('.row-verdict').innerText()), 'a valid verdict in the row');
    await imported.getByRole('button', {name: 'Probe now Imported OpenAI'}).click();
    await imported.locator('.row-verdict.verdict-refused').waitFor();
    h.assert(/refused/i.test(await imported.locator('.row-verdict').innerText()), 'the refusal is in the row');
    h.assertEqual(await badgeOf(imported), 'Inactive', 'the row is Inactive after the probe');
    const stored = (await h.world.api(h.project.admin, 'GET', `${path}?q=Imported`)).body.items[0];
    h.assertEqual(stored.status, 'inactive', 'stored Inactive');
    h.assert(stored.status_reason && (await imported.locator('.status-reason').innerText()).includes(stored.status_reason),
        `the row shows the reason (${stored.status_reason}) without hovering`);
    h.assert(await imported.locator('.status-reason').isVisible(), 'the reason is visible');
    await page.getByLabel('Status').selectOption('unverified');
    await page.waitForURL(/status=unverified/);
    await page.getByText('No connection matches this filter.').waitFor();
    await page.getByLabel('Status').selectOption('inactive');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
  },

  // The server admin picks a project; keyboard use and a phone-sized screen.
  async keyboard_and_phone(h) {
    await createViaApi(h, 'openai', 'Marketing OpenAI');
    await createViaApi(h, 'google_calendar', 'Team calendar with a rather long name');
    const {page} = await h.browser({viewport: {width: 390, height: 844}});
    await h.signIn(page, h.world.base, h.world.adminToken);
    await page.getByRole('heading', {name: 'Choose a project'}).waitFor();
    const chooser = page.getByRole('form', {name: 'Choose a project'});
    await chooser.getByLabel('Project').selectOption('alpha');
    await chooser.getByRole('button', {name: 'Open'}).click();
    await waitForList(page);
    h.assert(page.url().includes('project=alpha'), 'project in the URL');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    h.assert(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
    const add = page.getByRole('button', {name: 'Add new connection'});
    await add.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', {name: 'Add new connection'});
    await dialog.waitFor();
    h.assertEqual(await activeId(page).then((id) => id.startsWith('name-')), true, 'focus starts on the name');
    await page.keyboard.press('Tab');  // to the provider combobox
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('t');  // jump to Trello
    await page.keyboard.press('Enter');
    await dialog.locator('[data-field="token"]').waitFor();
    await page.screenshot({path: (await import('./harness.mjs')).screenshotPath('keyboard_and_phone_dialog')});
    for (let i = 0; i < 25; i += 1) {
      await page.keyboard.press('Tab');
      h.assert(await dialog.evaluate((d) => d.contains(document.activeElement)), `Tab ${i} stays in the dialog`);
    }
    await page.keyboard.press('Escape');
    await dialog.waitFor({state: 'detached'});
    h.assertEqual(await activeId(page), 'add', 'focus returns to Add');
  },

  // A flow's runtime uses a connection through the host: "Last used" says how long ago
  // (the other connection "Never used"), and the Flows dialog gives admins the flow's use
  // count; a member sees the flow without counts (the usage route is for admins).
  async usage_last_used(h) {
    requireProbes(h, 'usage_last_used');
    const path = `/v1/projects/${h.project.id}`;
    const used = await createViaApi(h, 'openai', 'Marketing OpenAI');
    const unused = await createViaApi(h, 'openai', 'Ops OpenAI');
    let r = await h.world.api(h.project.admin, 'PUT', `${path}/flows/daily`, {name: 'Daily sync', connections: [used.id]});
    h.assertEqual(r.status, 201, `flow attached (${JSON.stringify(r.body)})`);
    r = await h.world.api(h.project.admin, 'POST', `${path}/flows/daily/tokens`);
    h.assertEqual(r.status, 201, `runtime token (${JSON.stringify(r.body)})`);
    const runtime = r.body.token;
    const uses = 3;
    for (let i = 0; i < uses; i += 1) {
      r = await h.world.api(runtime, 'GET', `${path}/connections/${used.id}/proxy/models`);
      h.assertEqual(r.status, 200, `proxied call ${i} (${JSON.stringify(r.body)})`);
      h.assert(Array.isArray(r.body.data) && r.body.data.length > 0, 'the fake OpenAI listed its models');
    }
    const usage = await waitForUsage(h, used.id, uses);
    h.assertEqual(usage.use_count, uses, 'exactly the proxied calls were counted');
    h.assertEqual(usage.by.map((u) => [u.user, u.count]), [['flow/daily', uses]], 'all by the flow');
    r = await h.world.api(h.project.admin, 'GET', `${path}/connections/${unused.id}/usage`);
    h.assertEqual([r.body.use_count, r.body.last_used_at, r.body.by], [0, null, []], 'the other is unused');
    const lastUsedAt = (await h.world.api(h.project.admin, 'GET', `${path}/connections/${used.id}`)).body.last_used_at;
    h.assertEqual(lastUsedAt, usage.last_used_at, 'the connection carries its last use');

    // A member: the same Last used column; the flow listed, without its use count.
    const page = await signInToList(h, h.project.member);
    await checkJustUsed(h, rowOf(page, 'Marketing OpenAI'), lastUsedAt, uses);
    await checkNeverUsed(h, rowOf(page, 'Ops OpenAI'));
    let dialog = await openFlowsDialog(page, rowOf(page, 'Marketing OpenAI'), 'Marketing OpenAI');
    let item = dialog.locator('.reference-list li');
    h.assertEqual(await item.count(), 1, 'one flow uses it (member)');
    await item.getByRole('link', {name: 'Daily sync'}).waitFor();
    h.assertEqual(await item.locator('.usage-note').count(), 0, 'a member sees no use counts');
    h.assert(!/\buses?\b/.test(await item.innerText()), `nor any "uses" (${await item.innerText()})`);
    await page.screenshot({path: (await import('./harness.mjs')).screenshotPath('usage_last_used_member'), fullPage: true});
    await dialog.getByRole('button', {name: 'Close'}).click();
    await dialog.waitFor({state: 'detached'});

    // The admin: the same cells, and the flow's count and last use in the dialog.
    await page.getByRole('button', {name: 'Sign out'}).click();
    await h.signIn(page, h.world.base, h.project.admin);
    await waitForList(page);
    h.assert(!(await page.locator('#session-bar').innerText()).includes('Member'), 'signed in as the admin now');
    await checkJustUsed(h, rowOf(page, 'Marketing OpenAI'), lastUsedAt, uses);
    await checkNeverUsed(h, rowOf(page, 'Ops OpenAI'));
    h.assertEqual((await rowOf(page, 'Ops OpenAI').locator('td[data-label="Flows"]').textContent()).trim(), '0 flows',
        'the unused one has no flows');
    dialog = await openFlowsDialog(page, rowOf(page, 'Marketing OpenAI'), 'Marketing OpenAI');
    item = dialog.locator('.reference-list li');
    h.assertEqual(await item.count(), 1, 'one flow uses it (admin)');
    await item.getByRole('link', {name: 'Daily sync'}).waitFor();
    const note = item.locator('.usage-note');
    const said = (await note.innerText()).trim();
    h.assert(new RegExp(`^· ${uses} uses, last (now|\\d+ (second|minute)s? ago)$`).test(said), `the flow's use count (${said})`);
    h.assertEqual(await note.locator('time').getAttribute('datetime'), usage.by[0].last_used_at, 'the flow\'s last use');
  },
};
