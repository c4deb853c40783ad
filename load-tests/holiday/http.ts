import { Agent, request } from 'node:http';

export interface Answer {
  status: number;
  body: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP request with the exact Host header given (fetch replaces it with the URL's),
 * since every site of the platform is chosen by its Host.
 */
export function call(
  baseUrl: string,
  options: {
    method?: string;
    path: string;
    host: string;
    headers?: Record<string, string>;
    body?: string;
  },
): Promise<Answer> {
  const base = new URL(baseUrl);
  const headers: Record<string, string> = { ...options.headers, host: options.host };
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(options.body));
  }
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: base.hostname,
        port: base.port || 80,
        method: options.method ?? 'GET',
        path: options.path,
        headers,
        setHost: false,
        agent,
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (c: Buffer) => chunks.push(c));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    if (options.body !== undefined) outgoing.write(options.body);
    outgoing.end();
  });
}
