// The provider dropdown: a button that opens a listbox of providers with their icons
// (a native <select> cannot show images). Follows the WAI-ARIA select-only combobox
// pattern: Enter, Space or Down opens; Up/Down/Home/End move; a letter jumps; Enter or
// Space picks; Escape closes without picking (and without closing the dialog around it).
import {h, uid} from './dom.js';

export function providerIcon(provider, size = 20) {
  return h('img', {src: `/v1/providers/${encodeURIComponent(provider.id)}/icon.svg`, alt: '',
    width: size, height: size, class: 'provider-icon'});
}

// providerPicker(providers, {onChange}) -> {element, button, errorEl, value()}
export function providerPicker(providers, {onChange, labelText = 'Provider', describedBy = ''} = {}) {
  const id = uid('provider');
  const labelId = `${id}-label`;
  const listId = `${id}-list`;
  const errorId = `${id}-error`;
  let selected = null;
  let active = 0;

  const buttonContent = h('span', {class: 'picker-value'}, 'Choose a provider…');
  const button = h('button', {
    type: 'button', id, class: 'picker-button', role: 'combobox', 'aria-haspopup': 'listbox',
    'aria-expanded': 'false', 'aria-controls': listId, 'aria-labelledby': `${labelId} ${id}`,
    'aria-required': 'true', 'aria-describedby': [describedBy, errorId].filter(Boolean).join(' '),
    name: 'provider',
  }, buttonContent, h('span', {class: 'picker-caret', 'aria-hidden': 'true'}, '▾'));

  const options = providers.map((provider, index) => h('li', {
    id: `${id}-option-${index}`, role: 'option', class: 'picker-option', 'aria-selected': 'false',
    dataset: {value: provider.id},
    onmousedown: (event) => event.preventDefault(),  // keep focus on the button
    onclick: () => choose(index),
  }, providerIcon(provider), h('span', {class: 'picker-option-text'},
      h('span', {class: 'picker-option-name'}, provider.name),
      provider.description ? h('span', {class: 'picker-option-description'}, provider.description) : null)));
  const list = h('ul', {id: listId, role: 'listbox', class: 'picker-list', 'aria-labelledby': labelId, hidden: true}, options);
  const errorEl = h('p', {id: errorId, class: 'field-error', hidden: true});

  const isOpen = () => !list.hidden;
  const highlight = (index) => {
    active = Math.max(0, Math.min(options.length - 1, index));
    options.forEach((option, i) => option.classList.toggle('active', i === active));
    button.setAttribute('aria-activedescendant', options[active].id);
    options[active].scrollIntoView({block: 'nearest'});
  };
  const open = () => {
    list.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    highlight(selected === null ? 0 : selected);
  };
  const close = () => {
    list.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.removeAttribute('aria-activedescendant');
  };
  function choose(index) {
    selected = index;
    options.forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const provider = providers[index];
    buttonContent.replaceChildren(providerIcon(provider), h('span', {}, provider.name));
    close();
    button.focus();
    if (onChange) onChange(provider);
  }

  button.addEventListener('click', () => (isOpen() ? close() : open()));
  button.addEventListener('blur', close);
  button.addEventListener('keydown', (event) => {
    const key = event.key;
    if (!isOpen()) {
      if (['ArrowDown', 'ArrowUp', 'Enter', ' '].includes(key)) {
        event.preventDefault();
        open();
      }
      return;
    }
    if (key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      close();
    } else if (key === 'ArrowDown') {
      event.preventDefault();
      highlight(active + 1);
    } else if (key === 'ArrowUp') {
      event.preventDefault();
      highlight(active - 1);
    } else if (key === 'Home') {
      event.preventDefault();
      highlight(0);
    } else if (key === 'End') {
      event.preventDefault();
      highlight(options.length - 1);
    } else if (key === 'Enter' || key === ' ') {
      event.preventDefault();
      choose(active);
    } else if (key === 'Tab') {
      close();
    } else if (key.length === 1) {
      const start = (active + 1) % options.length;
      for (let step = 0; step < options.length; step += 1) {
        const i = (start + step) % options.length;
        if (providers[i].name.toLowerCase().startsWith(key.toLowerCase())) {
          highlight(i);
          break;
        }
      }
    }
  });

  const element = h('div', {class: 'field picker', dataset: {field: 'provider'}},
      h('span', {id: labelId, class: 'field-label'}, labelText,
          h('span', {class: 'required-mark', 'aria-hidden': 'true'}, ' *'), h('span', {class: 'visually-hidden'}, ' (required)')),
      h('div', {class: 'picker-anchor'}, button, list), errorEl);

  const setError = (message) => {
    errorEl.textContent = message || '';
    errorEl.hidden = !message;
    element.classList.toggle('has-error', Boolean(message));
    if (message) button.setAttribute('aria-invalid', 'true');
    else button.removeAttribute('aria-invalid');
  };

  return {element, button, setError, value: () => (selected === null ? null : providers[selected].id)};
}
