package org.soilobs.api.layers;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.soilobs.api.http.EntityTags;
import org.soilobs.api.http.MediaTypes;
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
    /** The suffix that tells the gzip representation's tag from the plain one's (RFC 9110 §8.8.3). */
    static final String GZIP_TAG_SUFFIX = ".gz";

    private final LayerShapes shapes;
    private final LayerRepository repository;
    private final LayerVersions versions;
    private final LayerBodies bodies = new LayerBodies(this::render);

    public LayerRoutes(ReferenceData reference, DataSource dataSource, LayerVersions versions) {
        this.shapes = new LayerShapes(reference);
        this.repository = new LayerRepository(dataSource);
        this.versions = versions;
    }

    public void get(Context ctx) {
        LayerRequest request = LayerRequest.parse(ctx.pathParam("level"), ctx.queryParamMap());
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
        ctx.header(Header.CONTENT_LENGTH, Integer.toString(bytes.length));
        ctx.result(bytes);
    }

    private String tag(LayerRequest request, long version, boolean gzip) {
        String opaque = request.tag(version, shapes.fingerprint(request.level()));
        return EntityTags.strong(gzip ? opaque + GZIP_TAG_SUFFIX : opaque);
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
