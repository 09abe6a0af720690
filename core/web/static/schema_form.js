// A provider's config fields rendered from its field schema (docs/field-schema.md):
// x-order and x-groups decide order and sections, a collapsed group folds into
// <details>, writeOnly/format:password fields are password inputs that are never
// pre-filled, and title, description, x-placeholder, examples, default, x-help-url
// become label, help, placeholder, suggestions, initial value and a help link.
//
// Modes: 'create' (defaults filled in), 'edit' and 'reconnect' (current values filled
// in; a secret that is set shows so and is kept unless retyped). A secret is bound to the
// fields marked x-credential-destination: once one of them is changed here, every set
// secret says it must be entered again (the server refuses the change otherwise).
import {h, uid} from './dom.js';

// buildSchemaForm(schema, {mode, values, only}) -> {element, collect, showErrors, clearErrors}
//   only: field names to show (reconnect shows just the credentials); default all.
export function buildSchemaForm(schema, {mode = 'create', values = {}, only = null} = {}) {
  const properties = schema.properties || {};
  const required = new Set(schema.required || []);
  const order = (schema['x-order'] || Object.keys(properties)).filter((name) => !only || only.includes(name));
  const groups = schema['x-groups'] || [];
  const controls = new Map();  // field name -> {field, input(s), errorEl, wrapper, read()}

  const makeField = (name) => {
    const field = properties[name];
    const control = renderField(name, field, {
      mode, value: values[name], required: required.has(name),
    });
    controls.set(name, control);
    return control.wrapper;
  };

  const element = h('div', {class: 'schema-form'});
  const ungrouped = order.filter((name) => !properties[name]['x-group']);
  element.append(...ungrouped.map(makeField));
  for (const group of groups) {
    const names = order.filter((name) => properties[name]['x-group'] === group.id);
    if (names.length === 0) continue;
    const description = group.description ? h('p', {class: 'group-help'}, group.description) : null;
    if (group.collapsed) {
      element.append(h('details', {class: 'field-group', dataset: {group: group.id}},
          h('summary', {}, group.title), description, names.map(makeField)));
    } else {
      element.append(h('fieldset', {class: 'field-group', dataset: {group: group.id}},
          h('legend', {}, group.title), description, names.map(makeField)));
    }
  }

  if (mode !== 'create') bindSecretsToDestinations(controls, properties);

  // The config to send: create leaves out empty fields; edit/reconnect leave out
  // untouched secrets (kept by the server) and send null to clear a field emptied here.
  const collect = () => {
    const config = {};
    for (const [name, control] of controls) {
      const value = control.read();
      const had = values[name] !== undefined && values[name] !== null;
      if (value === undefined) {
        if (mode !== 'create' && had && !control.secret) config[name] = null;
        continue;
      }
      config[name] = value;
    }
    return config;
  };

  const clearErrors = () => {
    for (const control of controls.values()) setError(control, []);
  };

  // Puts each error of a config field beside that field; returns the ones that belong to
  // no field shown here. `prefix` is how the server names config fields ("config.").
  const showErrors = (errors, prefix = 'config.') => {
    const byField = new Map();
    const rest = [];
    for (const error of errors) {
      const path = typeof error.field === 'string' ? error.field : '';
      const match = path.startsWith(prefix) ? /^[a-z][a-z0-9_]*/.exec(path.slice(prefix.length)) : null;
      if (match && controls.has(match[0])) {
        if (!byField.has(match[0])) byField.set(match[0], []);
        byField.get(match[0]).push(error.message || error.code);
      } else {
        rest.push(error);
      }
    }
    for (const [name, messages] of byField) setError(controls.get(name), messages);
    return rest;
  };

  return {element, collect, showErrors, clearErrors, fields: order};
}

// Changing where secrets are sent makes each stored secret one to type again.
function bindSecretsToDestinations(controls, properties) {
  const destinations = [...controls].filter(([name]) => properties[name]['x-credential-destination'] === true);
  if (destinations.length === 0) return;
  const secrets = [...controls.values()].filter((control) => control.setMustReenter);
  const shown = (control) => JSON.stringify(control.read() ?? null);
  const first = new Map(destinations.map(([name, control]) => [name, shown(control)]));
  const update = () => {
    const moved = destinations.find(([name, control]) => shown(control) !== first.get(name));
    const title = moved ? (properties[moved[0]].title || moved[0]) : null;
    for (const control of secrets) control.setMustReenter(title);
  };
  for (const [, control] of destinations) {
    for (const input of control.inputs) input.addEventListener('input', update);
  }
}

