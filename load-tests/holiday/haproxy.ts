import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForHttp } from '../support/processes.js';

export interface Haproxy {
  url: string;
  configPath: string;
  stop(): Promise<void>;
}

/**
 * HAProxy in front of the web groups: round robin, health checks on /health/live every 500 ms
 * (down after 2 failures, up after 2 successes), and a failed connect retried on the other
 * group, so a dead group costs only the requests it had in flight.
 */
export function haproxyConfig(port: number, backends: { name: string; port: number }[]): string {
  return `global
  maxconn 4000
  nbthread 1

defaults
  mode http
  timeout connect 1s
  # A check waits up to 2 s: on a busy machine a fresh process answered in 501 ms and flapped.
  timeout check 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 30s
  option http-keep-alive
  retries 2
  option redispatch 1
  retry-on conn-failure empty-response response-timeout

frontend web
  bind 127.0.0.1:${port}
  default_backend web_groups

backend web_groups
  balance roundrobin
  option httpchk
  http-check send meth GET uri /health/live ver HTTP/1.1 hdr Host 127.0.0.1
  http-check expect status 200
  default-server inter 500 fall 2 rise 2 maxconn 512
${backends.map((b) => `  server ${b.name} 127.0.0.1:${b.port} check`).join('\n')}
`;
}

export function haproxyBinary(): string {
  for (const path of ['/usr/sbin/haproxy', '/usr/bin/haproxy', '/usr/local/sbin/haproxy']) {
    if (existsSync(path)) return path;
  }
  throw new Error('haproxy is not installed (scripts/load-scale-out.sh installs it with apt-get)');
}

export async function startHaproxy(
  port: number,
  backends: { name: string; port: number }[],
): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'ecard-haproxy-'));
  const configPath = join(dir, 'haproxy.cfg');
  writeFileSync(configPath, haproxyConfig(port, backends));
  const child: ChildProcess = spawn(haproxyBinary(), ['-db', '-f', configPath], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`haproxy exited (${code}) with ${configPath}`))),
  );
  exited.catch(() => undefined);
  await Promise.race([waitForHttp(`${url}/health/live`, 15_000), exited]);
  return {
    url,
    configPath,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
