package org.soilobs.api.ogc;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.javalin.http.Header;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.soilobs.api.http.MediaTypes;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.model.Json;
import org.soilobs.model.Level;
import org.soilobs.reference.ReferenceData;

/**
 * OGC API – Features – Part 1: Core (OGC 17-069r4) under {@link #ROOT}: the landing page, conformance,
 * the API definition, the collections and their items, as JSON and GeoJSON (the conformance classes
 * core, geojson and oas30; no HTML). Coordinates are CRS84 (longitude, latitude).
 *
 * <p>Links are absolute, built from the request's scheme and {@code Host}, so that a client reaching the
 * API under another name follows links that work for it.
 */
public final class OgcRoutes {

    public static final String ROOT = "/ogc";
    public static final String CONFORMANCE = ROOT + "/conformance";
    public static final String API = ROOT + "/api";
    public static final String COLLECTIONS = ROOT + "/collections";
    public static final String COLLECTION = COLLECTIONS + "/{collectionId}";
    public static final String ITEMS = COLLECTION + "/items";
    public static final String ITEM = ITEMS + "/{featureId}";

    static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    static final String OPENAPI_TYPE = "application/vnd.oai.openapi+json;version=3.0";
    static final List<String> CONFORMS_TO = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");

    private record Collection(String id, String title, String description, boolean temporal, FeatureSource source) {
    }

    private final Map<String, Collection> collections = new LinkedHashMap<>();
    private final byte[] openApi;

    public OgcRoutes(ReferenceData reference, DataSource dataSource, byte[] openApi) {
        this.openApi = openApi.clone();
        add(new Collection("countries", "Countries", "Countries (ISO 3166-1 alpha-3) with their UN M49 sub-region.",
                false, new AreaSource(reference, Level.COUNTRY)));
        add(new Collection("subregions", "Sub-regions", "UN M49 sub-regions, the union of their countries.",
                false, new AreaSource(reference, Level.SUBREGION)));
        add(new Collection("regions", "Regions", "UN M49 regions, the union of their countries.",
                false, new AreaSource(reference, Level.REGION)));
        add(new Collection("fields", "Fields", "Registered fields as points, with area, land use and sampling depth.",
                false, new FieldSource(dataSource)));
        add(new Collection("latest-aggregates", "Latest aggregates",
                "The latest bucket of every area (fields to the world), quantity and resolution; datetime selects "
                        + "the buckets before the latest is taken.",
                true, new LatestAggregateSource(dataSource, reference)));
    }

    private void add(Collection collection) {
        collections.put(collection.id(), collection);
    }

    public void landing(Context ctx) {
        checkNoParameters(ctx);
        String base = base(ctx);
        json(ctx, MediaTypes.JSON, json -> {
            json.writeStringField("title", "Soil Health Observatory");
            json.writeStringField("description", "Regional soil aggregates and registered fields (OGC API – Features).");
            json.writeArrayFieldStart("links");
            link(json, base + ROOT, "self", MediaTypes.JSON, "This document");
            link(json, base + API, "service-desc", OPENAPI_TYPE, "The API definition");
            link(json, base + CONFORMANCE, "conformance", MediaTypes.JSON, "Conformance classes");
            link(json, base + COLLECTIONS, "data", MediaTypes.JSON, "The collections");
            json.writeEndArray();
        });
    }

    public void conformance(Context ctx) {
        checkNoParameters(ctx);
        json(ctx, MediaTypes.JSON, json -> {
            json.writeArrayFieldStart("conformsTo");
            for (String uri : CONFORMS_TO) {
                json.writeString(uri);
            }
            json.writeEndArray();
        });
    }

    public void api(Context ctx) {
        checkNoParameters(ctx);
        ctx.header(Header.CACHE_CONTROL, "no-cache");
        ctx.contentType(OPENAPI_TYPE);
        ctx.result(openApi);
    }

    public void collections(Context ctx) {
        checkNoParameters(ctx);
        String base = base(ctx);
        json(ctx, MediaTypes.JSON, json -> {
            json.writeArrayFieldStart("links");
            link(json, base + COLLECTIONS, "self", MediaTypes.JSON, "The collections");
            json.writeEndArray();
            json.writeArrayFieldStart("collections");
            for (Collection collection : collections.values()) {
                collection(json, base, collection);
            }
            json.writeEndArray();
        });
    }

    public void collection(Context ctx) {
        checkNoParameters(ctx);
        Collection collection = find(ctx.pathParam("collectionId"));
        String base = base(ctx);
        json(ctx, MediaTypes.JSON, json -> writeCollectionFields(json, base, collection));
    }

