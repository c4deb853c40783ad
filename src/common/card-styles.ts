/** How a card's artwork looks, as the search page's style filter offers it. */
export const CARD_STYLES = ['pastel', 'bold', 'evening'] as const;

export type CardStyle = (typeof CARD_STYLES)[number];

export const CARD_STYLE_NAMES: Readonly<Record<CardStyle, string>> = {
  pastel: 'Soft pastels',
  bold: 'Bright and bold',
  evening: 'Evening colours',
};

export function isCardStyle(value: string): value is CardStyle {
  return (CARD_STYLES as readonly string[]).includes(value);
}
