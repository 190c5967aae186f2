package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Reading;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.streams.aggregate.AreaState;
import org.soilobs.streams.aggregate.Contribution;
import org.soilobs.streams.aggregate.FieldBucket;
import org.soilobs.streams.aggregate.FieldQuantity;
import org.soilobs.streams.quality.SeriesState;
import org.soilobs.streams.serde.BinarySerde;
import org.soilobs.streams.serde.StateSerdes;

/** State-store and repartition values must come back from their bytes exactly as they went in. */
class StateSerdesTest {

    static Stream<Arguments> values() {
        Stats stats = Stats.of(21.5, Samples.T0, List.of(EnrichedReading.GOOD)).weightedByFieldArea(3);
        EnrichedReading enriched = Samples.enriched(
                Samples.reading("S1", "F1", Quantity.SOC, Samples.T0, 21.5), Samples.field("F1", Samples.GERMANY, 3));
        // Sensor clocks can say anything: an instant before 1970 and one beyond a long of milliseconds.
        Reading oddClock = new Reading("gw-ü", -1, "S1", "F1", Quantity.VWC, Instant.parse("1901-01-01T00:00:00.123456789Z"),
                0.3, 0, 30, Instant.MAX);
        EnrichedReading correction = new EnrichedReading(oddClock, Samples.GERMANY, 2.5,
                List.of("C02", "D06"), List.of("C02", "D08"));
        TreeMap<String, Stats> children = new TreeMap<>();
        children.put("F1", stats);
        children.put("F2", Stats.of(0.5, Samples.T0, List.of("D01", "D07")));
        return Stream.of(
                Arguments.of(StateSerdes.FIELD_QUANTITY, new FieldQuantity("F1", Quantity.SOIL_TEMPERATURE)),
                Arguments.of(StateSerdes.ENRICHED_READING, enriched),
                Arguments.of(StateSerdes.ENRICHED_READING, correction),
                Arguments.of(StateSerdes.FIELD_BUCKET, FieldBucket.empty()),
                Arguments.of(StateSerdes.FIELD_BUCKET, FieldBucket.empty().add(enriched)),
                Arguments.of(StateSerdes.AGGREGATE_KEY, new AggregateKey(Level.SUBREGION, "155", Quantity.PH,
                        Resolution.DAY, Instant.parse("2026-11-20T00:00:00Z"))),
                Arguments.of(StateSerdes.CONTRIBUTION, new Contribution("F1", Samples.GERMANY, stats)),
                Arguments.of(StateSerdes.AREA_STATE, AreaState.empty()),
                Arguments.of(StateSerdes.AREA_STATE, new AreaState(Samples.GERMANY, children)),
                Arguments.of(StateSerdes.SERIES_STATE, SeriesState.empty()),
                Arguments.of(StateSerdes.SERIES_STATE, new SeriesState(List.of(new SeriesState.Point(Samples.T0, 0.3),
                        new SeriesState.Point(Samples.T0.plusSeconds(600), 0.31)), 0.15, 0.45,
                        new SeriesState.Pending(correction, 1_700_000_000_000L))));
    }

    @ParameterizedTest
    @MethodSource("values")
    @SuppressWarnings("unchecked")
    void survivesARoundTripThroughItsBytes(BinarySerde<Object> serde, Object value) {
        byte[] bytes = serde.serializer().serialize("t", value);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(value);
    }

    @Test
    void refusesBytesOfAnotherFormatOrCutShort() {
        byte[] bytes = StateSerdes.FIELD_QUANTITY.serializer().serialize("t", new FieldQuantity("F1", Quantity.VWC));

        assertThatThrownBy(() -> StateSerdes.FIELD_QUANTITY.deserializer().deserialize("t",
                "{\"field\":\"F1\"}".getBytes())).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> StateSerdes.FIELD_QUANTITY.deserializer().deserialize("t",
                java.util.Arrays.copyOf(bytes, bytes.length - 1))).isInstanceOf(SerializationException.class);
    }
}
