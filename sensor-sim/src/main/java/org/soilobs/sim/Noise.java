package org.soilobs.sim;

import java.nio.charset.StandardCharsets;

/**
 * Counter-based pseudo-random numbers: each value is a pure function of its key, so a reading's noise
 * depends on nothing but (seed, field, quantity, time) — not on how many values were drawn before it.
 * The mixer is SplitMix64's finaliser; {@link StrictMath} keeps results identical on every JVM and CPU.
 */
final class Noise {

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final double UNIT = 0x1.0p-53;

    private Noise() {
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A key from several parts; the order of the parts matters. */
    static long key(long... parts) {
        long h = GOLDEN;
        for (long part : parts) {
            h = mix(h + GOLDEN + part);
        }
        return h;
    }

    /** A stable 64-bit hash of a string (FNV-1a over its UTF-8 bytes). */
    static long hash(String text) {
        long h = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return h;
    }

    /** Uniform in [0, 1). */
    static double uniform(long key) {
        return (mix(key) >>> 11) * UNIT;
    }

    /** Standard normal (Box–Muller over two derived uniforms). */
    static double gaussian(long key) {
        double u1 = 1.0 - uniform(key);
        double u2 = uniform(key + GOLDEN);
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
    }

    private static final double[] SCALES = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};

    static double round(double value, int decimals) {
        double scale = decimals >= 0 && decimals < SCALES.length ? SCALES[decimals] : StrictMath.pow(10, decimals);
        return StrictMath.rint(value * scale) / scale;
    }
}
