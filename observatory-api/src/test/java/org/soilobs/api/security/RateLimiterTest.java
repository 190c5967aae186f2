package org.soilobs.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void letsTheBurstThroughThenRefusesUntilATokenRefills() {
        RateLimiter limiter = new RateLimiter(10, 3, now::get);

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        long wait = limiter.acquire("a");
        assertThat(wait).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));

        now.addAndGet(wait);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void keepsOneBucketPerClient() {
        RateLimiter limiter = new RateLimiter(1, 1, now::get);

        assertThat(limiter.acquire("10.0.0.1")).isZero();
        assertThat(limiter.acquire("10.0.0.1")).isPositive();
        assertThat(limiter.acquire("10.0.0.2")).isZero();
    }

    @Test
    void neverHoldsMoreThanTheBurstAfterALongPause() {
        RateLimiter limiter = new RateLimiter(100, 2, now::get);
        limiter.acquire("a");
        now.addAndGet(TimeUnit.HOURS.toNanos(1));

        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void forgetsClientsWhoseBucketFilledUpAgain() {
        RateLimiter limiter = new RateLimiter(1, 2, now::get);
        limiter.acquire("idle");
        limiter.acquire("busy");
        limiter.acquire("busy");
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1_500));

        limiter.forgetIdle();

        assertThat(limiter.clients()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} ns -> {1} s")
    @CsvSource({"1, 1", "999999999, 1", "1000000000, 1", "1000000001, 2", "2500000000, 3"})
    void roundsTheRetryUpToWholeSeconds(long nanos, long seconds) {
        assertThat(RateLimiter.retryAfterSeconds(nanos)).isEqualTo(seconds);
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> new RateLimiter(0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
