// Test harness for the Connections page: a real host on an ephemeral port with a fresh
// data folder (and the fake providers when they are built), the API for setting up
// fixtures, and headless Chromium (Debian's /usr/bin/chromium) through playwright-core.
import {spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

export function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

export function assertEqual(actual, expected, message) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`assertion failed: ${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function waitForLine(child, pattern, what, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start in time:\n${seen}`)), timeoutMs);
    const onData = (chunk) => {
      seen += chunk.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { seen += chunk.toString(); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code}:\n${seen}`));
    });
  });
}

function hostSupports(bin, flag) {
  const help = spawnSync(bin, ['serve', '--help'], {encoding: 'utf8'});
  return `${help.stdout}${help.stderr}`.includes(flag);
}

// The fake providers (tests/fakes), if built: {url, child} or null.
async function startFakes() {
  const bin = process.env.SWITCHBOARD_FAKES;
  if (!bin || !existsSync(bin)) return null;
  const child = spawn(bin, ['--listen', '127.0.0.1:0'], {stdio: ['ignore', 'pipe', 'pipe']});
  const match = await waitForLine(child, /(http:\/\/127\.0\.0\.1:\d+)/, 'fake providers');
  return {url: match[1], child};
}

// Starts everything a scenario needs; stop() tears it down. `hostArgs` are added to the
// host's command line (a scenario's HOST_ARGS, e.g. a short --usage-flush-interval).
export async function startWorld({hostArgs = []} = {}) {
  const bin = process.env.SWITCHBOARD_BIN;
  assert(bin && existsSync(bin), `SWITCHBOARD_BIN (${bin}) must name the built host`);
  const work = mkdtempSync(join(tmpdir(), 'switchboard-web-'));
  const fakes = await startFakes();
  const args = ['serve', '--data', join(work, 'data'), '--listen', '127.0.0.1:0'];
  const probes = hostSupports(bin, '--egress-allow');
  if (probes) args.push('--egress-allow', '127.0.0.1/32');
  args.push(...hostArgs);
  const env = {...process.env};
  delete env.SWITCHBOARD_ADMIN_TOKEN;  // the admin token is read from the fresh data folder
  delete env.SWITCHBOARD_MASTER_KEY;
  const host = spawn(bin, args, {stdio: ['ignore', 'pipe', 'pipe'], env});
  let log = '';
  host.stderr.on('data', (chunk) => { log += chunk.toString(); });
  const match = await waitForLine(host, /listening on (http:\/\/[0-9.:]+)/, 'host');
  const base = match[1];
  const adminToken = readFileSync(join(work, 'data', 'admin.token'), 'utf8').trim();
  const world = {
    base, adminToken, fakes, probes, work,
    hostLog: () => log,
    api: (token, method, path, body) => callApi(base, token, method, path, body),
    async stop() {
      host.kill('SIGTERM');
      if (fakes) fakes.child.kill('SIGTERM');
      await new Promise((resolve) => host.once('exit', resolve).once('error', resolve));
      rmSync(work, {recursive: true, force: true});
    },
  };
  return world;
}

export async function callApi(base, token, method, path, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(base + path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return {status: response.status, body: json, headers: response.headers};
}

// A project "alpha" with an admin and a member token.
export async function makeProject(world, id = 'alpha') {
  let r = await world.api(world.adminToken, 'POST', '/v1/projects', {id, name: 'Alpha team'});
  assertEqual(r.status, 201, 'create project');
  r = await world.api(world.adminToken, 'POST', `/v1/projects/${id}/tokens`, {role: 'admin', name: 'web admin'});
  assertEqual(r.status, 201, 'admin token');
  const admin = r.body.token;
  r = await world.api(world.adminToken, 'POST', `/v1/projects/${id}/tokens`, {role: 'member', name: 'web member'});
  assertEqual(r.status, 201, 'member token');
  return {id, admin, member: r.body.token};
}

export async function launchBrowser({viewport = {width: 1280, height: 860}} = {}) {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  const browser = await chromium.launch({executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']});
  const context = await browser.newContext({viewport, locale: 'en-GB', timezoneId: 'Europe/Paris'});
  // Generous: CI machines are small and shared; a slow step is not a failure, a wrong one is.
  context.setDefaultTimeout(30000);
  const page = await context.newPage();
  // Anything the page logs as an error (a CSP violation, an exception) fails the test;
  // failed HTTP requests are expected in error scenarios and are checked on screen.
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  return {browser, context, page, problems};
}

export async function signIn(page, base, token) {
  await page.goto(`${base}/`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', {name: 'Sign in'}).click();
}

export function screenshotPath(name) {
  const dir = process.env.SWITCHBOARD_SCREENSHOTS || join(process.cwd(), 'web-screenshots');
  mkdirSync(dir, {recursive: true});
  return join(dir, `${name}.png`);
}
