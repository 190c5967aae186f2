package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soilobs.model.Json;
import org.soilobs.reference.ReferenceData;
import org.soilobs.sim.FaultRates.Fault;

class TrafficTest {

    private static final ReferenceData REF = ReferenceData.load();
    private static final Fleet FLEET = Fleet.generate(5, 60, REF);
    private static final Instant FROM = Instant.parse("2024-03-01T00:00:00Z");
    private static final FormatMix ALL_FORMATS = FormatMix.parse("canonical:25,senml:25,ttn:25,chirpstack:25");
    private static final FaultRates EVERY_FAULT = FaultRates.parse("spike:0.02,jump:0.02,stuck:0.02,dropout:0.02,"
            + "skew:0.02,duplicate:0.02,out_of_order:0.02,late:0.02,malformed:0.02,unknown_device:0.02");

    /** Every message's topic and payload, then the ground truth file, of a whole backfill or live span. */
    private static String digest(Fleet fleet, long seed, boolean live) throws Exception {
        Traffic traffic = new Traffic(fleet, seed, FROM, Duration.ofMinutes(15), 4, ALL_FORMATS, EVERY_FAULT, live);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        ByteArrayOutputStream truth = new ByteArrayOutputStream();
        try (GroundTruthWriter writer = new GroundTruthWriter(truth)) {
            writer.fields(traffic, new ReadingGenerator(seed));
            TrafficRun run = new TrafficRun(traffic, messages -> {
                for (RawMessage message : messages) {
                    sha.update(message.topic().getBytes(StandardCharsets.UTF_8));
                    sha.update(message.payload());
                }
                return new PublishResult(messages.size(), messages.stream().mapToInt(RawMessage::readingCount).sum(),
                        0, 0);
            }, writer, Clock.fixed(FROM, ZoneOffset.UTC));
            run.backfill(24);
        }
        sha.update(truth.toByteArray());
        return HexFormat.of().formatHex(sha.digest());
    }

