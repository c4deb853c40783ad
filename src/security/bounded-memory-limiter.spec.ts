import { RateLimiterRes } from 'rate-limiter-flexible';
import { BoundedMemoryLimiter } from './bounded-memory-limiter.js';

describe('the rate limits counted in memory while Redis is away', () => {
  it('holds no more keys than its cap however many distinct clients it counts', async () => {
    const limiter = new BoundedMemoryLimiter(
      { keyPrefix: 'ip-sends', points: 3, duration: 3600 },
      500,
    );
    for (let i = 0; i < 20_000; i++) await limiter.consume(`2001:db8:${i.toString(16)}::1`);
    expect(limiter.keysHeld).toBe(500);
  });

  it('still refuses a client past its points, and counts each key on its own', async () => {
    const limiter = new BoundedMemoryLimiter({ keyPrefix: 'ip-sends', points: 2, duration: 3600 });
    await limiter.consume('203.0.113.7');
    await limiter.consume('203.0.113.7');
    const refused: unknown = await limiter.consume('203.0.113.7').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RateLimiterRes);
    expect((refused as RateLimiterRes).consumedPoints).toBe(3);
    expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(3_500_000);
    await expect(limiter.consume('203.0.113.8')).resolves.toMatchObject({ consumedPoints: 1 });
    await limiter.reward('203.0.113.7', 2);
    await expect(limiter.get('203.0.113.7')).resolves.toMatchObject({ consumedPoints: 1 });
  });
});
