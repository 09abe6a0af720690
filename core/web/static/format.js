// Dates in the viewer's own locale and time zone, and plain words for status reasons.

const dateTime = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});
const dateOnly = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium'});

function parse(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatDateTime(iso) {
  const date = parse(iso);
  return date ? dateTime.format(date) : '';
}

export function formatDate(iso) {
  const date = parse(iso);
  return date ? dateOnly.format(date) : '';
}

// "in 3 days", "tomorrow", "2 hours ago" — for the expiry warning.
export function relativeTime(iso, now = Date.now()) {
  const date = parse(iso);
  if (!date) return '';
  const seconds = (date.getTime() - now) / 1000;
  const rtf = new Intl.RelativeTimeFormat(undefined, {numeric: 'auto'});
  const units = [['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds), 'second');
}

const REASONS = {
  invalid_credentials: 'The provider refused the credentials.',
  missing_permission: 'The credentials work but lack a permission this connection needs.',
  transient: 'The provider could not be reached at the last check.',
  expired: 'The credentials have expired.',
  destination_not_allowed: 'An address in the configuration is internal; Switchboard does not send credentials there.',
};

const STATUS_LABELS = {active: 'Active', inactive: 'Inactive', unverified: 'Not verified'};

// The word the page uses for a connection status.
export function statusLabel(status) {
  return STATUS_LABELS[status] || status;
}

// A sentence for a status_reason or probe reason code; unknown codes are shown as they are.
export function describeReason(reason) {
  if (!reason) return '';
  return REASONS[reason] || reason.replaceAll('_', ' ');
}

export function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}
