package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.soilobs.model.Quantity;
import org.soilobs.reference.ReferenceData;

class ScenarioTest {

    private static final Fleet FLEET = Fleet.generate(5, 60, ReferenceData.load());
    private static final Instant FROM = Instant.parse("2026-06-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-06-02T00:00:00Z");
    private static final Duration STEP = Duration.ofMinutes(30);
    private static final Scenario SCENARIO = Scenario.fixed(FLEET, 99, FROM, TO, STEP, 0.1);

    @Test
    void sameSeedGivesByteIdenticalBatches() {
        Scenario again = Scenario.fixed(Fleet.generate(5, 60, ReferenceData.load()), 99, FROM, TO, STEP, 0.1);

        assertThat(payloads(again)).containsExactlyElementsOf(payloads(SCENARIO));
        assertThat(again.readings()).isEqualTo(SCENARIO.readings());
    }

    @Test
    void anotherSeedGivesOtherValuesAndFaults() {
        Scenario other = Scenario.fixed(FLEET, 100, FROM, TO, STEP, 0.1);

        assertThat(payloads(other)).isNotEqualTo(payloads(SCENARIO));
    }

    @Test
    void readsEverySensorEveryStep() {
        int steps = 48;
        assertThat(SCENARIO.readings()).hasSize(FLEET.size() * steps * ReadingGenerator.QUANTITIES.size());
        Map<String, Long> perField = SCENARIO.readings().stream()
                .filter(r -> r.field() != null)
                .collect(Collectors.groupingBy(PublishedReading::field, Collectors.counting()));
        assertThat(perField).hasSize(FLEET.size());
        assertThat(SCENARIO.readings()).allSatisfy(r -> {
            assertThat(r.time()).isBetween(FROM, TO.minus(STEP));
            assertThat(Duration.between(FROM, r.time()).toMinutes() % 30).isZero();
        });
    }

    @Test
    void makesTheAskedFractionInvalid() {
        double fraction = SCENARIO.invalidReadings().size() / (double) SCENARIO.readings().size();

        assertThat(fraction).isCloseTo(0.1, offset(0.01));
        Map<String, Long> reasons = SCENARIO.invalidReadings().stream()
                .collect(Collectors.groupingBy(PublishedReading::expectedRejectReason, Collectors.counting()));
        assertThat(reasons.keySet()).isEqualTo(PublishedReading.REASONS);
        reasons.values().forEach(n -> assertThat(n / (double) SCENARIO.invalidReadings().size())
                .isCloseTo(1 / 3.0, offset(0.05)));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 1.0})
    void honoursTheExtremeFractions(double fraction) {
        Scenario scenario = Scenario.fixed(FLEET, 99, FROM, FROM.plus(Duration.ofHours(2)), STEP, fraction);

        assertThat(scenario.invalidReadings()).hasSize((int) Math.round(fraction * scenario.readings().size()));
    }

    @Test
    void flagsValidityExactlyAsTheHardBoundsDecide() {
        Set<String> sensors = FLEET.sensors().stream().map(s -> s.id()).collect(Collectors.toSet());
        for (PublishedReading reading : SCENARIO.readings()) {
            var quantity = Quantity.byId(reading.quantity());
            boolean knownSensor = sensors.contains(reading.sensor());
            if (quantity.isPresent() && knownSensor) {
                assertThat(reading.valid()).as(reading.toString()).isEqualTo(quantity.get().isPossible(reading.value()));
                assertThat(reading.valid() || reading.expectedRejectReason().equals("value_out_of_range")).isTrue();
            } else if (quantity.isEmpty()) {
                assertThat(reading.expectedRejectReason()).isEqualTo("unknown_quantity");
                assertThat(reading.quantity()).isEqualTo("moonlight");
            } else {
                assertThat(reading.expectedRejectReason()).isEqualTo("unknown_sensor");
                assertThat(reading.field()).isNull();
                assertThat(reading.sensor()).endsWith("-p9");
            }
        }
    }

    @Test
    void batchesPerGatewayWithIncreasingSequenceNumbers() {
        Map<String, List<Long>> seqs = new HashMap<>();
        for (CanonicalBatch batch : SCENARIO.batches()) {
            assertThat(batch.readings()).hasSizeBetween(1, Scenario.MAX_BATCH);
            seqs.computeIfAbsent(batch.gateway(), g -> new ArrayList<>()).add(batch.seq());
        }
        assertThat(seqs).hasSize(FLEET.size());
        // 48 steps × 5 quantities = 240 readings per gateway: 5 messages of 50, sequence 1..5.
        seqs.values().forEach(list -> assertThat(list).containsExactly(1L, 2L, 3L, 4L, 5L));
    }

    @Test
    void batchesCarryExactlyThePublishedReadingsInOrder() {
        List<PublishedReading> fromBatches = new ArrayList<>();
        int i = 0;
        for (CanonicalBatch batch : SCENARIO.batches()) {
            CanonicalBatch decoded = CanonicalBatch.parse(batch.payload());
            assertThat(decoded).isEqualTo(batch);
            for (CanonicalBatch.Reading wire : batch.readings()) {
                PublishedReading truth = SCENARIO.readings().get(i++);
                assertThat(truth.gateway()).isEqualTo(batch.gateway());
                assertThat(truth.seq()).isEqualTo(batch.seq());
                assertThat(wire.sensor()).isEqualTo(truth.sensor());
                assertThat(wire.quantity()).isEqualTo(truth.quantity());
                assertThat(wire.time()).isEqualTo(truth.time());
                assertThat(wire.value()).isEqualTo(truth.value());
                assertThat(wire.depthTopCm()).isEqualTo(truth.depthTop());
                assertThat(wire.depthBottomCm()).isEqualTo(truth.depthBottom());
                fromBatches.add(truth);
            }
        }
        assertThat(fromBatches).hasSameSizeAs(SCENARIO.readings());
    }

    // Only valid readings are de-duplicated downstream; two corrupted readings of one probe and time may
    // both say "moonlight".
    @Test
    void keepsValidReadingIdentitiesUnique() {
        assertThat(SCENARIO.validReadings().stream().map(PublishedReading::identity)).doesNotHaveDuplicates();
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> Scenario.fixed(FLEET, 1, TO, FROM, STEP, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scenario.fixed(FLEET, 1, FROM, TO, Duration.ZERO, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Scenario.fixed(FLEET, 1, FROM, TO, STEP, 1.5)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> payloads(Scenario scenario) {
        return scenario.batches().stream().map(b -> new String(b.payload(), StandardCharsets.UTF_8))
                .toList();
    }
}