    @ParameterizedTest(name = "live = {0}")
    @ValueSource(booleans = {false, true})
    void theSameSeedGivesByteIdenticalMessagesAndTruthInEveryFormat(boolean live) throws Exception {
        String first = digest(FLEET, 5, live);

        assertThat(digest(Fleet.generate(5, 60, REF), 5, live)).isEqualTo(first);
        assertThat(digest(FLEET, 6, live)).isNotEqualTo(first);
        assertThat(Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9).stream()
                .map(i -> new Traffic(FLEET, 5, FROM, Duration.ofMinutes(15), 4, ALL_FORMATS, EVERY_FAULT, live).format(i))
                .collect(Collectors.toSet()).size()).isGreaterThan(1);
    }

    @Test
    void anyRoundCanBeRegeneratedAloneAndIdentically() {
        Traffic traffic = new Traffic(FLEET, 5, FROM, Duration.ofMinutes(15), 4, ALL_FORMATS, EVERY_FAULT, false);
        List<RawMessage> seventh = traffic.round(7, 100).messages();
        traffic.round(3, 100);
        List<RawMessage> again = new Traffic(FLEET, 5, FROM, Duration.ofMinutes(15), 4, ALL_FORMATS, EVERY_FAULT, false)
                .round(7, 100).messages();
        assertThat(again).hasSameSizeAs(seventh);
        for (int m = 0; m < seventh.size(); m++) {
            assertThat(again.get(m).payload()).isEqualTo(seventh.get(m).payload());
        }
    }

    @Test
    void replayingTheSameCsvGivesTheSameMessages() throws IOException {
        String csv = CsvReplay.HEADER + "\n"
                + "gw-a,s1,2024-01-01T00:00:00Z,vwc,0.21,m3/m3,0,10\n"
                + "gw-a,s1,2024-01-01T00:00:00Z,ph,6.5,[pH],0,10\n"
                + "gw-b,s2,2024-01-01T00:00:00Z,vwc,0.3,m3/m3,0,10\n"
                + "gw-a,s1,2024-01-01T00:15:00Z,vwc,0.22,m3/m3,0,10\n";
        List<CanonicalBatch> first = new CsvReplay(new BufferedReader(new StringReader(csv))).next(100);
        List<CanonicalBatch> second = new CsvReplay(new BufferedReader(new StringReader(csv))).next(100);

        assertThat(first).extracting(CanonicalBatch::gateway, CanonicalBatch::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("gw-a", 1L), org.assertj.core.groups.Tuple.tuple("gw-b", 1L),
                        org.assertj.core.groups.Tuple.tuple("gw-a", 2L));
        for (int m = 0; m < first.size(); m++) {
            assertThat(second.get(m).payload()).isEqualTo(first.get(m).payload());
        }
    }

    /** Rows of a long backfill of a larger fleet, every fault at its own rate. */
    private static final class Realised {
        final List<TruthRow> rows = new ArrayList<>();
        final List<RawMessage> messages = new ArrayList<>();
        final List<List<TruthRow>> truths = new ArrayList<>();
        long readings;
        long gatewayRounds;

        Realised(FaultRates rates) {
            Fleet fleet = Fleet.generate(9, FIELDS, REF);
            Traffic traffic = new Traffic(fleet, 9, FROM, Duration.ofMinutes(15), REPORTS, ALL_FORMATS, rates, true);
            long fresh = ROUNDS;
            for (long r = 0; r < fresh + Traffic.trailingRounds(); r++) {
                Traffic.Round round = traffic.round(r, fresh);
                rows.addAll(round.missing());
                for (Traffic.Delivery delivery : round.deliveries()) {
                    rows.addAll(delivery.truth());
                    messages.add(delivery.message());
                    truths.add(delivery.truth());
                }
            }
            readings = rows.stream().filter(row -> !row.fate().equals(TruthRow.DUPLICATE)).count();
            gatewayRounds = (long) FIELDS * ROUNDS;
        }

        /**
         * The share of generated readings (copies left out) the fault touched, among those it could
         * touch: a message fault only touches messages that were sent.
         */
        double share(String fault, Set<WireFormat> formats) {
            List<TruthRow> eligible = rows.stream().filter(row -> formats.contains(row.format()))
                    .filter(row -> !row.fate().equals(TruthRow.DUPLICATE))
                    .filter(row -> fault.equals(Fault.DROPOUT) || !row.fate().equals(TruthRow.MISSING)).toList();
            return eligible.stream().filter(row -> row.faults().contains(fault)).count() / (double) eligible.size();
        }
    }

    private static final int FIELDS = 100;
    private static final int ROUNDS = 80;
    private static final int REPORTS = 3;
    private static final FaultRates RATES = FaultRates.parse("spike:0.01,jump:0.005,stuck:0.02,dropout:0.1,"
            + "skew:0.05,duplicate:0.03,out_of_order:0.03,late:0.03,malformed:0.03,unknown_device:0.03");
    private static final Realised REALISED = new Realised(RATES);

    /**
     * The standard error of a fault's share of readings: spikes are decided per reading; jumps and stuck
     * values per block of {@value Traffic#BLOCK_REPORTS} readings (a jumped block flags 2 of them, a
     * stuck one 11); drop-outs per block of gateway rounds; the other faults per gateway round (half of
     * them, canonical and SenML, for skew).
     */
    private static double standardError(String fault, double rate) {
        double blocks = REALISED.readings / (double) Traffic.BLOCK_REPORTS;
        return switch (fault) {
            case Fault.SPIKE -> binomial(rate, REALISED.readings);
            case Fault.JUMP -> 2.0 / Traffic.BLOCK_REPORTS * binomial(rate * Traffic.BLOCK_REPORTS / 2, blocks);
            case Fault.STUCK -> (Traffic.BLOCK_REPORTS - 1.0) / Traffic.BLOCK_REPORTS
                    * binomial(rate * Traffic.BLOCK_REPORTS / (Traffic.BLOCK_REPORTS - 1), blocks);
            case Fault.DROPOUT -> binomial(rate, REALISED.gatewayRounds / (double) Traffic.DROPOUT_ROUNDS);
            case Fault.SKEW -> binomial(rate, REALISED.gatewayRounds / 2.0);
            default -> binomial(rate, REALISED.gatewayRounds);
        };
    }

    private static double binomial(double p, double n) {
        return Math.sqrt(p * (1 - p) / n);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Fault.SPIKE, Fault.JUMP, Fault.STUCK, Fault.DROPOUT, Fault.SKEW, Fault.OUT_OF_ORDER,
        Fault.LATE, Fault.MALFORMED, Fault.UNKNOWN_DEVICE})
    void faultRatesMatchTheirSettingsWithinFourStandardErrors(String fault) {
        Set<WireFormat> formats = fault.equals(Fault.SKEW) ? Set.of(WireFormat.CANONICAL, WireFormat.SENML)
                : Set.of(WireFormat.values());
        double rate = RATES.of(fault);
        // 5 % of the rate on top for what the model leaves out (a jump next to a stuck block, …).
        double tolerance = 4 * standardError(fault, rate) + 0.05 * rate;

        assertThat(tolerance).as("a test that can fail").isLessThan(rate / 2);
        assertThat(REALISED.share(fault, formats)).as(fault).isCloseTo(rate, org.assertj.core.data.Offset.offset(tolerance));
    }

    @Test
    void duplicatesAreExactCopiesAtTheirRate() {
        long originals = REALISED.rows.stream().filter(row -> !row.fate().equals(TruthRow.DUPLICATE))
                .filter(row -> !row.fate().equals(TruthRow.MISSING)).count();
        long copies = REALISED.rows.stream().filter(row -> row.fate().equals(TruthRow.DUPLICATE)).count();
        double tolerance = 4 * Math.sqrt(0.03 * 0.97 / REALISED.gatewayRounds);
        assertThat(copies / (double) originals).isCloseTo(0.03, org.assertj.core.data.Offset.offset(tolerance));
        for (int m = 1; m < REALISED.messages.size(); m++) {
            RawMessage copy = REALISED.messages.get(m);
            if (REALISED.truths.get(m).get(0).fate().equals(TruthRow.DUPLICATE)) {
                assertThat(copy.payload()).isEqualTo(REALISED.messages.get(m - 1).payload());
            }
        }
    }

    @Test
    void everyFaultHasItsExpectedFate() {
        for (TruthRow row : REALISED.rows) {
            List<String> faults = row.faults();
            String expected;
            if (faults.contains(Fault.DUPLICATE)) {
                expected = TruthRow.DUPLICATE;
            } else if (faults.contains(Fault.DROPOUT)) {
                expected = TruthRow.MISSING;
            } else if (faults.contains(Fault.MALFORMED) || faults.contains(Fault.UNKNOWN_DEVICE)
                    || faults.contains(Fault.SKEW)) {
                expected = TruthRow.REJECTED;
            } else if (faults.contains(Fault.SPIKE) || faults.contains(Fault.JUMP) || faults.contains(Fault.STUCK)) {
                expected = TruthRow.FLAGGED;
            } else {
                expected = TruthRow.ACCEPTED;
            }
            assertThat(row.fate()).as(row.toString()).isEqualTo(expected);
        }
        assertThat(REALISED.rows).filteredOn(row -> row.faults().equals(List.of(Fault.SPIKE)))
                .allMatch(row -> row.code().equals(TruthRow.FLAG_SPIKE));
        assertThat(REALISED.rows).filteredOn(row -> row.faults().equals(List.of(Fault.JUMP)))
                .allMatch(row -> row.code().equals(TruthRow.FLAG_JUMP) || row.code().equals(TruthRow.FLAG_DROP));
    }

    @Test
    void malformedPayloadsAreNotJson() {
        for (int m = 0; m < REALISED.messages.size(); m++) {
            RawMessage message = REALISED.messages.get(m);
            boolean malformed = REALISED.truths.get(m).get(0).faults().contains(Fault.MALFORMED);
            boolean parses;
            try {
                Json.mapper().readTree(message.payload());
                parses = true;
            } catch (IOException e) {
                parses = false;
            }
            assertThat(parses).isEqualTo(!malformed);
        }
    }

    @Test
    void aStuckSensorRepeatsItsValueAndASpikeStandsOut() {
        Map<String, List<TruthRow>> series = REALISED.rows.stream()
                .filter(row -> row.fate().equals(TruthRow.FLAGGED) || row.fate().equals(TruthRow.ACCEPTED))
                .filter(row -> !row.faults().contains(Fault.OUT_OF_ORDER) && !row.faults().contains(Fault.LATE))
                .collect(Collectors.groupingBy(row -> row.sensor() + "|" + row.quantity()));
        int stuck = 0;
        for (List<TruthRow> rows : series.values()) {
            for (int i = 1; i < rows.size(); i++) {
                TruthRow row = rows.get(i);
                if (row.faults().contains(Fault.STUCK) && rows.get(i - 1).faults().contains(Fault.STUCK)) {
                    assertThat(row.value()).isEqualTo(rows.get(i - 1).value());
                    stuck++;
                }
            }
        }
        assertThat(stuck).isGreaterThan(100);
    }

    @Test
    void fateOfASkewedClockDependsOnTheMode() {
        Traffic backfill = new Traffic(FLEET, 5, FROM, Duration.ofMinutes(15), 4, ALL_FORMATS,
                FaultRates.parse("skew:0.5"), false);
        List<TruthRow> skewed = new ArrayList<>();
        for (long r = 0; r < 10; r++) {
            backfill.round(r, 10).deliveries().forEach(delivery -> skewed.addAll(delivery.truth().stream()
                    .filter(row -> row.faults().contains(Fault.SKEW)).toList()));
        }
        assertThat(skewed).isNotEmpty().allMatch(row -> row.fate().equals(TruthRow.ACCEPTED));
    }

    @Test
    void readingsNameTheSensorsToRegisterExceptForUnknownDevices() {
        Traffic traffic = new Traffic(Fleet.generate(9, FIELDS, REF), 9, FROM, Duration.ofMinutes(15), REPORTS,
                ALL_FORMATS, RATES, true);
        Map<String, org.soilobs.model.Sensor> registered = traffic.sensors().stream()
                .collect(Collectors.toMap(org.soilobs.model.Sensor::id, sensor -> sensor));
        assertThat(registered).hasSize(FIELDS);
        assertThat(registered.values()).filteredOn(sensor -> sensor.model().equals(WireFormat.LSE01_MODEL))
                .extracting(org.soilobs.model.Sensor::gateway)
                .containsOnly("soil-observatory@ttn", WireFormat.CHIRPSTACK_APPLICATION);
        for (TruthRow row : REALISED.rows) {
            boolean unknown = row.faults().contains(Fault.UNKNOWN_DEVICE);
            assertThat(registered.containsKey(row.sensor())).as(row.toString()).isEqualTo(!unknown);
            if (!unknown) {
                assertThat(registered.get(row.sensor()).field()).isEqualTo(row.field());
            }
        }
    }

    @Test
    void formatMixFollowsItsWeights() {
        Fleet fleet = Fleet.generate(9, 400, REF);
        FormatMix mix = FormatMix.parse("canonical:70,senml:10,ttn:10,chirpstack:10");
        Map<WireFormat, Long> counts = fleet.members().stream()
                .collect(Collectors.groupingBy(member -> mix.formatOf(9, member.gateway()), Collectors.counting()));
        assertThat(counts.get(WireFormat.CANONICAL)).isBetween(250L, 310L);
        assertThat(counts.keySet()).containsExactlyInAnyOrder(WireFormat.values());
    }
}
