/** Checks until `check` holds, failing once `withinMs` have passed without it. */
export async function expectSoon(
  check: () => Promise<boolean> | boolean,
  withinMs = 1000,
): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
