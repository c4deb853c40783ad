import { z } from 'zod';

/**
 * How absolute links (emails, pickup and manage URLs, canonical tags) are built: never from
 * request headers, always from a site's configured names. `canonical` uses each site's first
 * hostname, the address people are given in production. `local` uses its `*.localhost` name,
 * which every browser resolves to the developer's own machine, so a link printed by a local
 * run opens there instead of on a production host that does not resolve.
 */
export const PUBLIC_HOST_STYLES = ['local', 'canonical'] as const;
export type PublicHostStyle = (typeof PUBLIC_HOST_STYLES)[number];

export const publicUrlEnvShape = {
  PUBLIC_SCHEME: z.enum(['http', 'https']).optional(),
  PUBLIC_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  PUBLIC_HOST_STYLE: z.enum(PUBLIC_HOST_STYLES).optional(),
};

export interface PublicUrlConfig {
  scheme: 'http' | 'https';
  port: number | null;
  hostStyle: PublicHostStyle;
}

/** Stages whose links reach real people: a `.localhost` link there is always a mistake. */
const DEPLOYED_STAGES: ReadonlySet<string> = new Set(['staging', 'production']);

export function publicUrlConfigOf(
  e: {
    APP_STAGE: string;
    PORT: number;
    PUBLIC_SCHEME?: 'http' | 'https' | undefined;
    PUBLIC_PORT?: number | undefined;
    PUBLIC_HOST_STYLE?: PublicHostStyle | undefined;
  },
  problems: string[],
): PublicUrlConfig {
  const local = e.APP_STAGE === 'development' || e.APP_STAGE === 'test';
  const hostStyle = e.PUBLIC_HOST_STYLE ?? (e.APP_STAGE === 'development' ? 'local' : 'canonical');
  if (hostStyle === 'local' && DEPLOYED_STAGES.has(e.APP_STAGE)) {
    problems.push(
      `PUBLIC_HOST_STYLE: "local" links point at the reader's own machine; ${e.APP_STAGE} refuses it`,
    );
  }
  return {
    scheme: e.PUBLIC_SCHEME ?? (e.APP_STAGE === 'production' ? 'https' : 'http'),
    // Locally the site is reached on the web port; behind a proxy the default port of the scheme.
    port: e.PUBLIC_PORT ?? (local ? e.PORT : null),
    hostStyle,
  };
}

/** A short name for how links are built (`c8080`, `l8080`, `cs`): part of the page variant. */
export function linkOriginTag(publicUrl: PublicUrlConfig): string {
  const style = publicUrl.hostStyle === 'local' ? 'l' : 'c';
  return `${style}${publicUrl.scheme === 'https' ? 's' : ''}${publicUrl.port ?? ''}`;
}
