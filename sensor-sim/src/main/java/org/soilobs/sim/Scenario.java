package org.soilobs.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.soilobs.model.Quantity;

/**
 * A fixed, seeded set of readings for tests: every sensor of a fleet every {@code step} over
 * [{@code from}, {@code to}), a seeded fraction of them made invalid in one of the ways ingest must
 * reject per reading, grouped per gateway into messages of at most {@value #MAX_BATCH} readings with
 * increasing sequence numbers from 1.
 *
 * <p>The same fleet, seed and arguments give byte-identical batches. Faults:
 * <ul>
 *   <li>{@code value_out_of_range}: a value outside the quantity's hard bounds (vwc 1.7, ph 14.2,
 *       soil_temperature 75, …);</li>
 *   <li>{@code unknown_quantity}: {@code "quantity":"moonlight"} in lux;</li>
 *   <li>{@code unknown_sensor}: a probe the registry never heard of ({@code <field>-p9}), on the
 *       field's own gateway.</li>
 * </ul>
 * Batches come gateway by gateway within each round of messages, so a gateway's messages go out in
 * sequence order.
 */
public final class Scenario {

    public static final int MAX_BATCH = 50;
    public static final String UNKNOWN_QUANTITY = "moonlight";
    public static final String UNKNOWN_QUANTITY_UNIT = "lx";
    public static final String UNKNOWN_PROBE_SUFFIX = "-p9";

    private final List<CanonicalBatch> batches;
    private final List<PublishedReading> readings;

    private Scenario(List<CanonicalBatch> batches, List<PublishedReading> readings) {
        this.batches = Collections.unmodifiableList(batches);
        this.readings = Collections.unmodifiableList(readings);
    }

    /**
     * @param invalidFraction the probability, 0..1, that a reading is made invalid
     * @throws IllegalArgumentException for an empty or inverted interval, a non-positive step or a
     *     fraction outside 0..1
     */
    public static Scenario fixed(Fleet fleet, long seed, Instant from, Instant to, Duration step,
            double invalidFraction) {
        Objects.requireNonNull(fleet, "fleet");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from " + from + " must be before to " + to);
        }
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        if (!(invalidFraction >= 0 && invalidFraction <= 1)) {
            throw new IllegalArgumentException("invalidFraction must be in 0..1, was " + invalidFraction);
        }
        ReadingGenerator generator = new ReadingGenerator(seed);
        SplittableRandom faults = new SplittableRandom(Noise.key(seed, 0xFA17L));

        // Per gateway, its readings in time order, chunked into messages.
        List<List<List<PublishedReading>>> perGateway = new ArrayList<>();
        for (SimulatedField member : fleet.members()) {
            List<PublishedReading> series = new ArrayList<>();
            for (Instant time = from; time.isBefore(to); time = time.plus(step)) {
                for (CanonicalBatch.Reading reading : generator.readings(member, time)) {
                    series.add(faults.nextDouble() < invalidFraction
                            ? corrupt(member, reading, faults)
                            : truth(member, reading, null));
                }
            }
            List<List<PublishedReading>> chunks = new ArrayList<>();
            for (int start = 0; start < series.size(); start += MAX_BATCH) {
                chunks.add(series.subList(start, Math.min(series.size(), start + MAX_BATCH)));
            }
            perGateway.add(chunks);
        }

