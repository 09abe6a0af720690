// Ways to drive the Connections page the way a user does: by roles and labels.

export function rowOf(page, name) {
  return page.locator(`tbody tr[data-name="${name}"]`);
}

export async function waitForList(page) {
  await page.getByRole('heading', {name: 'Connections', level: 1}).waitFor();
  await page.locator('.table-wrap:not([aria-busy])').waitFor();
}

export async function openAddDialog(page) {
  await page.getByRole('button', {name: 'Add new connection'}).click();
  const dialog = page.getByRole('dialog', {name: 'Add new connection'});
  await dialog.waitFor();
  return dialog;
}

export async function pickProvider(dialog, providerName) {
  await dialog.getByRole('combobox', {name: /Provider/}).click();
  await dialog.getByRole('option', {name: new RegExp(`^${providerName}`)}).click();
  await dialog.locator('.schema-form').waitFor();
}

// The input of a schema field, unfolding its section when it is folded away.
export async function fieldInput(dialog, field) {
  const wrapper = dialog.locator(`[data-field="${field}"]`);
  const input = wrapper.locator('input, textarea, select').first();
  if (!(await input.isVisible())) {
    await dialog.locator(`details:has([data-field="${field}"]) > summary`).click();
  }
  return input;
}

export async function fillField(dialog, field, value) {
  const input = await fieldInput(dialog, field);
  await input.fill(value);
}

export function fieldError(dialog, field) {
  return dialog.locator(`[data-field="${field}"] .field-error`);
}
