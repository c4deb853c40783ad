import { createHash, createVerify } from 'node:crypto';

export interface DkimCheck {
  tags: Map<string, string>;
  /** The body hash recomputed here equals the signature's `bh=`. */
  bodyHashMatches: boolean;
  /** The RSA-SHA256 signature `b=` verifies with the public key over the signed headers. */
  signatureValid: boolean;
}

/**
 * Checks the DKIM-Signature of a raw message as a receiver would (RFC 6376, relaxed/relaxed,
 * rsa-sha256), written from the RFC rather than from the signer's code so the two cannot share
 * a mistake. The public key stands in for the DNS record.
 */
export function checkDkim(raw: string, publicKeyPem: string): DkimCheck {
  const split = raw.indexOf('\r\n\r\n');
  const headerBlock = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const fields = headerBlock.split(/\r\n(?![ \t])/).map((field) => {
    const colon = field.indexOf(':');
    return { name: field.slice(0, colon).trim().toLowerCase(), field };
  });
  const signature = fields.find((f) => f.name === 'dkim-signature');
  if (!signature) throw new Error('no DKIM-Signature header');
  const value = signature.field.slice(signature.field.indexOf(':') + 1);
  const tags = new Map(
    value
      .replace(/\r\n/g, '')
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => [
        t.slice(0, t.indexOf('=')).trim(),
        t.slice(t.indexOf('=') + 1).replace(/\s+/g, ''),
      ]),
  );

  const bodyHash = createHash('sha256').update(relaxedBody(body), 'utf8').digest('base64');

  // For each name in h=, the last not yet used instance, bottom up (RFC 6376 5.4.2).
  const used = new Set<number>();
  let signed = '';
  for (const name of (tags.get('h') ?? '').split(':').map((n) => n.trim().toLowerCase())) {
    for (let i = fields.length - 1; i >= 0; i--) {
      if (fields[i]?.name === name && !used.has(i)) {
        used.add(i);
        signed += `${relaxedHeader(fields[i]?.field ?? '')}\r\n`;
        break;
      }
    }
  }
  // The signature header itself, with the b= value emptied and no trailing CRLF.
  signed += relaxedHeader(signature.field.replace(/(^|;)([ \t\r\n]*b[ \t]*=)[^;]*/, '$1$2'));
  const verifier = createVerify('RSA-SHA256');
  verifier.update(signed, 'utf8');
  return {
    tags,
    bodyHashMatches: bodyHash === tags.get('bh'),
    signatureValid: verifier.verify(publicKeyPem, tags.get('b') ?? '', 'base64'),
  };
}

function relaxedHeader(field: string): string {
  const colon = field.indexOf(':');
  const name = field.slice(0, colon).trim().toLowerCase();
  const value = field
    .slice(colon + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`;
}
