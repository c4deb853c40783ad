import type { FastifyInstance, RouteOptions } from 'fastify';

type RouteHookName = 'preValidation' | 'preHandler' | 'onSend';

/**
 * Adds a hook to the routes it concerns only, as they are registered (Nest registers its
 * routes at init, after this is called). A hook added to the whole server is a step of every
 * request's hook runner, page-cache hits included; most of the platform's hooks concern a few
 * routes.
 */
export function addRouteHook<K extends RouteHookName>(
  fastify: FastifyInstance,
  name: K,
  concerns: (route: RouteOptions) => boolean,
  hook: NonNullable<RouteOptions[K]> extends infer H
    ? H extends readonly unknown[]
      ? H[number]
      : H
    : never,
): void {
  fastify.addHook('onRoute', (route) => {
    if (!concerns(route)) return;
    const existing = route[name] as unknown;
    const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    (route as Record<RouteHookName, unknown>)[name] = [...(hooks as unknown[]), hook];
  });
}

/** Whether a route answers any method that carries a body. */
export function takesBody(route: RouteOptions): boolean {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  return methods.some((m) => m !== 'GET' && m !== 'HEAD' && m !== 'OPTIONS');
}
