// The host's REST API as the page uses it: bearer token from sessionStorage, JSON in
// and out, and every failure turned into an ApiError that carries the problem+json body
// so callers can show its detail and per-field errors.

const TOKEN_KEY = 'switchboard.token';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `The server answered HTTP ${status}.`);
    this.status = status;
    this.problem = problem;
  }

  get code() {
    return this.problem.code || '';
  }

  // [{field, code, message}] from the problem, possibly empty.
  get fieldErrors() {
    return Array.isArray(this.problem.errors) ? this.problem.errors : [];
  }
}

// Calls the API; resolves to the parsed JSON (null for 204), rejects with ApiError.
// A 401 also fires `switchboard:unauthorized` so the page can ask to sign in again.
export async function api(method, path, body) {
  const headers = {Accept: 'application/json, application/problem+json'};
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = {method, headers, cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, {
      code: 'network',
      detail: 'The server cannot be reached. Check that Switchboard is running, then try again.',
    });
  }
  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : {
      code: `http_${response.status}`,
      detail: `The server answered HTTP ${response.status}.`,
    };
    const error = new ApiError(response.status, problem);
    if (response.status === 401 && token) {
      window.dispatchEvent(new CustomEvent('switchboard:unauthorized', {detail: error}));
    }
    throw error;
  }
  return data;
}

export function projectPath(project, rest = '') {
  return `/v1/projects/${encodeURIComponent(project)}${rest}`;
}
