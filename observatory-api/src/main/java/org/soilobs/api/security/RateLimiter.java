package org.soilobs.api.security;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A token bucket per client: {@code burst} requests at once, then {@code perSecond} on average. A
 * request costs one map look-up and an uncontended lock, so even a poll answered 304 can afford it.
 *
 * <p>Buckets of clients that went quiet are dropped by {@link #forgetIdle()} (a full bucket and no
 * bucket behave the same), so memory follows the clients of the last minutes, not every client ever.
 */
public final class RateLimiter {

    private final double tokensPerNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perSecond, int burst, LongSupplier nanoTime) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("a rate limit needs a positive rate and burst, was " + perSecond + "/s, "
                    + burst);
        }
        this.tokensPerNano = perSecond / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one token from {@code client}'s bucket: 0 when the request may go on, otherwise how many
     * nanoseconds until the next token, the client's {@code Retry-After}.
     */
    public long acquire(String client) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.get(client);
        if (bucket == null) {
            bucket = buckets.computeIfAbsent(client, key -> new Bucket(burst, now));
        }
        return bucket.take(now, tokensPerNano, burst);
    }

    /** Drops the buckets that have filled up again: their clients are idle, and start anew full. */
    public void forgetIdle() {
        long now = nanoTime.getAsLong();
        buckets.values().removeIf(bucket -> bucket.full(now, tokensPerNano, burst));
    }

    /** How many clients are tracked now. */
    public int clients() {
        return buckets.size();
    }

    /** Whole seconds to wait, rounded up, at least 1: what {@code Retry-After} carries. */
    public static long retryAfterSeconds(long waitNanos) {
        return Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
    }

    private static final class Bucket {
        private double tokens;
        private long stamp;

        Bucket(double tokens, long stamp) {
            this.tokens = tokens;
            this.stamp = stamp;
        }

        synchronized long take(long now, double tokensPerNano, double burst) {
            refill(now, tokensPerNano, burst);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / tokensPerNano));
        }

        synchronized boolean full(long now, double tokensPerNano, double burst) {
            refill(now, tokensPerNano, burst);
            return tokens >= burst;
        }

        private void refill(long now, double tokensPerNano, double burst) {
            if (now > stamp) {
                tokens = Math.min(burst, tokens + (now - stamp) * tokensPerNano);
                stamp = now;
            }
        }
    }
}
