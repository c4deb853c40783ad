import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';

/** What a report says happened to our email, in the terms the suppression rules need. */
export type BounceKind = 'hard' | 'soft' | 'complaint';

export interface BounceReport {
  kind: BounceKind;
  /** The DSN's enhanced status code (`5.1.1`), or the feedback type (`abuse`). */
  code: string | null;
  /**
   * What makes this report itself: its Message-ID, else a hash of its machine-readable part.
   * The same for a replay of the same report, different for the next one.
   */
  identity: string;
}

/** One block of `Name: value` fields (RFC 3464's per-message and per-recipient fields). */
export type FieldBlock = Map<string, string>;

/** `Name: value` lines in blank-line separated blocks, folded lines joined, names lower-cased. */
export function fieldBlocks(text: string): FieldBlock[] {
  const blocks: FieldBlock[] = [];
  let current: FieldBlock = new Map();
  let last: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.size > 0) blocks.push(current);
      current = new Map();
      last = null;
    } else if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last) ?? ''} ${line.trim()}`);
    } else {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      last = line.slice(0, colon).trim().toLowerCase();
      current.set(last, line.slice(colon + 1).trim());
    }
  }
  if (current.size > 0) blocks.push(current);
  return blocks;
}

/**
 * The worst outcome among a DSN's per-recipient blocks: a permanent failure (Action failed,
 * Status 5.x.x) is a hard bounce; a temporary failure (4.x.x) or a delay is a soft one;
 * delivered, relayed and expanded are no bounce at all.
 */
export function deliveryStatusOutcome(
  blocks: FieldBlock[],
): { kind: 'hard' | 'soft'; code: string | null } | null {
  let soft: { kind: 'soft'; code: string | null } | null = null;
  for (const block of blocks) {
    const action = block.get('action')?.toLowerCase();
    if (!action) continue;
    const code = /\b([245])\.\d{1,3}\.\d{1,3}\b/.exec(block.get('status') ?? '');
    if (action === 'failed' && code?.[1] === '5') return { kind: 'hard', code: code[0] };
    if (action === 'failed' || action === 'delayed')
      soft ??= { kind: 'soft', code: code?.[0] ?? null };
  }
  return soft;
}

/** Feedback types that mean "the reader did not want this" (RFC 5965 section 7.3). */
const COMPLAINT_TYPES = new Set(['abuse', 'fraud', 'virus', 'other']);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Reads a delivery status notification (RFC 3464, `multipart/report;
 * report-type=delivery-status`) or a feedback-loop report (ARF, RFC 5965, `report-type=
 * feedback-report`). Anything else, and a DSN that reports a success, is null: an
 * auto-reply or a human's answer is no bounce.
 */
export async function readBounceReport(raw: Buffer): Promise<BounceReport | null> {
  const mail = await simpleParser(raw, {
    // Kept as a part of its own instead of merged into the text body.
    keepDeliveryStatus: true,
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipImageLinks: true,
    skipTextLinks: true,
  });
  const type = mail.headers.get('content-type') as
    { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value?.toLowerCase() !== 'multipart/report') return null;
  const reportType = type.params?.['report-type']?.toLowerCase();
  const part = (contentType: string) =>
    mail.attachments.find((a) => a.contentType.toLowerCase() === contentType);
  const identityOf = (machinePart: string) =>
    mail.messageId ? `id:${mail.messageId}` : `part:${sha256(machinePart)}`;

  if (reportType === 'delivery-status') {
    const status = part('message/delivery-status') ?? part('message/global-delivery-status');
    if (!status) return null;
    const text = status.content.toString('utf8');
    const outcome = deliveryStatusOutcome(fieldBlocks(text));
    return outcome ? { ...outcome, identity: identityOf(text) } : null;
  }
  if (reportType === 'feedback-report') {
    const feedback = part('message/feedback-report');
    if (!feedback) return null;
    const text = feedback.content.toString('utf8');
    const feedbackType = fieldBlocks(text)[0]?.get('feedback-type')?.toLowerCase() ?? '';
    if (!COMPLAINT_TYPES.has(feedbackType)) return null;
    return { kind: 'complaint', code: feedbackType, identity: identityOf(text) };
  }
  return null;
}
