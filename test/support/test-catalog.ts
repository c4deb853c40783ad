/**
 * Generated cards besides the hand-written ones in a test database: enough for occasions of
 * several pages (the biggest has five) and searches of several, as a real site's catalog has,
 * few enough to seed in well under a second.
 */
export const TEST_GENERATED_CARDS = 150;
