import type { FieldError } from '../common/domain-errors.js';

/** A change the rules or the data refused, with a message per field; nothing was written. */
export class ConsoleRefusal extends Error {
  constructor(
    readonly problems: readonly FieldError[],
    /** 403 when the person may not do it at all, 400/409 when what they typed cannot be. */
    readonly status: 400 | 403 | 404 | 409 = 400,
  ) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
    this.name = 'ConsoleRefusal';
  }
}