    public void items(Context ctx) {
        Collection collection = find(ctx.pathParam("collectionId"));
        ItemsQuery query = ItemsQuery.parse(ctx.queryParamMap());
        FeatureSource.Page page = collection.source().items(query);
        String items = base(ctx) + COLLECTIONS + "/" + collection.id() + "/items";
        json(ctx, MediaTypes.GEO_JSON, json -> {
            json.writeStringField("type", "FeatureCollection");
            json.writeNumberField("numberMatched", page.matched());
            json.writeNumberField("numberReturned", page.features().size());
            json.writeArrayFieldStart("links");
            link(json, items + "?" + query.pageQuery(query.offset()), "self", MediaTypes.GEO_JSON, "This page");
            if (query.offset() + page.features().size() < page.matched()) {
                link(json, items + "?" + query.pageQuery(query.offset() + query.limit()), "next", MediaTypes.GEO_JSON,
                        "The next page");
            }
            if (query.offset() > 0) {
                link(json, items + "?" + query.pageQuery(Math.max(0, query.offset() - query.limit())), "prev",
                        MediaTypes.GEO_JSON, "The previous page");
            }
            link(json, base(ctx) + COLLECTIONS + "/" + collection.id(), "collection", MediaTypes.JSON, collection.title());
            json.writeEndArray();
            json.writeArrayFieldStart("features");
            for (OgcFeature feature : page.features()) {
                json.writeStartObject();
                feature(json, feature);
                json.writeEndObject();
            }
            json.writeEndArray();
        });
    }

    public void item(Context ctx) {
        Collection collection = find(ctx.pathParam("collectionId"));
        checkNoParameters(ctx);
        String id = ctx.pathParam("featureId");
        OgcFeature feature = collection.source().item(id).orElseThrow(() -> new ProblemException(
                ProblemType.UNKNOWN_FEATURE, "Collection '" + collection.id() + "' has no feature '"
                        + QueryParams.echo(id) + "'."));
        String collectionUrl = base(ctx) + COLLECTIONS + "/" + collection.id();
        json(ctx, MediaTypes.GEO_JSON, json -> {
            feature(json, feature);
            json.writeArrayFieldStart("links");
            link(json, collectionUrl + "/items/" + feature.id(), "self", MediaTypes.GEO_JSON, "This feature");
            link(json, collectionUrl, "collection", MediaTypes.JSON, collection.title());
            json.writeEndArray();
        });
    }

    /** {@code f=json} is accepted (some clients add it); JSON is the only encoding. */
    static void checkFormat(QueryParams params) {
        params.optional("f").ifPresent(format -> {
            if (!format.equals("json")) {
                throw new ProblemException(ProblemType.UNKNOWN_FORMAT,
                        "Unknown format '" + QueryParams.echo(format) + "'; use f=json (or leave it out).", "f");
            }
        });
    }

    private static void checkNoParameters(Context ctx) {
        checkFormat(QueryParams.of(ctx.queryParamMap(), Set.of("f")));
    }

    private Collection find(String id) {
        Collection collection = collections.get(id);
        if (collection == null) {
            throw new ProblemException(ProblemType.UNKNOWN_COLLECTION, "Unknown collection '" + QueryParams.echo(id)
                    + "'; use one of " + String.join(", ", collections.keySet()) + ".");
        }
        return collection;
    }

    private static void collection(JsonGenerator json, String base, Collection collection) throws IOException {
        json.writeStartObject();
        writeCollectionFields(json, base, collection);
        json.writeEndObject();
    }

    private static void writeCollectionFields(JsonGenerator json, String base, Collection collection)
            throws IOException {
        String url = base + COLLECTIONS + "/" + collection.id();
        json.writeStringField("id", collection.id());
        json.writeStringField("title", collection.title());
        json.writeStringField("description", collection.description());
        json.writeStringField("itemType", "feature");
        json.writeArrayFieldStart("crs");
        json.writeString(CRS84);
        json.writeEndArray();
        json.writeObjectFieldStart("extent");
        json.writeObjectFieldStart("spatial");
        json.writeArrayFieldStart("bbox");
        json.writeArray(new double[] {-180, -90, 180, 90}, 0, 4);
        json.writeEndArray();
        json.writeStringField("crs", CRS84);
        json.writeEndObject();
        if (collection.temporal()) {
            json.writeObjectFieldStart("temporal");
            json.writeArrayFieldStart("interval");
            json.writeStartArray();
            json.writeNull();
            json.writeNull();
            json.writeEndArray();
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndObject();
        json.writeArrayFieldStart("links");
        link(json, url, "self", MediaTypes.JSON, collection.title());
        link(json, url + "/items", "items", MediaTypes.GEO_JSON, collection.title() + " as GeoJSON");
        json.writeEndArray();
    }

    private static void feature(JsonGenerator json, OgcFeature feature) throws IOException {
        json.writeStringField("type", "Feature");
        json.writeStringField("id", feature.id());
        json.writeFieldName("geometry");
        if (feature.geometry() == null) {
            json.writeNull();
        } else {
            json.writeRawValue(feature.geometry());
        }
        json.writeObjectField("properties", feature.properties());
    }

    private static void link(JsonGenerator json, String href, String rel, String type, String title)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("href", href);
        json.writeStringField("rel", rel);
        json.writeStringField("type", type);
        json.writeStringField("title", title);
        json.writeEndObject();
    }

    private static String base(Context ctx) {
        String host = ctx.host();
        if (host == null || host.isBlank()) {
            host = ctx.req().getLocalAddr() + ":" + ctx.req().getLocalPort();
        }
        return ctx.scheme() + "://" + host;
    }

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator json) throws IOException;
    }

    private static void json(Context ctx, String contentType, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator json = Json.mapper().getFactory().createGenerator(out)) {
            json.writeStartObject();
            body.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.contentType(contentType);
        ctx.result(out.toByteArray());
    }
}
