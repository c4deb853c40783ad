import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { CardView } from '../catalog/catalog.service.js';
import { innerMap } from '../common/inner-map.js';

/** The two values that make a blank form personal. */
export interface FormTokens {
  idempotencyKey: string;
  csrfToken: string;
}

/** Variants kept per card: paths are a handful of spellings of one route, bounded anyway. */
const MAX_VARIANTS_PER_CARD = 8;
/** Token characters that HTML escaping leaves as they are (base64url, base36 and a dot). */
const HTML_INERT = /^[A-Za-z0-9_.-]+$/;

/**
 * The compose form as a visitor first sees it (no values, no errors, no challenge) is the same
 * for every visitor of a card but for its idempotency key and form token. It is rendered once
 * per card, path and flag value with stand-ins for those two, and each request gets a copy
 * with its own: the 12 KB form with its time-zone list and recipient fields cost 0.6 ms to
 * render, a tenth of the web process's CPU in a holiday peak where compose views are 3 % of
 * requests. Keyed by the card object, which the data cache replaces when the card changes (or
 * when its copy is re-read), so an edited card is never shown with an old form. Nothing
 * personal is ever kept: the stand-ins are random per process and are replaced before sending.
 */
@Injectable()
export class BlankComposeForms {
  private readonly keyStandIn = `k${randomBytes(12).toString('hex')}`;
  private readonly tokenStandIn = `t${randomBytes(12).toString('hex')}`;
  private readonly byCard = new WeakMap<CardView, Map<string, string>>();

  /** Stand-ins to render the shell with, in place of the real tokens. */
  get standIns(): FormTokens {
    return { idempotencyKey: this.keyStandIn, csrfToken: this.tokenStandIn };
  }

  /**
   * The page for these tokens: from the shell rendered for (card, variant) if there is one,
   * else `render(standIns)` becomes the shell. Tokens that escaping would change are rendered
   * directly instead (they never are: both are made by our own code).
   */
  page(
    card: CardView,
    variant: string,
    tokens: FormTokens,
    render: (tokens: FormTokens) => string,
  ): string {
    if (!HTML_INERT.test(tokens.idempotencyKey) || !HTML_INERT.test(tokens.csrfToken)) {
      return render(tokens);
    }
    const shells = innerMap(this.byCard, card);
    let shell = shells.get(variant);
    if (shell === undefined) {
      if (shells.size >= MAX_VARIANTS_PER_CARD) return render(tokens);
      shell = render(this.standIns);
      // A shell must hold each stand-in exactly once, or it cannot be filled safely.
      if (count(shell, this.keyStandIn) !== 1 || count(shell, this.tokenStandIn) !== 1) {
        return render(tokens);
      }
      shells.set(variant, shell);
    }
    return shell
      .replace(this.keyStandIn, tokens.idempotencyKey)
      .replace(this.tokenStandIn, tokens.csrfToken);
  }
}

function count(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + part.length)) n++;
  return n;
}
