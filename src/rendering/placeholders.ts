const PLACEHOLDER = /\{([a-zA-Z][a-zA-Z0-9]{0,39})\}/g;

/**
 * Replaces `{name}` placeholders in stored text (card verses, email copy) with site variables.
 * A plain replacement on purpose: stored or user text is never compiled as a template, since
 * nunjucks can run code. Unknown placeholders are left as written.
 */
export function substitutePlaceholders(
  text: string,
  vars: Readonly<Record<string, string>>,
): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? (vars[name] as string) : whole,
  );
}
