// Modal dialogs on <dialog>.showModal(): the rest of the page is inert, Escape closes,
// Tab cycles inside the dialog, and focus returns to the control that opened it (or,
// when a refresh replaced that control, to its successor with the same data-focus-key).
import {focusables, h, uid} from './dom.js';

export function openModal({title, content, onClose, wide = false}) {
  const opener = document.activeElement;
  const focusKey = opener && opener.dataset ? opener.dataset.focusKey : undefined;
  const titleId = uid('dialog-title');
  const heading = h('h2', {id: titleId, class: 'dialog-title'}, title);
  const dialog = h('dialog', {class: wide ? 'modal modal-wide' : 'modal', 'aria-labelledby': titleId},
      heading, content);
  dialog.addEventListener('keydown', (event) => {
    if (event.key !== 'Tab') return;
    const items = focusables(dialog);
    if (items.length === 0) return;
    const first = items[0];
    const last = items[items.length - 1];
    if (event.shiftKey && (document.activeElement === first || !dialog.contains(document.activeElement))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    restoreFocus(opener, focusKey);
    if (onClose) onClose();
  });
  document.body.append(dialog);
  dialog.showModal();
  const preferred = dialog.querySelector('[autofocus]') || focusables(content)[0] || heading;
  if (preferred === heading) heading.setAttribute('tabindex', '-1');
  preferred.focus();
  return {dialog, close: () => dialog.open && dialog.close()};
}

function restoreFocus(opener, focusKey) {
  if (opener && opener.isConnected && !opener.disabled) {
    opener.focus();
    return;
  }
  const successor = focusKey && document.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
  if (successor && !successor.disabled) {
    successor.focus();
    return;
  }
  const fallback = document.getElementById('page-heading') || document.getElementById('main');
  if (fallback) fallback.focus();
}

// The row of buttons at the bottom of a dialog.
export function dialogActions(...buttons) {
  return h('div', {class: 'dialog-actions'}, buttons);
}
