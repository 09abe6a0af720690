// node e2e.mjs <scenario>   one end-to-end scenario of the Connections page.
// Env: SWITCHBOARD_BIN (host), SWITCHBOARD_FAKES (fake providers, optional),
// SWITCHBOARD_SCREENSHOTS (folder for <scenario>.png), CHROMIUM (default /usr/bin/chromium).
// Exit 0 pass, 1 fail.
import {
  assert, assertEqual, launchBrowser, makeProject, screenshotPath, signIn, startWorld,
} from './harness.mjs';
import {apiBody, configs} from './provider_configs.mjs';
import {HOST_ARGS, SCENARIOS} from './scenarios.mjs';

const name = process.argv[2];
const scenario = SCENARIOS[name];
if (!scenario) {
  console.error(`unknown scenario '${name}'; known: ${Object.keys(SCENARIOS).join(', ')}`);
  process.exit(2);
}

const world = await startWorld({hostArgs: HOST_ARGS[name]});
let browserParts = null;
let code = 0;
try {
  const project = await makeProject(world);
  const helpers = {
    world, project, configs: configs(world.fakes && world.fakes.url), apiBody, assert, assertEqual, signIn,
    async browser(options) {
      browserParts = await launchBrowser(options);
      return browserParts;
    },
  };
  await scenario(helpers);
  if (browserParts && browserParts.problems.length) {
    throw new Error(`the page reported errors:\n  ${browserParts.problems.join('\n  ')}`);
  }
  console.log(`PASS ${name}`);
} catch (error) {
  console.error(`FAIL ${name}: ${error.stack || error}`);
  console.error(`--- host log ---\n${world.hostLog().slice(-3000)}`);
  code = 1;
} finally {
  if (browserParts) {
    try {
      const file = screenshotPath(name);
      await browserParts.page.screenshot({path: file, fullPage: true});
      console.log(`screenshot: ${file}`);
    } catch (error) {
      console.error(`no screenshot: ${error.message}`);
    }
    await browserParts.browser.close();
  }
  await world.stop();
}
process.exit(code);
