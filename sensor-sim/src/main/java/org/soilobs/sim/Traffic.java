package org.soilobs.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.soilobs.model.Quantity;
import org.soilobs.model.Sensor;
import org.soilobs.sim.FaultRates.Fault;

/**
 * What every gateway of a fleet sends, round by round, with faults and ground truth: a pure function of
 * (fleet, seed, origin, tick, formats, fault rates) and the round number, so any round can be produced
 * again, on any machine, byte for byte, without producing the ones before it.
 *
 * <p>Field {@code i} reports at {@code origin + k × tick + tick × i / fields} (k ≥ 0, millisecond times,
 * spread so the load is smooth); round {@code r} covers reports {@code k ∈ [r × W, (r + 1) × W)},
 * W = {@code reportsPerRound}. Per gateway and round: canonical and SenML gateways send one message
 * with all W reports (sequence number {@code r + 1}), LoRaWAN devices one uplink per report (frame
 * counter {@code r × W + j + 1}).
 *
 * <p>Faults (rates in {@link FaultRates}, each decided by a hash of seed, gateway, quantity and
 * report or round, so the realised rate converges to the setting):
 * <ul>
 *   <li>{@code spike}: one reading far above the truth → flagged {@value TruthRow#FLAG_SPIKE};</li>
 *   <li>{@code jump}: a level shift over a block of {@value #BLOCK_REPORTS} reports; the first reading
 *       at each change of level → flagged {@value TruthRow#FLAG_JUMP} (up) or {@value TruthRow#FLAG_DROP}
 *       (down);</li>
 *   <li>{@code stuck}: over a block of {@value #BLOCK_REPORTS} reports the first value repeats → the
 *       repeats are flagged {@value TruthRow#FLAG_STUCK};</li>
 *   <li>{@code dropout}: the gateway is silent for {@value #DROPOUT_ROUNDS} rounds → missing;</li>
 *   <li>{@code skew}: the gateway's clock is ahead by {@link #SKEW} (canonical and SenML only; LoRaWAN
 *       network servers stamp the time) → rejected {@code time_in_future} in live mode, accepted
 *       at the skewed time in backfill (nothing can tell);</li>
 *   <li>{@code duplicate}: the message is sent twice → the copy's readings are duplicates;</li>
 *   <li>{@code out_of_order}: the message goes after the gateway's next one → accepted;</li>
 *   <li>{@code late}: the message goes {@value #LATE_ROUNDS} rounds late → accepted;</li>
 *   <li>{@code malformed}: the payload is cut in half → every reading rejected {@code malformed_json};</li>
 *   <li>{@code unknown_device}: a probe nobody registered ({@code <field>-p9}) → rejected
 *       {@code unknown_sensor}.</li>
 * </ul>
 */
public final class Traffic {

    static final int BLOCK_REPORTS = 12;
    static final int DROPOUT_ROUNDS = 6;
    static final int LATE_ROUNDS = 6;
    /** Far enough ahead that ingest's future tolerance (by default minutes) rejects it. */
    public static final Duration SKEW = Duration.ofHours(2).plusMinutes(7).plusSeconds(7);
    public static final String UNKNOWN_PROBE_SUFFIX = Scenario.UNKNOWN_PROBE_SUFFIX;

    private static final long SPIKE = 11;
    private static final long JUMP = 12;
    private static final long JUMP_SIZE = 13;
    private static final long STUCK = 14;
    private static final long DROPOUT = 15;
    private static final long SKEWED = 16;
    private static final long DUPLICATED = 17;
    private static final long DELAYED = 18;
    private static final long MALFORMED = 19;
    private static final long UNKNOWN = 20;

    /** One message on the wire and the truth of the readings it carries. */
    public record Delivery(RawMessage message, List<TruthRow> truth) {
    }

    /** The messages of one round in publishing order, and the readings a drop-out swallowed. */
    public record Round(long index, List<Delivery> deliveries, List<TruthRow> missing) {

        public List<RawMessage> messages() {
            return deliveries.stream().map(Delivery::message).toList();
        }

        public int readings() {
            return deliveries.stream().mapToInt(delivery -> delivery.message().readingCount()).sum();
        }
    }

    private enum Delay { NONE, OUT_OF_ORDER, LATE }

    private final Fleet fleet;
    private final long seed;
    private final ReadingGenerator generator;
    private final Instant origin;
    private final long tickMillis;
    private final int reportsPerRound;
    private final FaultRates rates;
    private final boolean live;
    private final WireFormat[] formats;
    private final long[] fieldKeys;
    private final double jumpBlockChance;
    private final double stuckBlockChance;

