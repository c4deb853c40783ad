import { ClsServiceManager } from 'nestjs-cls';

declare module 'nestjs-cls' {
  interface ClsStore {
    requestId?: string;
    site?: string;
  }
}

/**
 * The request a piece of work was caused by, and its site. It travels with the work: through
 * every await of the request (AsyncLocalStorage, by nestjs-cls), onto the outbox rows and into
 * the jobs the request enqueues, so one id finds a send from the click to the SMTP reply.
 */
export interface RequestOrigin {
  requestId: string;
  site: string;
}

/**
 * nestjs-cls's one process-wide service, used outside Nest's DI: the logger exists before Nest
 * does, and the hook and the job runner are plain functions. Importing `ClsModule` would make
 * the same service injectable, should a provider ever need more than `currentOrigin()`.
 */
const cls = ClsServiceManager.getClsService();

/** Runs `work`, and everything it awaits or schedules, as part of `origin`. */
export function runAs<T>(origin: RequestOrigin, work: () => T): T {
  return cls.runWith({ requestId: origin.requestId, site: origin.site }, work);
}

/** Runs `work` outside any request: for work shared by many requests, such as a batch write. */
export function runOutsideRequests<T>(work: () => T): T {
  return cls.exit(work);
}

/** The origin of the running work, or null outside a request or a job a request caused. */
export function currentOrigin(): RequestOrigin | null {
  const store = cls.get();
  const requestId = store?.requestId;
  return requestId === undefined ? null : { requestId, site: store?.site ?? '-' };
}

const NO_FIELDS = Object.freeze({});

/**
 * pino's `mixin`: the current request id and site on every line logged inside the work. A
 * line outside any request gets nothing and allocates nothing.
 */
export function originLogFields(): object {
  const store = cls.get();
  const requestId = store?.requestId;
  return requestId === undefined ? NO_FIELDS : { requestId, site: store?.site };
}

/** pino's `mixinMergeStrategy` for `originLogFields`: the line's own fields win. */
export function mergeOriginLogFields(line: object, fields: object): object {
  return fields === NO_FIELDS ? line : Object.assign(fields, line);
}
