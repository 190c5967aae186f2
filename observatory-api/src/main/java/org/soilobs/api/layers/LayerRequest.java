package org.soilobs.api.layers;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;

/**
 * {@code GET /api/v1/layers/{level}?quantity=…&resolution=…}: which layer, of which quantity, at which
 * bucket size. {@code resolution} defaults to {@code PT1H}.
 */
public record LayerRequest(Level level, Quantity quantity, Resolution resolution) {

    public static final Set<String> PARAMETERS = Set.of("quantity", "resolution");
    public static final Resolution DEFAULT_RESOLUTION = Resolution.HOUR;

    public LayerRequest {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(resolution, "resolution");
    }

    /** An unknown level is a resource that does not exist (404); bad query parameters are 400s. */
    public static LayerRequest parse(String levelSegment, Map<String, List<String>> query) {
        Level level = QueryParams.parseLevel(levelSegment, "level", ProblemType.UNKNOWN_LAYER);
        QueryParams params = QueryParams.of(query, PARAMETERS);
        return new LayerRequest(level, params.quantity("quantity"),
                params.resolution("resolution", DEFAULT_RESOLUTION));
    }

    /** The tag's opaque part; the same for every instance of the API given the same data. */
    String tag(long version, String referenceFingerprint) {
        return level.id() + "." + quantity.id() + "." + resolution.id() + ".v" + version + "." + referenceFingerprint;
    }
}