function setError(control, messages) {
  control.errorEl.textContent = messages.join(' ');
  control.errorEl.hidden = messages.length === 0;
  control.wrapper.classList.toggle('has-error', messages.length > 0);
  for (const input of control.inputs) {
    if (messages.length) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  // A field with an error must be visible even when its section is folded away.
  const details = control.wrapper.closest('details');
  if (details && messages.length) details.open = true;
}

function isSecret(field) {
  return field.writeOnly === true || field.format === 'password';
}

function isSetMarker(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && value.set === true;
}

function renderField(name, field, {mode, value, required}) {
  const id = uid(`field-${name}`);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const secret = isSecret(field);
  const secretIsSet = secret && isSetMarker(value);
  const initial = mode === 'create' ? field.default : value;
  // A secret already stored need not be typed again, so it is not required here.
  const mustFill = required && !(mode !== 'create' && secretIsSet);

  const helpParts = [];
  if (secretIsSet) helpParts.push(h('span', {class: 'secret-set'}, 'A value is set — leave blank to keep it. '));
  if (field.description) helpParts.push(field.description);
  if (field.type === 'array' && !(field.items && field.items.enum)) helpParts.push(' One per line.');
  if (field['x-help-url']) {
    helpParts.push(' ', h('a', {href: field['x-help-url'], target: '_blank', rel: 'noopener noreferrer'},
        'Where to find this', h('span', {class: 'visually-hidden'}, ' (opens in a new tab)')));
  }
  const help = helpParts.length ? h('p', {id: helpId, class: 'help'}, helpParts) : null;
  const errorEl = h('p', {id: errorId, class: 'field-error', hidden: true});
  const describedBy = [help ? helpId : null, errorId].filter(Boolean).join(' ');
  const placeholder = secretIsSet ? 'set — leave blank to keep' :
      (field['x-placeholder'] || (Array.isArray(field.examples) && field.examples.length ? String(field.examples[0]) : null));
  const common = {
    id, name, 'aria-describedby': describedBy, required: mustFill, 'aria-required': mustFill ? 'true' : null,
    readonly: field.readOnly === true, placeholder,
  };

  const label = (forId = id) => h('label', {for: forId, class: 'field-label'}, field.title || name,
      mustFill ? [h('span', {class: 'required-mark', 'aria-hidden': 'true'}, ' *'), h('span', {class: 'visually-hidden'}, ' (required)')] : null);

  let inputs = [];
  let read;
  let body;
  if (field.type === 'boolean') {
    const input = h('input', {...common, type: 'checkbox', placeholder: null, checked: initial === true});
    inputs = [input];
    read = () => input.checked;
    body = [h('div', {class: 'checkbox-row'}, input, label())];
  } else if (field.type === 'array' && field.items && Array.isArray(field.items.enum)) {
    const chosen = new Set(Array.isArray(initial) ? initial : []);
    const legendId = `${id}-legend`;
    inputs = field.items.enum.map((option, i) => h('input', {
      type: 'checkbox', id: `${id}-${i}`, name, value: String(option), checked: chosen.has(option),
      'aria-describedby': describedBy,
    }));
    read = () => {
      const picked = field.items.enum.filter((_, i) => inputs[i].checked);
      return picked.length ? picked : undefined;
    };
    body = [h('fieldset', {class: 'checkbox-set', 'aria-describedby': describedBy},
        h('legend', {id: legendId, class: 'field-label'}, field.title || name),
        inputs.map((input, i) => h('div', {class: 'checkbox-row'}, input,
            h('label', {for: input.id}, String(field.items.enum[i])))))];
  } else if (field.type === 'array') {
    const text = Array.isArray(initial) ? initial.join('\n') : '';
    const input = h('textarea', {...common, rows: 3, spellcheck: 'false'});
    input.value = text;
    inputs = [input];
    const numeric = field.items && (field.items.type === 'integer' || field.items.type === 'number');
    read = () => {
      const lines = input.value.split('\n').map((line) => line.trim()).filter(Boolean);
      if (lines.length === 0) return undefined;
      return numeric ? lines.map((line) => (Number.isFinite(Number(line)) ? Number(line) : line)) : lines;
    };
    body = [label(), input];
  } else if (Array.isArray(field.enum)) {
    const select = h('select', {...common, placeholder: null},
        (!mustFill || initial === undefined) ? h('option', {value: ''}, mustFill ? 'Choose…' : '(not set)') : null,
        field.enum.map((option) => h('option', {value: String(option), selected: initial === option}, String(option))));
    inputs = [select];
    read = () => {
      if (select.value === '') return undefined;
      const option = field.enum.find((candidate) => String(candidate) === select.value);
      return option === undefined ? select.value : option;
    };
    body = [label(), select];
  } else {
    const numeric = field.type === 'integer' || field.type === 'number';
    let type = 'text';
    if (secret) type = 'password';
    else if (numeric) type = 'number';
    else if (field.format === 'email') type = 'email';
    else if (field.format === 'uri') type = 'url';
    const listId = !secret && Array.isArray(field.examples) && field.examples.length > 1 ? `${id}-examples` : null;
    const input = h('input', {
      ...common, type, list: listId,
      autocomplete: secret ? 'new-password' : 'off', spellcheck: 'false',
      minlength: field.minLength, maxlength: field.maxLength, min: field.minimum, max: field.maximum,
      step: field.type === 'integer' ? 1 : (numeric ? 'any' : null),
    });
    if (!secret && initial !== undefined && initial !== null && !isSetMarker(initial)) input.value = String(initial);
    inputs = [input];
    read = () => {
      const raw = input.value;
      if (raw === '' || (!secret && raw.trim() === '')) return undefined;
      if (numeric) {
        const n = Number(raw);
        // Anything that is not a number goes as typed so the server names the problem.
        return Number.isFinite(n) && raw.trim() !== '' ? n : raw;
      }
      return secret ? raw : raw.trim();
    };
    const datalist = listId ? h('datalist', {id: listId}, field.examples.map((v) => h('option', {value: String(v)}))) : null;
    body = [label(), input, datalist];
  }

  const wrapper = h('div', {class: 'field', dataset: {field: name}}, body, help, errorEl);
  // For a stored secret: `destination` (a field title) says it must be typed again.
  let setMustReenter = null;
  if (secretIsSet) {
    const note = h('p', {class: 'secret-reenter', hidden: true});
    wrapper.insertBefore(note, errorEl);
    setMustReenter = (destination) => {
      note.hidden = !destination;
      note.textContent = destination ? `${destination} changed: enter this secret again, or it will not be sent there.` : '';
      for (const input of inputs) {
        input.required = Boolean(destination) || mustFill;
        input.placeholder = destination ? 'enter again' : (placeholder || '');
      }
      wrapper.classList.toggle('must-reenter', Boolean(destination));
    };
  }
  return {wrapper, inputs, errorEl, read, secret, setMustReenter};
}
