package org.soilobs.api.ogc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.soilobs.api.Queries;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.model.Json;

class ItemsQueryTest {

    @ParameterizedTest(name = "{0} -> limit {1}, offset {2}")
    @CsvSource(delimiter = '|', value = {
        "''                   | 100  | 0",
        "limit=5              | 5    | 0",
        "limit=1000           | 1000 | 0",
        "limit=1001           | 1000 | 0",
        "limit=99999999999    | 1000 | 0",
        "limit=7&offset=21    | 7    | 21",
        "f=json               | 100  | 0",
    })
    void readsThePageLoweringALimitAboveTheMaximum(String query, int limit, long offset) {
        ItemsQuery items = ItemsQuery.parse(Queries.parse(query));

        assertThat(items.limit()).isEqualTo(limit);
        assertThat(items.offset()).isEqualTo(offset);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "limit=0              | invalid-limit",
        "limit=-3             | invalid-limit",
        "limit=1.5            | invalid-limit",
        "offset=-1            | invalid-offset",
        "offset=x             | invalid-offset",
        "f=html               | unknown-format",
        "filter=x             | unknown-parameter",
        "limit=1&limit=2      | repeated-parameter",
    })
    void refusesABadPageOrParameter(String query, String type) {
        assertThatThrownBy(() -> ItemsQuery.parse(Queries.parse(query))).isInstanceOfSatisfying(
                ProblemException.class, problem -> assertThat(problem.type().uri()).isEqualTo("/problems/" + type));
    }

    @Test
    void keepsTheFiltersInThePageLinks() {
        ItemsQuery query = ItemsQuery.parse(Queries.parse("limit=10&bbox=-10,40.5,10,50&datetime=2025-06-01T00:00:00Z/.."));

        assertThat(query.pageQuery(20)).isEqualTo("limit=10&offset=20&bbox=-10,40.5,10,50"
                + "&datetime=2025-06-01T00:00:00Z/..");
        assertThat(ItemsQuery.parse(Queries.parse(query.pageQuery(20)))).isEqualTo(
                new ItemsQuery(10, 20, query.bbox(), new TimeInterval(Instant.parse("2025-06-01T00:00:00Z"), null)));
    }

    @Test
    void agreesWithThePageSizesTheApiDefinitionStates() throws IOException {
        JsonNode limit = null;
        try (InputStream in = ItemsQueryTest.class.getResourceAsStream("/openapi/observatory-openapi.json")) {
            for (JsonNode parameter : Json.mapper().readTree(in).path("paths")
                    .path("/ogc/collections/{collectionId}/items").path("get").path("parameters")) {
                if (parameter.path("name").asText().equals("limit")) {
                    limit = parameter;
                }
            }
        }

        assertThat(limit).isNotNull();
        assertThat(limit.path("schema").path("maximum").asInt()).isEqualTo(ItemsQuery.MAX_LIMIT);
        assertThat(limit.path("schema").path("default").asInt()).isEqualTo(ItemsQuery.DEFAULT_LIMIT);
    }
}
