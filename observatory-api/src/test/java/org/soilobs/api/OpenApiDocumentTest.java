package org.soilobs.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;

class OpenApiDocumentTest {

    private static JsonNode document() throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/openapi/observatory-openapi.json")) {
            return Json.mapper().readTree(in);
        }
    }

    @Test
    void describesEveryRouteTheServerRegistersAndNoOther() throws IOException {
        List<String> paths = new ArrayList<>();
        document().path("paths").fieldNames().forEachRemaining(paths::add);

        assertThat(paths).containsExactlyInAnyOrderElementsOf(ObservatoryApi.ROUTES);
    }

    @Test
    void listsTheQuantitiesAndLevelsTheModelKnows() throws IOException {
        JsonNode layer = document().path("paths").path("/api/v1/layers/{level}").path("get").path("parameters");
        List<String> levels = new ArrayList<>();
        List<String> quantities = new ArrayList<>();
        layer.get(0).path("schema").path("enum").forEach(value -> levels.add(value.asText()));
        layer.get(1).path("schema").path("enum").forEach(value -> quantities.add(value.asText()));

        assertThat(levels).containsExactlyInAnyOrderElementsOf(Arrays.stream(Level.values()).map(Level::id).toList());
        assertThat(quantities)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Quantity.values()).map(Quantity::id).toList());
    }
}
