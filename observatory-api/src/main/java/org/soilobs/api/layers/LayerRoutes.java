package org.soilobs.api.layers;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.soilobs.api.http.EntityTags;
import org.soilobs.api.http.MediaTypes;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.http.Streaming;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.api.store.LayerVersions;
import org.soilobs.model.Aggregate;
import org.soilobs.model.Level;
import org.soilobs.reference.ReferenceData;

/**
 * {@code GET /api/v1/layers/{level}}: the map layer of one level, each area with its latest bucket.
 *
 * <p>Polled every few seconds by every open map, so the unchanged case is the one made cheap: the
 * entity tag comes from the layer's version counter alone, held in memory, and a matching
 * {@code If-None-Match} is answered 304 before the database is asked anything. A changed layer costs
 * one single-row version query; its body is rendered and compressed once per version and then served
 * from memory to every poller.
 */
public final class LayerRoutes {

    public static final String PATH = "/api/v1/layers/{level}";
    /** The first and last bucket a layer has data for: the range of the map's time slider. */
    public static final String BUCKETS_PATH = "/api/v1/layers/{level}/buckets";
    private static final Set<String> BUCKETS_PARAMETERS = Set.of("quantity", "resolution");
    /** The suffix that tells the gzip representation's tag from the plain one's (RFC 9110 §8.8.3). */
    static final String GZIP_TAG_SUFFIX = ".gz";

    private final LayerShapes shapes;
    private final LayerRepository repository;
    private final LayerVersions versions;
    private final LayerBodies bodies = new LayerBodies(this::render);
    /**
     * Parsed requests by their raw level and query string, so that a poll does not parse and check its
     * parameters again; only valid requests enter, and at most {@link #MAX_PARSED} of them.
     */
    private final ConcurrentMap<String, LayerRequest> parsed = new ConcurrentHashMap<>();
    /** The tags of each request's latest version, so that a poll builds no string. */
    private final ConcurrentMap<LayerRequest, Tags> tags = new ConcurrentHashMap<>();
    private static final int MAX_PARSED = 4_096;

    /** Both tags of one request at one version. */
    private record Tags(long version, String plain, String gzip) {
    }

    public LayerRoutes(ReferenceData reference, DataSource dataSource, LayerVersions versions) {
        this.shapes = new LayerShapes(reference);
        this.repository = new LayerRepository(dataSource);
        this.versions = versions;
    }

    public void get(Context ctx) {
        LayerRequest request = parse(ctx);
        boolean gzip = MediaTypes.acceptsGzip(ctx.header(Header.ACCEPT_ENCODING));
        ctx.header(Header.CACHE_CONTROL, "no-cache");
        ctx.header(Header.VARY, Header.ACCEPT_ENCODING);
        // A poll is compared with the version in memory: no query. It may lag the table by the refresh
        // interval (a quarter of a second), the price of polls that cost nothing.
        String etag = tag(request, versions.current(request.level()), gzip);
        String ifNoneMatch = ctx.header(Header.IF_NONE_MATCH);
        if (EntityTags.matches(ifNoneMatch, etag)) {
            ctx.header(Header.ETAG, etag);
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        // A body is rendered at the table's version, read before the data: never older than its tag, nor
        // than the database when the request came in. The table may be ahead of memory: ask again.
        long version = versions.latest(request.level());
        String latestTag = tag(request, version, gzip);
        if (!latestTag.equals(etag) && EntityTags.matches(ifNoneMatch, latestTag)) {
            ctx.header(Header.ETAG, latestTag);
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        LayerBodies.Rendered body = bodies.get(request, version);
        ctx.header(Header.ETAG, tag(request, body.version(), gzip));
        ctx.contentType(MediaTypes.GEO_JSON);
        byte[] bytes = gzip ? body.gzip() : body.plain();
        if (gzip) {
            // Set before the body is written, so that Javalin's own compression leaves it alone.
            ctx.header(Header.CONTENT_ENCODING, "gzip");
        }
        // Known in advance: the body goes out in one piece rather than in chunks.
        ctx.res().setContentLength(bytes.length);
        // Written in one call, straight from the cached array: Jetty sends a body larger than its buffer
        // without copying it, where ctx.result would copy it through a stream in small pieces.
        try {
            ctx.res().getOutputStream().write(bytes);
        } catch (IOException e) {
            // The client left while the body was going out; nothing is left to answer.
            Streaming.abort(ctx, e);
        }
    }

    private LayerRequest parse(Context ctx) {
        String level = ctx.pathParam("level");
        String query = ctx.queryString();
        String key = query == null ? level : level + '?' + query;
        LayerRequest request = parsed.get(key);
        if (request == null) {
            request = LayerRequest.parse(level, ctx.queryParamMap());
            if (parsed.size() < MAX_PARSED) {
                parsed.putIfAbsent(key, request);
            }
        }
        return request;
    }

    /**
     * {@code GET /api/v1/layers/{level}/buckets?quantity=…[&resolution=…]}: the first and last bucket with
     * good readings (null when none), so that a client can offer the buckets in between.
     */
    public void buckets(Context ctx) {
        Level level = QueryParams.parseLevel(ctx.pathParam("level"), "level", ProblemType.UNKNOWN_LAYER);
        QueryParams params = QueryParams.of(ctx.queryParamMap(), BUCKETS_PARAMETERS);
        LayerRequest request = new LayerRequest(level, params.quantity("quantity"),
                params.resolution("resolution", LayerRequest.DEFAULT_RESOLUTION));
        long version = versions.current(level);
        LayerRepository.BucketRange range = repository.bucketRange(request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("level", level.id());
        body.put("quantity", request.quantity().id());
        body.put("unit", request.quantity().unit());
        body.put("resolution", request.resolution().id());
        body.put("first", range.first() == null ? null : range.first().toString());
        body.put("last", range.last() == null ? null : range.last().toString());
        body.put("version", version);
        ctx.header(Header.CACHE_CONTROL, "no-cache");
        ctx.json(body);
    }

    private String tag(LayerRequest request, long version, boolean gzip) {
        Tags known = tags.get(request);
        if (known == null || known.version() != version) {
            String opaque = request.tag(version, shapes.fingerprint(request.level()));
            known = new Tags(version, EntityTags.strong(opaque), EntityTags.strong(opaque + GZIP_TAG_SUFFIX));
            // Only the newest version is kept: an older one is asked for only by a request racing a change.
            Tags fresh = known;
            tags.merge(request, fresh, (old, mine) -> mine.version() > old.version() ? mine : old);
        }
        return gzip ? known.gzip() : known.plain();
    }

    byte[] render(LayerRequest request, long version) {
        FeatureCollectionWriter writer = new FeatureCollectionWriter(request, version);
        if (request.level() == Level.FIELD) {
            repository.forEachField(request, writer::field);
        } else {
            List<String> codes = shapes.codes(request.level());
            Map<String, Aggregate> latest = codes.isEmpty() ? Map.of() : repository.latestByArea(request, codes);
            for (LayerShapes.Shape shape : shapes.shapes(request.level())) {
                writer.area(shape.code(), shape.name(), shape.geometry(), latest.get(shape.code()));
            }
        }
        return writer.finish();
    }
}
