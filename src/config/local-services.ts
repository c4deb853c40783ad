import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The passwords `npm run services:up` made for a profile's local MariaDB user and Redis. */
export interface LocalServicePasswords {
  db: string;
  redis: string;
}

/**
 * Where scripts/services.sh keeps a profile's data and credentials: `SERVICES_DIR`, else
 * `.data/dev` (development) or `.data/test` (test) under the working directory.
 */
export function localServicesDir(stage: 'development' | 'test', servicesDir?: string): string {
  return servicesDir ?? join('.data', stage === 'test' ? 'test' : 'dev');
}

/**
 * Reads `<dir>/credentials.env`: the passwords, or what is wrong (a missing file means the
 * services were never started by this version, or run elsewhere).
 */
export function readLocalServicePasswords(dir: string): LocalServicePasswords | string {
  const file = join(dir, 'credentials.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return `${file} is missing: start the local services with \`npm run services:up\``;
  }
  const value = (name: string) =>
    new RegExp(`^${name}=([A-Za-z0-9]+)\\s*$`, 'm').exec(text)?.[1] ?? null;
  const db = value('DB_PASSWORD');
  const redis = value('REDIS_PASSWORD');
  if (db === null || redis === null) {
    return `${file} lacks DB_PASSWORD or REDIS_PASSWORD: \`npm run services:up\` remakes it`;
  }
  return { db, redis };
}
