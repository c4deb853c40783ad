import { Agent, type IncomingHttpHeaders, request } from 'node:http';

export interface Answer {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
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
    body?: string | Buffer;
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
            headers: incoming.headers,
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

/** The value of a form's hidden or checked input, as the page served it (HTML-unescaped). */
export function inputValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`, 'g');
  for (const match of html.matchAll(tag)) {
    const value = /\bvalue="([^"]*)"/.exec(match[0])?.[1];
    if (value !== undefined) return unescapeHtml(value);
  }
  return undefined;
}

/** Every value of inputs with that name (checkboxes of a list), in page order. */
export function inputValues(html: string, name: string): string[] {
  const tag = new RegExp(`<input[^>]*\\bname="${name}"[^>]*>`, 'g');
  const out: string[] = [];
  for (const match of html.matchAll(tag)) {
    const value = /\bvalue="([^"]*)"/.exec(match[0])?.[1];
    if (value !== undefined) out.push(unescapeHtml(value));
  }
  return out;
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The `name=value` of a Set-Cookie header with that cookie name, as a browser sends it back. */
export function cookieOf(headers: IncomingHttpHeaders, name: string): string | undefined {
  for (const line of headers['set-cookie'] ?? []) {
    const pair = line.split(';')[0] ?? '';
    if (pair.startsWith(`${name}=`)) return pair;
  }
  return undefined;
}
