package org.soilobs.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Seeded random inputs for property tests, and the loop that runs a property over them.
 *
 * <p>Each property has a fixed base seed, so every run checks the same inputs and a failure on CI is a
 * failure on a laptop. Try {@code i} draws from a {@link SplittableRandom} of its own, seeded from the
 * base seed and {@code i}: a failure names that seed, and
 * {@code mvn -pl ingest test -Dtest='SomeTest#someProperty' -Dsoilobs.property.seed=<seed>} replays
 * exactly that input, alone. Nothing is shrunk; the generators keep inputs small enough to read.
 *
 * <p>Sizes and numbers lean towards their edges (empty, one, the maximum, zero, the extremes), where
 * parsers and validators break, and are uniform otherwise.
 */
public final class Generators {

    /** Replays one seed instead of a property's tries. */
    public static final String SEED_PROPERTY = "soilobs.property.seed";

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Generators() {
    }

    /** One try of a property: draws its input from {@code random} and checks it. */
    @FunctionalInterface
    public interface Try {
        void check(SplittableRandom random) throws Exception;
    }

    /**
     * Checks a property on {@code tries} inputs, try {@code i} seeded with {@link #trySeed trySeed(baseSeed,
     * i)}; or, when {@value #SEED_PROPERTY} is set, on the one input of that seed.
     *
     * @throws AssertionError naming the try and its seed, caused by what the try threw
     */
    public static void forAll(long baseSeed, int tries, Try property) {
        String replay = System.getProperty(SEED_PROPERTY);
        if (replay != null && !replay.isBlank()) {
            run(property, parseSeed(replay), "the replayed try");
            return;
        }
        for (int i = 0; i < tries; i++) {
            run(property, trySeed(baseSeed, i), "try " + (i + 1) + " of " + tries);
        }
    }

    private static void run(Try property, long seed, String which) {
        try {
            property.check(new SplittableRandom(seed));
        } catch (Exception | AssertionError | StackOverflowError e) {
            String shown = formatSeed(seed);
            throw new AssertionError(which + " failed (seed " + shown + "; replay it alone with -D" + SEED_PROPERTY
                    + "=" + shown + "): " + e, e);
        }
    }

    /** The seed of try {@code index} (from 0): SplitMix64's mixing of the base seed's {@code index+1}-th step. */
    public static long trySeed(long baseSeed, int index) {
        long z = baseSeed + (index + 1L) * GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static String formatSeed(long seed) {
        return String.format("0x%016x", seed);
    }

    static long parseSeed(String text) {
        String trimmed = text.trim();
        if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
            return Long.parseUnsignedLong(trimmed.substring(2), 16);
        }
        return Long.parseLong(trimmed);
    }

    /** True with probability 1/{@code n}. */
    public static boolean oneIn(SplittableRandom random, int n) {
        return random.nextInt(n) == 0;
    }

    /** A size in {@code 0..max}: 0 or {@code max} one time in ten each, small one time in five. */
    public static int size(SplittableRandom random, int max) {
        return switch (random.nextInt(10)) {
            case 0 -> 0;
            case 1 -> max;
            case 2, 3 -> random.nextInt(Math.min(max, 4) + 1);
            default -> random.nextInt(max + 1);
        };
    }

    /** An int in {@code min..max}, either bound one time in ten each. */
    public static int between(SplittableRandom random, int min, int max) {
        return (int) between(random, (long) min, max);
    }

    /** A long in {@code min..max}, either bound one time in ten each. */
    public static long between(SplittableRandom random, long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException(min + " > " + max);
        }
        return switch (random.nextInt(10)) {
            case 0 -> min;
            case 1 -> max;
            default -> {
                if (max < Long.MAX_VALUE) {
                    yield random.nextLong(min, max + 1);
                }
                if (min > Long.MIN_VALUE) {
                    yield random.nextLong(min - 1, max) + 1;
                }
                yield random.nextLong();
            }
        };
    }

    /** Any int, the edges (0, ±1, MIN, MAX) one time in four. */
    public static int anyInt(SplittableRandom random) {
        return oneIn(random, 4) ? pick(random, 0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE) : random.nextInt();
    }

    /** Any long, the edges (0, ±1, MIN, MAX) one time in four. */
    public static long anyLong(SplittableRandom random) {
        return oneIn(random, 4) ? pick(random, 0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE) : random.nextLong();
    }

    /**
     * Any double: an edge (zeros, ±1, the smallest and largest, NaN, the infinities), an arbitrary bit
     * pattern, or an ordinary number of any magnitude.
     */
    public static double anyDouble(SplittableRandom random) {
        return switch (random.nextInt(3)) {
            case 0 -> pick(random, 0.0, -0.0, 1.0, -1.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
                    Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY);
            case 1 -> Double.longBitsToDouble(random.nextLong());
            default -> (random.nextDouble() * 2 - 1) * Math.pow(10, random.nextInt(-10, 11));
        };
    }

    /** Any decimal, from far below to far above what a double holds. */
    public static BigDecimal anyBigDecimal(SplittableRandom random) {
        return BigDecimal.valueOf(anyLong(random), random.nextInt(-400, 401));
    }

    /** Up to {@code maxLength} random bytes. */
    public static byte[] bytes(SplittableRandom random, int maxLength) {
        byte[] bytes = new byte[size(random, maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * Up to {@code maxLength} chars of any text: ASCII (printable and control), the rest of the basic
     * plane, supplementary code points (surrogate pairs) and lone surrogates.
     */
    public static String text(SplittableRandom random, int maxLength) {
        int length = size(random, maxLength);
        StringBuilder text = new StringBuilder(length);
        while (text.length() < length) {
            int kind = random.nextInt(20);
            if (kind < 10) {
                text.append((char) random.nextInt(0x20, 0x7F));
            } else if (kind < 12) {
                text.append((char) (oneIn(random, 8) ? 0x7F : random.nextInt(0x20)));
            } else if (kind < 17) {
                int c = random.nextInt(0x80, 0x10000 - 0x800);
                text.append((char) (c >= 0xD800 ? c + 0x800 : c));
            } else if (kind < 19 && text.length() + 2 <= length) {
                text.appendCodePoint(random.nextInt(0x10000, 0x110000));
            } else {
                text.append((char) random.nextInt(0xD800, 0xE000));
            }
        }
        return text.toString();
    }

    /** Up to {@code maxLength} chars, each one of {@code alphabet}. */
    public static String text(SplittableRandom random, int maxLength, String alphabet) {
        int length = size(random, maxLength);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Up to {@code maxSize} elements, each drawn by {@code element}. */
    public static <T> List<T> listOf(SplittableRandom random, int maxSize, Function<SplittableRandom, T> element) {
        int size = size(random, maxSize);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }

    public static <T> T pick(SplittableRandom random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    @SafeVarargs
    public static <T> T pick(SplittableRandom random, T... values) {
        return values[random.nextInt(values.length)];
    }

    public static <E extends Enum<E>> E pick(SplittableRandom random, Class<E> type) {
        return pick(random, type.getEnumConstants());
    }
}
