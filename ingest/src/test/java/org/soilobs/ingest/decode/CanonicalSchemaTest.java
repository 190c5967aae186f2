package org.soilobs.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.soilobs.model.Json;
import org.soilobs.model.Quantity;

/** The published JSON Schema of the canonical batch says what the decoder accepts. */
class CanonicalSchemaTest {

    private static final Path SCHEMA = Path.of("..", "docs", "schemas", "soil-readings-1.schema.json");

    private static JsonNode schema() throws IOException {
        return Json.mapper().readTree(SCHEMA.toFile());
    }

    @Test
    void namesTheSchemaTheDecoderAccepts() throws IOException {
        assertThat(schema().at("/properties/schema/const").textValue()).isEqualTo(CanonicalDecoder.SCHEMA);
        assertThat(schema().at("/$defs/reading/properties/depth_cm/prefixItems/1/maximum").intValue())
                .isEqualTo(CanonicalDecoder.MAX_DEPTH_CM);
    }

    @Test
    void listsEveryQuantity() throws IOException {
        List<String> listed = new ArrayList<>();
        schema().at("/$defs/reading/properties/quantity/enum").forEach(node -> listed.add(node.textValue()));

        assertThat(listed).containsExactlyInAnyOrderElementsOf(Quantity.measured().stream().map(Quantity::id)
                .toList());
    }

    @Test
    void listsTheUnitsAcceptedForEachQuantity() throws IOException {
        for (JsonNode rule : schema().at("/$defs/reading/allOf")) {
            Quantity quantity = Quantity.fromId(rule.at("/if/properties/quantity/const").textValue());
            List<String> units = new ArrayList<>();
            rule.at("/then/properties/unit/enum").forEach(node -> units.add(node.textValue()));

            assertThat(units).as("units of %s", quantity).containsExactlyElementsOf(Units.accepted(quantity));
        }
        assertThat(schema().at("/$defs/reading/allOf").size()).isEqualTo(Quantity.measured().size());
    }
}
