import { DEV_ADMIN_TOKEN } from './browser-forms.js';
import type { TestResponse } from './http-client.js';
import { HOSTS, type TestApp } from './test-app.js';

/** Edits a card through the admin API, as an operator's tooling does (bearer ADMIN_TOKEN). */
export function editCard(
  app: Pick<TestApp, 'request'>,
  slug: string,
  changes: { title?: string },
): Promise<TestResponse> {
  return app.request({
    method: 'PATCH',
    url: `/admin/api/cards/${slug}`,
    host: HOSTS.flagship,
    headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}` },
    payload: changes,
  });
}

/** Purges cached pages and data by tag through the admin API, in every process. */
export function purgeCache(app: Pick<TestApp, 'request'>, tags: string[]): Promise<TestResponse> {
  return app.request({
    method: 'POST',
    url: '/admin/api/cache/purge',
    host: HOSTS.flagship,
    headers: { authorization: `Bearer ${DEV_ADMIN_TOKEN}` },
    payload: { tags },
  });
}