        List<CanonicalBatch> batches = new ArrayList<>();
        List<PublishedReading> readings = new ArrayList<>();
        int rounds = perGateway.stream().mapToInt(List::size).max().orElse(0);
        for (int round = 0; round < rounds; round++) {
            for (int g = 0; g < perGateway.size(); g++) {
                if (round >= perGateway.get(g).size()) {
                    continue;
                }
                String gateway = fleet.members().get(g).gateway();
                long seq = round + 1L;
                List<CanonicalBatch.Reading> wire = new ArrayList<>();
                for (PublishedReading draft : perGateway.get(g).get(round)) {
                    PublishedReading published = withSeq(draft, gateway, seq);
                    readings.add(published);
                    wire.add(new CanonicalBatch.Reading(published.sensor(), published.time(), published.quantity(),
                            published.value(), unitOf(published.quantity()), published.depthTop(),
                            published.depthBottom()));
                }
                batches.add(new CanonicalBatch(gateway, seq, wire));
            }
        }
        return new Scenario(batches, readings);
    }

    /** Every message, in publishing order. */
    public List<CanonicalBatch> batches() {
        return batches;
    }

    /** Every reading sent, in publishing order, with its ground truth. */
    public List<PublishedReading> readings() {
        return readings;
    }

    public List<PublishedReading> validReadings() {
        return readings.stream().filter(PublishedReading::valid).toList();
    }

    public List<PublishedReading> invalidReadings() {
        return readings.stream().filter(reading -> !reading.valid()).toList();
    }

    private static PublishedReading truth(SimulatedField member, CanonicalBatch.Reading reading, String reason) {
        boolean unknownSensor = PublishedReading.UNKNOWN_SENSOR.equals(reason);
        return new PublishedReading(member.gateway(), 0, reading.sensor(), unknownSensor ? null : member.id(),
                reading.quantity(), reading.time(), reading.value(), reading.depthTopCm(), reading.depthBottomCm(),
                reason == null, reason);
    }

    private static PublishedReading corrupt(SimulatedField member, CanonicalBatch.Reading reading,
            SplittableRandom faults) {
        return switch (faults.nextInt(3)) {
            case 0 -> {
                Quantity quantity = Quantity.fromId(reading.quantity());
                yield truth(member, withValue(reading, impossible(quantity, faults)),
                        PublishedReading.VALUE_OUT_OF_RANGE);
            }
            case 1 -> truth(member, new CanonicalBatch.Reading(reading.sensor(), reading.time(), UNKNOWN_QUANTITY,
                    Noise.round(faults.nextDouble() * 0.5, 3), UNKNOWN_QUANTITY_UNIT, reading.depthTopCm(),
                    reading.depthBottomCm()), PublishedReading.UNKNOWN_QUANTITY);
            default -> truth(member, new CanonicalBatch.Reading(member.id() + UNKNOWN_PROBE_SUFFIX, reading.time(),
                    reading.quantity(), reading.value(), reading.unit(), reading.depthTopCm(), reading.depthBottomCm()),
                    PublishedReading.UNKNOWN_SENSOR);
        };
    }

    /** A value beyond the quantity's hard bounds, by a random margin. */
    static double impossible(Quantity quantity, SplittableRandom faults) {
        double u = faults.nextDouble();
        double value = switch (quantity) {
            case VWC -> 1.2 + 0.8 * u;
            case PH -> 13.5 + 1.0 * u;
            case SOIL_TEMPERATURE -> 65 + 20 * u;
            case EC -> -(0.1 + 0.9 * u);
            case SOC -> 1050 + 450 * u;
            default -> throw new IllegalArgumentException("no impossible value for " + quantity.id());
        };
        double rounded = Noise.round(value, 2);
        if (quantity.isPossible(rounded)) {
            throw new IllegalStateException(quantity.id() + " " + rounded + " is possible");
        }
        return rounded;
    }

    private static CanonicalBatch.Reading withValue(CanonicalBatch.Reading reading, double value) {
        return new CanonicalBatch.Reading(reading.sensor(), reading.time(), reading.quantity(), value, reading.unit(),
                reading.depthTopCm(), reading.depthBottomCm());
    }

    private static PublishedReading withSeq(PublishedReading reading, String gateway, long seq) {
        return new PublishedReading(gateway, seq, reading.sensor(), reading.field(), reading.quantity(), reading.time(),
                reading.value(), reading.depthTop(), reading.depthBottom(), reading.valid(),
                reading.expectedRejectReason());
    }

    private static String unitOf(String quantity) {
        return Quantity.byId(quantity).map(Quantity::unit).orElse(UNKNOWN_QUANTITY_UNIT);
    }
}
