package org.soilobs.api.layers;

import java.time.Instant;
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
 * {@code GET /api/v1/layers/{level}?quantity=…&resolution=…&time=…}: which layer, of which quantity, at
 * which bucket size, and which bucket. {@code resolution} defaults to {@code PT1H}.
 *
 * @param bucket the bucket asked for with {@code time} (the one that contains it), or null for each
 *     area's latest bucket with good readings
 */
public record LayerRequest(Level level, Quantity quantity, Resolution resolution, Instant bucket) {

    public static final Set<String> PARAMETERS = Set.of("quantity", "resolution", "time");
    public static final Resolution DEFAULT_RESOLUTION = Resolution.HOUR;

    public LayerRequest {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(resolution, "resolution");
        if (bucket != null && !resolution.bucketOf(bucket).equals(bucket)) {
            throw new IllegalArgumentException(bucket + " does not start a " + resolution.id() + " bucket");
        }
    }

    /** Each area's latest bucket. */
    public LayerRequest(Level level, Quantity quantity, Resolution resolution) {
        this(level, quantity, resolution, null);
    }

    /** An unknown level is a resource that does not exist (404); bad query parameters are 400s. */
    public static LayerRequest parse(String levelSegment, Map<String, List<String>> query) {
        Level level = QueryParams.parseLevel(levelSegment, "level", ProblemType.UNKNOWN_LAYER);
        QueryParams params = QueryParams.of(query, PARAMETERS);
        Resolution resolution = params.resolution("resolution", DEFAULT_RESOLUTION);
        Instant bucket = params.instant("time").map(resolution::bucketOf).orElse(null);
        return new LayerRequest(level, params.quantity("quantity"), resolution, bucket);
    }

    /** The tag's opaque part; the same for every instance of the API given the same data. */
    String tag(long version, String referenceFingerprint) {
        return level.id() + "." + quantity.id() + "." + resolution.id()
                + (bucket == null ? "" : ".t" + bucket.getEpochSecond()) + ".v" + version + "." + referenceFingerprint;
    }
}
