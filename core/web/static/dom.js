// Small DOM helpers: the page builds its markup with h() so no HTML strings (and no
// injection through names that come from the server) are ever parsed.

let counter = 0;

// A document-unique id with a readable prefix.
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

// h('button', {class: 'x', onclick: fn, disabled: true}, 'text', child, [more])
// Attributes that are false, null or undefined are left out; `on*` keys add listeners.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

// Text only a screen reader reads, e.g. the connection name after "Rename".
export function hidden(text) {
  return h('span', {class: 'visually-hidden'}, text);
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

// Says `text` through the page's polite live region.
export function announce(text) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  // A fresh text node after a tick makes screen readers repeat an identical message.
  setTimeout(() => { region.textContent = text; }, 30);
}

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), ' +
    'select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

// Elements inside `root` that Tab can reach now (visible ones only: a folded <details>
// hides its fields).
export function focusables(root) {
  return [...root.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length > 0);
}