    /**
     * @param tick the time between two reports of one probe, at least a millisecond
     * @param live whether messages go out when their readings are taken (so a skewed clock is in
     *     the future) rather than long after (backfill)
     */
    public Traffic(Fleet fleet, long seed, Instant origin, Duration tick, int reportsPerRound, FormatMix mix,
            FaultRates rates, boolean live) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.seed = seed;
        this.generator = ReadingGenerator.withSoilWater(seed);
        this.origin = Objects.requireNonNull(origin, "origin");
        this.tickMillis = tick.toMillis();
        if (tickMillis < 1) {
            throw new IllegalArgumentException("the tick must be at least 1 ms, was " + tick);
        }
        if (reportsPerRound < 1) {
            throw new IllegalArgumentException("a round holds at least one report, was " + reportsPerRound);
        }
        this.reportsPerRound = reportsPerRound;
        this.rates = Objects.requireNonNull(rates, "rates");
        this.live = live;
        this.formats = new WireFormat[fleet.size()];
        this.fieldKeys = new long[fleet.size()];
        for (int i = 0; i < fleet.size(); i++) {
            formats[i] = mix.formatOf(seed, fleet.members().get(i).gateway());
            fieldKeys[i] = Noise.hash(fleet.members().get(i).id());
        }
        // A jump flags the first reading of its block and the first after it: two per jumped block.
        this.jumpBlockChance = Math.min(1, rates.jump() * BLOCK_REPORTS / 2);
        // A stuck block repeats all but its first reading.
        this.stuckBlockChance = Math.min(1, rates.stuck() * BLOCK_REPORTS / (BLOCK_REPORTS - 1));
    }

    public Fleet fleet() {
        return fleet;
    }

    /** The sensors the observatory must register for this traffic, in fleet order (see {@link WireFormat#registeredSensor}). */
    public List<Sensor> sensors() {
        List<Sensor> sensors = new ArrayList<>(fleet.size());
        for (int i = 0; i < fleet.size(); i++) {
            sensors.add(formats[i].registeredSensor(fleet.members().get(i)));
        }
        return sensors;
    }

    /** Readings one report time of every probe of the fleet brings, given each gateway's format. */
    public static int readingsPerReport(Fleet fleet, long seed, FormatMix mix) {
        int readings = 0;
        for (SimulatedField member : fleet.members()) {
            readings += mix.formatOf(seed, member.gateway()).quantities().size();
        }
        return readings;
    }

    /** The tick that makes the fleet send {@code rate} readings per second (at least a millisecond). */
    public static Duration tickFor(Fleet fleet, long seed, FormatMix mix, double rate) {
        return Duration.ofMillis(Math.max(1, Math.round(readingsPerReport(fleet, seed, mix) * 1000 / rate)));
    }

    public WireFormat format(int gatewayIndex) {
        return formats[gatewayIndex];
    }

    public int reportsPerRound() {
        return reportsPerRound;
    }

    /** Readings all gateways generate in one round (before faults). */
    public long readingsPerRound() {
        long perReport = 0;
        for (WireFormat format : formats) {
            perReport += format.quantities().size();
        }
        return perReport * reportsPerRound;
    }

    /** The end of round {@code r}: when its last report is due. */
    public Instant roundEnd(long r) {
        return origin.plusMillis((r + 1) * reportsPerRound * tickMillis);
    }

    /**
     * Round {@code r}: fresh messages when {@code r < freshRounds}, plus what earlier rounds held back.
     * Rounds from {@code freshRounds} to {@code freshRounds + }{@link #trailingRounds()} deliver only the
     * held-back messages.
     */
    public Round round(long r, long freshRounds) {
        List<Delivery> deliveries = new ArrayList<>();
        List<TruthRow> missing = new ArrayList<>();
        for (int i = 0; i < fleet.size(); i++) {
            if (r < freshRounds) {
                if (dropped(i, r)) {
                    missing.addAll(missing(i, r));
                } else if (delay(i, r) == Delay.NONE) {
                    deliveries.addAll(group(i, r, Delay.NONE));
                }
            }
            long previous = r - 1;
            if (previous >= 0 && previous < freshRounds && !dropped(i, previous)
                    && delay(i, previous) == Delay.OUT_OF_ORDER) {
                deliveries.addAll(group(i, previous, Delay.OUT_OF_ORDER));
            }
            long held = r - LATE_ROUNDS;
            if (held >= 0 && held < freshRounds && !dropped(i, held) && delay(i, held) == Delay.LATE) {
                deliveries.addAll(group(i, held, Delay.LATE));
            }
        }
        return new Round(r, deliveries, missing);
    }

    /** How many rounds after the last fresh one still deliver held-back messages. */
    public static int trailingRounds() {
        return LATE_ROUNDS;
    }

    private boolean dropped(int i, long r) {
        return chance(rates.dropout(), fieldKeys[i], DROPOUT, Math.floorDiv(r, DROPOUT_ROUNDS));
    }

    private Delay delay(int i, long r) {
        double draw = Noise.uniform(Noise.key(seed, fieldKeys[i], DELAYED, r));
        if (draw < rates.outOfOrder()) {
            return Delay.OUT_OF_ORDER;
        }
        return draw < rates.outOfOrder() + rates.late() ? Delay.LATE : Delay.NONE;
    }

    private boolean chance(double rate, long... parts) {
        if (rate <= 0) {
            return false;
        }
        long[] key = Arrays.copyOf(new long[] {seed}, parts.length + 1);
        System.arraycopy(parts, 0, key, 1, parts.length);
        return Noise.uniform(Noise.key(key)) < rate;
    }

    private Instant reportTime(int i, long k) {
        return origin.plusMillis(k * tickMillis + tickMillis * i / fleet.size());
    }

    private List<TruthRow> missing(int i, long r) {
        SimulatedField member = fleet.members().get(i);
        WireFormat format = formats[i];
        List<TruthRow> rows = new ArrayList<>();
        for (long k = r * reportsPerRound; k < (r + 1) * reportsPerRound; k++) {
            Instant time = reportTime(i, k);
            for (Quantity quantity : format.quantities()) {
                rows.add(new TruthRow(member.gateway(), 0, format, format.deviceId(member.probe().id()), member.id(),
                        quantity.id(),
                        time, generator.value(member, quantity, time), List.of(Fault.DROPOUT), TruthRow.MISSING,
                        null));
            }
        }
        return rows;
    }

    /** A value as sent, with the fault that shaped it and the flag QC should give it. */
    private record Faulted(double value, String fault, String flag) {
    }

    private List<Delivery> group(int i, long r, Delay delay) {
        SimulatedField member = fleet.members().get(i);
        WireFormat format = formats[i];
        long key = fieldKeys[i];
        boolean malformed = chance(rates.malformed(), key, MALFORMED, r);
        boolean unknown = chance(rates.unknownDevice(), key, UNKNOWN, r);
        boolean skewed = format != WireFormat.TTN && format != WireFormat.CHIRPSTACK
                && chance(rates.skew(), key, SKEWED, r);
        boolean duplicated = chance(rates.duplicate(), key, DUPLICATED, r);
        String sensor = unknown ? member.id() + UNKNOWN_PROBE_SUFFIX : member.probe().id();

        List<WireFormat.Report> reports = new ArrayList<>();
        List<List<TruthRow>> truths = new ArrayList<>();
        for (long k = r * reportsPerRound; k < (r + 1) * reportsPerRound; k++) {
            Instant time = skewed ? reportTime(i, k).plus(SKEW) : reportTime(i, k);
            List<CanonicalBatch.Reading> readings = new ArrayList<>();
            List<TruthRow> truth = new ArrayList<>();
            for (Quantity quantity : format.quantities()) {
                Faulted faulted = faulted(i, member, quantity, k);
                double value = format.wireValue(quantity, faulted.value());
                readings.add(new CanonicalBatch.Reading(sensor, time, quantity.id(), value, quantity.unit(), 0,
                        ReadingGenerator.depthBottomCm(member, quantity)));
                List<String> faults = new ArrayList<>();
                if (faulted.fault() != null) {
                    faults.add(faulted.fault());
                }
                String fate = faulted.flag() == null ? TruthRow.ACCEPTED : TruthRow.FLAGGED;
                String code = faulted.flag();
                if (skewed) {
                    faults.add(Fault.SKEW);
                    if (live) {
                        fate = TruthRow.REJECTED;
                        code = TruthRow.TIME_IN_FUTURE;
                    }
                }
                if (unknown) {
                    faults.add(Fault.UNKNOWN_DEVICE);
                    fate = TruthRow.REJECTED;
                    code = PublishedReading.UNKNOWN_SENSOR;
                }
                if (malformed) {
                    faults.add(Fault.MALFORMED);
                    fate = TruthRow.REJECTED;
                    code = TruthRow.MALFORMED_JSON;
                }
                if (delay == Delay.OUT_OF_ORDER) {
                    faults.add(Fault.OUT_OF_ORDER);
                } else if (delay == Delay.LATE) {
                    faults.add(Fault.LATE);
                }
                truth.add(new TruthRow(member.gateway(), 0, format, format.deviceId(sensor), unknown ? null : member.id(),
                        quantity.id(), time, value, faults, fate, code));
            }
            reports.add(new WireFormat.Report(time, readings));
            truths.add(truth);
        }

        long firstSeq = format.reportsPerMessage() == 1 ? r * reportsPerRound + 1 : r + 1;
        List<RawMessage> messages = format.encode(member.gateway(), firstSeq, sensor, member.id(), reports);
        List<Delivery> deliveries = new ArrayList<>();
        for (int m = 0; m < messages.size(); m++) {
            RawMessage message = messages.get(m);
            if (malformed) {
                byte[] payload = message.payload();
                message = new RawMessage(message.gateway(), message.seq(), message.topic(),
                        Arrays.copyOf(payload, payload.length / 2), message.readingCount());
            }
            List<TruthRow> truth = new ArrayList<>();
            List<List<TruthRow>> carried = messages.size() == 1 ? truths : List.of(truths.get(m));
            for (List<TruthRow> report : carried) {
                for (TruthRow row : report) {
                    truth.add(new TruthRow(row.gateway(), message.seq(), row.format(), row.sensor(), row.field(),
                            row.quantity(), row.time(), row.value(), row.faults(), row.fate(), row.code()));
                }
            }
            deliveries.add(new Delivery(message, truth));
            if (duplicated) {
                deliveries.add(new Delivery(message, truth.stream()
                        .map(row -> row.withFault(Fault.DUPLICATE).withFate(TruthRow.DUPLICATE, null)).toList()));
            }
        }
        return deliveries;
    }

    private Faulted faulted(int i, SimulatedField member, Quantity quantity, long k) {
        long key = fieldKeys[i];
        long block = Math.floorDiv(k, BLOCK_REPORTS);
        double level = level(key, quantity, block);
        if (Math.floorMod(k, BLOCK_REPORTS) == 0) {
            double before = level(key, quantity, block - 1);
            if (level != before) {
                double truth = generator.value(member, quantity, reportTime(i, k));
                return new Faulted(fit(quantity, truth + level), Fault.JUMP,
                        level > before ? TruthRow.FLAG_JUMP : TruthRow.FLAG_DROP);
            }
        } else if (stuck(key, quantity, block)) {
            double first = generator.value(member, quantity, reportTime(i, block * BLOCK_REPORTS));
            return new Faulted(fit(quantity, first), Fault.STUCK, TruthRow.FLAG_STUCK);
        }
        double truth = generator.value(member, quantity, reportTime(i, k));
        if (!stuck(key, quantity, block) && chance(rates.spike(), key, SPIKE, quantity.ordinal(), k)) {
            return new Faulted(fit(quantity, truth + level + spike(quantity, truth)), Fault.SPIKE, TruthRow.FLAG_SPIKE);
        }
        return new Faulted(fit(quantity, truth + level), null, null);
    }

    private boolean stuck(long key, Quantity quantity, long block) {
        return chance(stuckBlockChance, key, STUCK, quantity.ordinal(), block);
    }

    /** The offset of a jumped block (0 for a normal or stuck one). */
    private double level(long key, Quantity quantity, long block) {
        if (block < 0 || stuck(key, quantity, block) || !chance(jumpBlockChance, key, JUMP, quantity.ordinal(), block)) {
            return 0;
        }
        double u = Noise.uniform(Noise.key(seed, key, JUMP_SIZE, quantity.ordinal(), block));
        double sign = u < 0.5 ? -1 : 1;
        double size = 0.6 + 0.8 * Math.abs(u - 0.5);
        return sign * size * switch (quantity) {
            case VWC -> 0.08;
            case SOIL_TEMPERATURE -> 4;
            case EC -> 0.3;
            case PH -> 0.7;
            case SOC -> 4;
            default -> 0;
        };
    }

    private static double spike(Quantity quantity, double truth) {
        return switch (quantity) {
            case VWC -> 0.2;
            case SOIL_TEMPERATURE -> 12;
            case EC -> Math.max(0.5, 2 * truth);
            case PH -> 1.5;
            case SOC -> Math.max(10, truth);
            default -> 0;
        };
    }

    /** Rounded as the probe reports it and kept physically possible, so a fault is flagged, not rejected. */
    private static double fit(Quantity quantity, double value) {
        int decimals = switch (quantity) {
            case SOIL_TEMPERATURE, SOC -> 1;
            case PH -> 2;
            default -> 3;
        };
        double low = quantity == Quantity.VWC ? 0.01 : quantity == Quantity.EC ? 0.001 : quantity.hardMin();
        double high = quantity == Quantity.VWC ? 0.95 : quantity.hardMax();
        return Noise.round(Math.max(low, Math.min(high, value)), decimals);
    }
}
