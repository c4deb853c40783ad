import type { Motif } from './card-artwork.js';

/** What a generated card of one occasion may show and say. */
export interface OccasionWords {
  motifs: readonly Motif[];
  /** What the card pictures, title-cased: "Balloons", "Birthday Cake". */
  subjects: readonly string[];
  /** First lines of the verse. */
  openers: readonly string[];
  /** Last lines of the verse. */
  closers: readonly string[];
}

/** Words that suit any card's title: "Golden Balloons", "Balloons at Dawn". */
export const TITLE_ADJECTIVES = [
  'Golden',
  'Gentle',
  'Bright',
  'Little',
  'Sunny',
  'Starlit',
  'Cosy',
  'Joyful',
  'Quiet',
  'Happy',
  'Velvet',
  'Silver',
  'Painted',
  'Dreamy',
  'Merry',
  'Sparkling',
  'Whimsical',
  'Rosy',
  'Breezy',
  'Radiant',
] as const;

export const TITLE_ENDINGS = [
  'at Dawn',
  'in Bloom',
  'by Moonlight',
  'for You',
  'and Wishes',
  'in the Garden',
  'After Rain',
  'on the Hill',
  'by the Sea',
  'at Dusk',
  'in Pastel',
  'Galore',
] as const;

/** How a description pictures the scene: "A gentle card of balloons <scene>." */
export const SCENES = [
  'drifting across a soft pastel sky',
  'framed by a ribbon of tiny stars',
  'glowing against a warm evening wash',
  'scattered over a hand-painted background',
  'set beneath a sweep of morning light',
  'arranged in a cheerful, bold pattern',
] as const;

/** One verse line in six names the site: never followed by a full stop (see demo-catalog). */
export const BRANDED_CLOSERS = [
  'Warm wishes from all of us at {brandName}',
  'Sent with a smile through {brandName}',
] as const;

export const OCCASION_WORDS: Readonly<Record<string, OccasionWords>> = {
  birthday: {
    motifs: ['balloons', 'cake', 'confetti', 'gift', 'sun'],
    subjects: ['Balloons', 'Birthday Cake', 'Party Hats', 'Candles', 'Streamers', 'Presents'],
    openers: [
      'Another trip around the sun!',
      'Make a wish and make it big.',
      'Here is to you, today and always.',
      'Cake first, questions later.',
    ],
    closers: ['Have the happiest of birthdays.', 'Celebrate loudly!', 'Enjoy every minute.'],
  },
  'thank-you': {
    motifs: ['flowers', 'sun', 'leaves', 'hearts'],
    subjects: ['Thank-You Posies', 'Sunflowers', 'Teacups', 'Bouquet', 'Paper Hearts'],
    openers: [
      'You made all the difference.',
      'Thank you, truly.',
      'Your kindness did not go unnoticed.',
    ],
    closers: ['With heartfelt thanks.', 'I owe you one!', 'Grateful for you.'],
  },
  congratulations: {
    motifs: ['confetti', 'stars', 'fireworks', 'balloons'],
    subjects: ['Confetti', 'Gold Stars', 'Champagne', 'Trophy', 'Rosettes'],
    openers: ['You did it!', 'Well done, you.', 'What an achievement.'],
    closers: ['So proud of you.', 'On to the next adventure!', 'Enjoy the moment.'],
  },
  'get-well': {
    motifs: ['sun', 'flowers', 'waves'],
    subjects: ['Sunshine', 'Tulips', 'Warm Soup', 'Blankets', 'Daisies'],
    openers: ['Sending sunshine your way.', 'Rest up and feel better.', 'Thinking of you.'],
    closers: ['Get well soon.', 'Here whenever you need.', 'Take it one day at a time.'],
  },
  'thinking-of-you': {
    motifs: ['moon', 'flowers', 'leaves', 'waves'],
    subjects: ['Moonrise', 'Wildflowers', 'Falling Leaves', 'Lanterns', 'Soft Tide'],
    openers: ['Just because.', 'You are on my mind.', 'Wishing you a gentle day.'],
    closers: ['Always here for you.', 'With love.', 'Take good care.'],
  },
  anniversary: {
    motifs: ['rings', 'hearts', 'flowers', 'stars'],
    subjects: ['Two Rings', 'Roses', 'Love Letters', 'Candlelight', 'Dance Steps'],
    openers: ['Here is to the two of you.', 'Another year, still side by side.'],
    closers: ['Happy anniversary.', 'To many more.', 'Love grows on.'],
  },
  wedding: {
    motifs: ['rings', 'flowers', 'hearts'],
    subjects: ['Wedding Bells', 'Bridal Blooms', 'Vows', 'First Dance', 'Garlands'],
    openers: ['Two hearts, one adventure.', 'What a beautiful day.'],
    closers: ['Wishing you a lifetime of joy.', 'Congratulations to you both.'],
  },
  'new-baby': {
    motifs: ['moon', 'stars', 'balloons'],
    subjects: ['Little Stars', 'Cradle Moon', 'Tiny Socks', 'Lullaby', 'Teddy Bear'],
    openers: ['Welcome to the world, little one.', 'A tiny miracle has arrived.'],
    closers: ['Sweet dreams to all of you.', 'Congratulations on your bundle of joy.'],
  },
  valentines: {
    motifs: ['hearts', 'flowers', 'moon'],
    subjects: ['Hearts', 'Red Roses', 'Love Notes', 'Cupid', 'Sweethearts'],
    openers: ['Be mine?', 'You have my heart.', 'Every day with you is a gift.'],
    closers: ["Happy Valentine's Day.", 'All my love.', 'Yours, always.'],
  },
  thanksgiving: {
    motifs: ['leaves', 'pumpkin', 'sun'],
    subjects: ['Harvest Table', 'Pumpkins', 'Autumn Leaves', 'Pie', 'Cornucopia'],
    openers: ['Grateful for you this season.', 'Pull up a chair.'],
    closers: ['Happy Thanksgiving.', 'May your table be full.'],
  },
  christmas: {
    motifs: ['tree', 'snowflakes', 'gift', 'stars'],
    subjects: ['Christmas Tree', 'Snowflakes', 'Stockings', 'Reindeer', 'Mistletoe', 'Baubles'],
    openers: ['Merry Christmas!', 'Peace and joy this season.', 'Let it snow.'],
    closers: ['Warmest wishes for the holidays.', 'See you in the new year.'],
  },
  'new-year': {
    motifs: ['fireworks', 'stars', 'confetti', 'moon'],
    subjects: ['Fireworks', 'Midnight Toast', 'Countdown', 'Sparklers', 'Clock Tower'],
    openers: ['Out with the old, in with the new.', 'Here is to a fresh start.'],
    closers: ['Happy New Year!', 'May it be your best yet.'],
  },
};
