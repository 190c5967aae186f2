package org.soilobs.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Quantity;
import org.soilobs.model.Stats;
import org.soilobs.streams.aggregate.AreaState;
import org.soilobs.streams.aggregate.Contribution;
import org.soilobs.streams.aggregate.FieldBucket;
import org.soilobs.streams.aggregate.FieldQuantity;
import org.soilobs.streams.serde.JsonSerde;

/** State, repartition and output values must come back from their changelog bytes exactly as they went in. */
class StateJsonTest {

    static Stream<Object> values() {
        Stats stats = Stats.of(21.5, Samples.T0, List.of(EnrichedReading.GOOD)).weightedByFieldArea(3);
        EnrichedReading enriched = Samples.enriched(
                Samples.reading("S1", "F1", Quantity.SOC, Samples.T0, 21.5), Samples.field("F1", Samples.GERMANY, 3));
        TreeMap<String, Stats> children = new TreeMap<>();
        children.put("F1", stats);
        children.put("F2", Stats.empty());
        return Stream.of(
                new FieldQuantity("F1", Quantity.SOIL_TEMPERATURE),
                enriched,
                FieldBucket.empty(),
                FieldBucket.empty().add(enriched),
                new Contribution("F1", Samples.GERMANY, stats),
                AreaState.empty(),
                new AreaState(Samples.GERMANY, children));
    }

    @ParameterizedTest
    @MethodSource("values")
    @SuppressWarnings("unchecked")
    void survivesAJsonRoundTrip(Object value) {
        JsonSerde<Object> serde = (JsonSerde<Object>) JsonSerde.of(value.getClass());

        byte[] bytes = serde.serializer().serialize("t", value);

        assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(value);
    }
}
