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
 * entity tag comes from the layer's version counter alone, and a matching {@code If-None-Match} is
 * answered 304 before any data is read or rendered.
 */
public final class LayerRoutes {

    public static final String PATH = "/api/v1/layers/{level}";

    private final LayerShapes shapes;
    private final LayerRepository repository;
    private final LayerVersions versions;

    public LayerRoutes(ReferenceData reference, DataSource dataSource, LayerVersions versions) {
        this.shapes = new LayerShapes(reference);
        this.repository = new LayerRepository(dataSource);
        this.versions = versions;
    }

    public void get(Context ctx) {
        LayerRequest request = LayerRequest.parse(ctx.pathParam("level"), ctx.queryParamMap());
        // The version is read before the data: a body is then never older than its tag, so a client can
        // at worst fetch the same data twice, never keep stale data under a current tag.
        long version = versions.current(request.level());
        String etag = EntityTags.strong(request.tag(version, shapes.fingerprint(request.level())));
        ctx.header(Header.ETAG, etag);
        ctx.header(Header.CACHE_CONTROL, "no-cache");
        if (EntityTags.matches(ctx.header(Header.IF_NONE_MATCH), etag)) {
            ctx.status(HttpStatus.NOT_MODIFIED);
            return;
        }
        ctx.contentType(MediaTypes.GEO_JSON);
        ctx.result(render(request, version));
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
