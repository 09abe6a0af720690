// Provider details (schema and UI hints) fetched once per page and reused.
import {api} from './api.js';

const cache = new Map();

export function loadProvider(id) {
  if (!cache.has(id)) {
    const request = api('GET', `/v1/providers/${encodeURIComponent(id)}`);
    request.catch(() => cache.delete(id));  // a failed load is retried next time
    cache.set(id, request);
  }
  return cache.get(id);
}

// The credential fields of a provider: its "credentials" section when it has one,
// otherwise its secrets. Reconnect asks for these.
export function credentialFields(schema) {
  const properties = schema.properties || {};
  const order = schema['x-order'] || Object.keys(properties);
  const grouped = order.filter((name) => properties[name]['x-group'] === 'credentials');
  if (grouped.length) return grouped;
  return order.filter((name) => properties[name].writeOnly === true || properties[name].format === 'password');
}
