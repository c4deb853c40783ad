import { MailSendError } from './outgoing-mail.js';

/** Local or network conditions that a later attempt can get past. */
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EPROTOCOL',
]);

interface SmtpLikeError {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
}

/**
 * Sorts a nodemailer error into transient (4xx replies, connection trouble: retry later) and
 * permanent (5xx replies: the server refused this message or address for good). Anything we
 * cannot classify is treated as transient, since giving up on a card is the worse mistake.
 */
export function classifySmtpError(error: unknown): MailSendError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SmtpLikeError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text = (e.response ?? e.message ?? String(error)).slice(0, 400);
  if (code !== null && code >= 500 && code < 600) {
    return new MailSendError(`${code} ${text}`, 'permanent', code);
  }
  if (code !== null && code >= 400 && code < 500) {
    return new MailSendError(`${code} ${text}`, 'transient', code);
  }
  const known = e.code !== undefined && TRANSIENT_CODES.has(e.code);
  return new MailSendError(`${known ? e.code : (e.code ?? 'error')}: ${text}`, 'transient', code);
}
