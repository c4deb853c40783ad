/**
 * The hands and inks a sender may write their message in. A closed, curated set: each id maps
 * to a class in the site's stylesheet (pages carry no inline styles under our CSP), fonts are
 * system stacks that need no download, and every ink keeps AA contrast on the card's paper.
 */
export const MESSAGE_FONTS = [
  { id: 'classic', label: 'Classic serif' },
  { id: 'handwritten', label: 'Handwritten' },
  { id: 'modern', label: 'Modern sans' },
  { id: 'typewriter', label: 'Typewriter' },
] as const;

export const MESSAGE_INKS = [
  { id: 'charcoal', label: 'Charcoal', hex: '#1d1b2c' },
  { id: 'navy', label: 'Navy blue', hex: '#1f3a7a' },
  { id: 'berry', label: 'Berry red', hex: '#8f1d3a' },
  { id: 'forest', label: 'Forest green', hex: '#1d5b3a' },
  { id: 'plum', label: 'Plum', hex: '#5b2a86' },
] as const;

export type MessageFont = (typeof MESSAGE_FONTS)[number]['id'];
export type MessageInk = (typeof MESSAGE_INKS)[number]['id'];

export const MESSAGE_FONT_IDS = MESSAGE_FONTS.map((f) => f.id) as [MessageFont, ...MessageFont[]];
export const MESSAGE_INK_IDS = MESSAGE_INKS.map((i) => i.id) as [MessageInk, ...MessageInk[]];

/** What a site offers; the first of each list is what a sender gets without choosing. */
export interface MessageStyleChoices {
  fonts: readonly MessageFont[];
  inks: readonly MessageInk[];
}

export const ALL_MESSAGE_STYLES: MessageStyleChoices = {
  fonts: MESSAGE_FONT_IDS,
  inks: MESSAGE_INK_IDS,
};

/** The choices as the compose form lists them. */
export function styleOptions(choices: MessageStyleChoices) {
  return {
    fonts: MESSAGE_FONTS.filter((f) => choices.fonts.includes(f.id)),
    inks: MESSAGE_INKS.filter((i) => choices.inks.includes(i.id)),
  };
}

/** The classes a page puts on the message; unknown or missing ids fall back to the site's first. */
export function messageStyleClass(
  choices: MessageStyleChoices,
  font: string | null,
  ink: string | null,
): string {
  const f = choices.fonts.find((id) => id === font) ?? choices.fonts[0] ?? 'classic';
  const i = choices.inks.find((id) => id === ink) ?? choices.inks[0] ?? 'charcoal';
  return `font-${f} ink-${i}`;
}
