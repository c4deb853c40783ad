/** Domain failures carry a code; one exception filter per surface maps codes to responses. */
export type DomainErrorCode =
  | 'not_found'
  | 'validation_failed'
  | 'idempotency_conflict'
  | 'service_unavailable'
  | 'nothing_changed';

export interface FieldError {
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
}

export class NotFoundError extends DomainError {
  readonly code = 'not_found';
  constructor(readonly what: 'card' | 'occasion' | 'pickup' | 'greeting' | 'page') {
    super(`${what} not found`);
    this.name = 'NotFoundError';
  }
}

export class ValidationFailed extends DomainError {
  readonly code = 'validation_failed';
  constructor(readonly errors: FieldError[]) {
    super(`invalid input: ${errors.map((e) => e.field).join(', ')}`);
    this.name = 'ValidationFailed';
  }
}

export class IdempotencyConflict extends DomainError {
  readonly code = 'idempotency_conflict';
  constructor() {
    super('this idempotency key was already used for a different greeting');
    this.name = 'IdempotencyConflict';
  }
}

export class ServiceUnavailable extends DomainError {
  readonly code = 'service_unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 60,
  ) {
    super(message);
    this.name = 'ServiceUnavailable';
  }
}

/** A request refused before it changed anything; the message tells the person what to do. */
export abstract class NothingChanged extends DomainError {
  readonly code = 'nothing_changed';
}
