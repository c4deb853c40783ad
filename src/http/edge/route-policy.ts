import { RouteConfig } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';

/** The pages the page cache keeps, each with its own freshness rules (cacheable-pages.ts). */
export type CachedPageName = 'home' | 'occasions' | 'occasion' | 'card' | 'search';

/**
 * What the edge does for a route, declared once on the route: on a controller or handler with
 * `@RoutePolicy(...)`, on a route Fastify serves directly with `config: { policy }`. The edge
 * and the route-level hooks read it from the matched route, never from the URL.
 */
export interface RoutePolicy {
  /** A page the same for every visitor, served from and stored in the page cache. */
  readonly cache?: CachedPageName;
  /** Counted as a page view in the reports; a card's and an occasion's per slug too. */
  readonly pageView?: 'page' | 'card' | 'occasion';
  /** Paused with the `sending` flag, and dated sends with `scheduledSending`: form or API. */
  readonly sendGuard?: 'form' | 'api';
  /** The largest body the route reads, in bytes; the server's limit otherwise. */
  readonly bodyLimit?: number;
  /** A JSON API: a body it is sent must be JSON. */
  readonly json?: boolean;
  /**
   * Behind the admin gate. `sign-in` is open to anyone (its form checks the token itself), `api`
   * takes a Bearer token only, `page` a Bearer token or a signed-in session.
   */
  readonly admin?: 'page' | 'api' | 'sign-in';
  /** An admin API that a site-bound API key may read too (what it may read, its guard decides). */
  readonly apiKeyReads?: boolean;
  /**
   * An admin API that a partner console session may read too, with the browser's cookie: the
   * gate lets a read with a cookie through to the route's guard, which checks the session and
   * decides which sites it may read.
   */
  readonly consoleSessionReads?: boolean;
  /**
   * An admin form that checks the origin and a form token of its own, which only the admin's
   * page can carry, and answers a refusal with a page of its own.
   */
  readonly ownFormToken?: boolean;
  /**
   * `catalog-lookup`: lookups that find nothing spend the client's miss budget.
   * `private-link`: a token or signed link; asking for ones that do not exist is guessing.
   */
  readonly rateLimit?: 'catalog-lookup' | 'private-link';
  /** Answers the same on any host (load balancer probes use bare IPs): no site is resolved. */
  readonly siteless?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /**
     * The matched route's policy, read by the edge with `routeUrl`; an empty one when the route
     * declares none or no route matched.
     */
    routePolicy: RoutePolicy;
  }
}

/** Admin bodies are forms and small JSON documents. */
const ADMIN_BODY_LIMIT = 16 * 1024;

export const ADMIN_PAGE: RoutePolicy = { admin: 'page', bodyLimit: ADMIN_BODY_LIMIT };
export const ADMIN_API: RoutePolicy = { admin: 'api', bodyLimit: ADMIN_BODY_LIMIT, json: true };
export const ADMIN_SIGN_IN: RoutePolicy = { admin: 'sign-in', bodyLimit: ADMIN_BODY_LIMIT };

/** The policy of a route that declares none. */
export const NO_POLICY: RoutePolicy = Object.freeze({});

const declared = new WeakMap<object, RoutePolicy>();

/**
 * Declares a route's policy. On a controller it applies to every handler, and a handler's own
 * `@RoutePolicy` adds to it (its fields win). Carried to Fastify as the route's `config`.
 */
export function RoutePolicy(policy: RoutePolicy): ClassDecorator & MethodDecorator {
  return (target: object, key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (key !== undefined && descriptor !== undefined) {
      declare(target, key, descriptor, { ...declaredOn(descriptor), ...policy });
      return;
    }
    // Method decorators have run by now: a handler's own policy is already there.
    const prototype = (target as { prototype: object }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const handler = Object.getOwnPropertyDescriptor(prototype, name);
      if (name === 'constructor' || typeof handler?.value !== 'function') continue;
      declare(prototype, name, handler, { ...policy, ...declaredOn(handler) });
    }
  };
}

function declaredOn(descriptor: PropertyDescriptor): RoutePolicy {
  return declared.get(descriptor.value as object) ?? NO_POLICY;
}

function declare(
  target: object,
  key: string | symbol,
  descriptor: PropertyDescriptor,
  policy: RoutePolicy,
): void {
  const frozen = Object.freeze(policy);
  declared.set(descriptor.value as object, frozen);
  RouteConfig({ policy: frozen })(target, key, descriptor);
}

/** The policy a route declares, as it is being registered. */
export function policyOf(route: RouteOptions): RoutePolicy {
  return route.config?.policy ?? NO_POLICY;
}

/**
 * Gives a route a policy while a plugin registers it (an `onRoute` hook of the plugin's own):
 * for routes a library adds, which no decorator reaches.
 */
export function applyPolicy(route: RouteOptions, policy: RoutePolicy): void {
  route.config = { ...route.config, policy };
  if (policy.bodyLimit !== undefined && route.bodyLimit === undefined) {
    route.bodyLimit = policy.bodyLimit;
  }
}

/** A send: up to 50 recipients, a 2,000-character message in multi-byte script, JSON overhead. */
export const SEND_BODY_LIMIT = 32 * 1024;
/** A change to a greeting already sent for (its message, date or zone). */
export const CHANGE_BODY_LIMIT = 16 * 1024;
/** An unsubscribe form: a choice and a token. */
export const UNSUBSCRIBE_BODY_LIMIT = 2 * 1024;
