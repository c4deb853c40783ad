import type { FieldError } from '../common/domain-errors.js';

/** RFC 9457 problem details, the one error shape of the JSON API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

export function problem(status: number, title: string, extra: Partial<Problem> = {}): Problem {
  return { type: 'about:blank', title, status, ...extra };
}
