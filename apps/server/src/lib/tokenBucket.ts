/**
 * Per-key token buckets: `burst` tokens at most, refilled at `perSecond`. Generous for a person
 * typing, tight for a flood. Idle buckets are forgotten on the next sweep.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  tryTake(key: string): boolean {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedAt: at };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((at - bucket.updatedAt) / 1000) * this.perSecond);
    bucket.updatedAt = at;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    if (this.buckets.size > 10_000) this.sweep(at);
    return allowed;
  }

  private sweep(at: number): void {
    const fullAfterMs = (this.burst / this.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) {
      if (at - bucket.updatedAt > fullAfterMs) this.buckets.delete(key);
    }
  }
}
