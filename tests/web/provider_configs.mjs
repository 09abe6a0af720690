// Connection configs for the four built-in providers, as a user would type them into
// the form. Every endpoint points at 127.0.0.1: at the fake providers when they run,
// otherwise at a closed port, so nothing ever reaches the internet.
const CLOSED = 'http://127.0.0.1:9';

export function configs(fakesUrl) {
  const root = fakesUrl || CLOSED;
  return {
    openai: {
      name: 'Marketing OpenAI',
      providerName: 'OpenAI',
      fields: {api_key: 'sk-proj-webtestGOODkey0001'},
      // The fakes refuse a credential ending in -revoked (tests/fakes/credential_mode.hpp).
      badKey: 'sk-proj-webtest-revoked',
      advanced: {base_url: `${root}/openai/v1`},
    },
    google_calendar: {
      name: 'Team calendar',
      providerName: 'Google Calendar',
      fields: {
        client_id: '123456789012-webtest.apps.googleusercontent.com',
        client_secret: 'GOCSPX-webtest-secret',
        refresh_token: '1//webtest-refresh-token',
      },
      advanced: {token_uri: `${root}/google/token`, api_base: `${root}/google/calendar/v3`},
    },
    trello: {
      name: 'Roadmap board',
      providerName: 'Trello',
      fields: {api_key: '0123456789abcdef0123456789abcdef', token: `ATTA${'a1B2'.repeat(18)}`},
      advanced: {base_url: `${root}/trello/1`},
    },
    outlook: {
      name: 'Support mailbox',
      providerName: 'Microsoft Outlook',
      fields: {
        tenant: 'common',
        client_id: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        client_secret: 'webtest~secret-value',
        refresh_token: 'M.webtest-refresh-token',
      },
      advanced: {authority_host: `${root}/microsoft`, graph_base: `${root}/graph/v1.0`},
    },
  };
}

// The API body for creating the same connection without the page.
export function apiBody(provider, entry, name = entry.name) {
  return {name, provider, config: {...entry.fields, ...entry.advanced}};
}
