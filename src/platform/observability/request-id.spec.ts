import type { IncomingMessage } from 'node:http';
import { newRequestId, requestIdOf } from './request-id.js';

describe('request ids', () => {
  it('are UUID-shaped and never repeat within a process', () => {
    const ids = Array.from({ length: 10_000 }, () => newRequestId());
    for (const id of ids.slice(0, 10))
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keep a sane incoming id and replace anything else', () => {
    const withId = (id: string | string[] | undefined) =>
      requestIdOf({ headers: { 'x-request-id': id } } as unknown as IncomingMessage);
    expect(withId('trace-abc.123_x')).toBe('trace-abc.123_x');
    expect(withId('bad id with spaces')).toMatch(/^[0-9a-f-]{36}$/);
    expect(withId(['a', 'b'])).toMatch(/^[0-9a-f-]{36}$/);
    expect(withId(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
