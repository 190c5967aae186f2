package org.soilobs.api.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;

class FeatureCollectionWriterTest {

    private static final Instant BUCKET = Instant.parse("2025-06-01T10:00:00Z");
    private static final String SQUARE = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}";

    private static Aggregate aggregate(Level level, String area, Stats stats, int members) {
        return new Aggregate(new AggregateKey(level, area, Quantity.VWC, Resolution.HOUR, BUCKET), stats, members);
    }

    private static Stats stats(long count, double sum, double sumSq, double min, double max, double areaHa,
            double areaWeightedSum, long good, long spikes) {
        TreeMap<String, Long> flags = new TreeMap<>();
        flags.put("G", good);
        if (spikes > 0) {
            flags.put("D06", spikes);
        }
        return new Stats(count, sum, sumSq, min, max, BUCKET, BUCKET.plusSeconds(1800), areaHa, areaWeightedSum, flags);
    }

    @Test
    void pastesTheGeometryAndReportsTheAreaWeightedMeanAboveFieldLevel() throws IOException {
        FeatureCollectionWriter writer =
                new FeatureCollectionWriter(new LayerRequest(Level.COUNTRY, Quantity.VWC, Resolution.HOUR), 42);
        // Two fields: 10 ha at mean 0.2 and 30 ha at mean 0.4 -> area-weighted 0.35, plain mean of 4 readings 0.3.
        writer.area("FRA", "France", SQUARE,
                aggregate(Level.COUNTRY, "FRA", stats(4, 1.2, 0.4, 0.2, 0.4, 40, 14, 4, 1), 2));
        writer.area("DEU", "Germany", SQUARE, null);

        JsonNode collection = Json.mapper().readTree(writer.finish());

        assertThat(collection.path("type").asText()).isEqualTo("FeatureCollection");
        assertThat(collection.path("version").asLong()).isEqualTo(42);
        assertThat(collection.path("unit").asText()).isEqualTo("m3/m3");
        JsonNode france = collection.path("features").get(0);
        assertThat(france.path("id").asText()).isEqualTo("FRA");
        assertThat(france.path("geometry")).isEqualTo(Json.mapper().readTree(SQUARE));
        JsonNode p = france.path("properties");
        assertThat(p.path("level").asText()).isEqualTo("country");
        assertThat(p.path("name").asText()).isEqualTo("France");
        assertThat(p.path("resolution").asText()).isEqualTo("PT1H");
        assertThat(p.path("bucket").asText()).isEqualTo("2025-06-01T10:00:00Z");
        assertThat(p.path("value").asDouble()).isEqualTo(0.35);
        assertThat(p.path("mean").asDouble()).isEqualTo(0.3, offset(1e-12));
        assertThat(p.path("count").asLong()).isEqualTo(4);
        assertThat(p.path("min").asDouble()).isEqualTo(0.2);
        assertThat(p.path("max").asDouble()).isEqualTo(0.4);
        assertThat(p.path("members").asInt()).isEqualTo(2);
        assertThat(p.path("area_ha").asDouble()).isEqualTo(40);
        assertThat(p.path("flags").path("G").asLong()).isEqualTo(4);
        assertThat(p.path("flags").path("D06").asLong()).isEqualTo(1);
        assertThat(p.path("flagged").asLong()).isEqualTo(5);
    }

    @Test
    void drawsAnAreaWithoutDataWithNullStatistics() throws IOException {
        FeatureCollectionWriter writer =
                new FeatureCollectionWriter(new LayerRequest(Level.REGION, Quantity.SOC, Resolution.DAY), 0);
        writer.area("150", "Europe", SQUARE, null);

        JsonNode feature = Json.mapper().readTree(writer.finish()).path("features").get(0);

        assertThat(feature.path("geometry").path("type").asText()).isEqualTo("Polygon");
        JsonNode p = feature.path("properties");
        for (String name : new String[] {"bucket", "value", "mean", "count", "min", "max", "members", "area_ha", "flags",
                "flagged"}) {
            assertThat(p.has(name)).as(name).isTrue();
            assertThat(p.path(name).isNull()).as(name).isTrue();
        }
        assertThat(p.path("unit").asText()).isEqualTo("g/kg");
    }

    @Test
    void writesANullGeometryForAnAreaWithoutShape() throws IOException {
        FeatureCollectionWriter writer =
                new FeatureCollectionWriter(new LayerRequest(Level.COUNTRY, Quantity.SOC, Resolution.DAY), 0);
        writer.area("XKX", "Kosovo", null, null);

        assertThat(Json.mapper().readTree(writer.finish()).path("features").get(0).path("geometry").isNull()).isTrue();
    }

    @Test
    void drawsAFieldAsAPointWithThePlainMean() throws IOException {
        FeatureCollectionWriter writer =
                new FeatureCollectionWriter(new LayerRequest(Level.FIELD, Quantity.VWC, Resolution.HOUR), 3);
        writer.field("F-1", 2.35, 48.85, "FRA", aggregate(Level.FIELD, "F-1", stats(2, 0.5, 0.13, 0.2, 0.3, 0, 0, 2, 0), 1));

        JsonNode feature = Json.mapper().readTree(writer.finish()).path("features").get(0);

        assertThat(feature.path("geometry").path("type").asText()).isEqualTo("Point");
        assertThat(feature.path("geometry").path("coordinates").get(0).asDouble()).isEqualTo(2.35);
        assertThat(feature.path("geometry").path("coordinates").get(1).asDouble()).isEqualTo(48.85);
        JsonNode p = feature.path("properties");
        assertThat(p.path("name").asText()).isEqualTo("F-1");
        assertThat(p.path("country").asText()).isEqualTo("FRA");
        assertThat(p.path("value").asDouble()).isEqualTo(0.25);
        assertThat(p.path("mean").asDouble()).isEqualTo(0.25);
    }

    @Test
    void writesTheSameBytesForTheSameData() {
        LayerRequest request = new LayerRequest(Level.COUNTRY, Quantity.VWC, Resolution.HOUR);
        Aggregate france = aggregate(Level.COUNTRY, "FRA", stats(4, 1.2, 0.4, 0.2, 0.4, 40, 14, 4, 1), 2);
        FeatureCollectionWriter first = new FeatureCollectionWriter(request, 9);
        FeatureCollectionWriter second = new FeatureCollectionWriter(request, 9);
        first.area("FRA", "France", SQUARE, france);
        second.area("FRA", "France", SQUARE, france);

        assertThat(first.finish()).isEqualTo(second.finish());
    }
}
