package org.soilobs.api.layers;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.soilobs.api.store.Measures;
import org.soilobs.model.Aggregate;
import org.soilobs.model.Json;
import org.soilobs.model.Stats;

/**
 * Writes one layer as a GeoJSON FeatureCollection (RFC 7946) in a single pass. Area geometries arrive
 * pre-rendered from the reference data and are copied in verbatim, never parsed again.
 *
 * <p>The body depends only on the request, the layer version and the reference data, never on the
 * clock or the instance that renders it: that is what lets a strong entity tag stand for it.
 */
final class FeatureCollectionWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    private final JsonGenerator json;
    private final LayerRequest request;

    FeatureCollectionWriter(LayerRequest request, long version) {
        this.request = request;
        try {
            json = Json.mapper().getFactory().createGenerator(out);
            json.writeStartObject();
            json.writeStringField("type", "FeatureCollection");
            json.writeStringField("level", request.level().id());
            json.writeStringField("quantity", request.quantity().id());
            json.writeStringField("unit", request.quantity().unit());
            json.writeStringField("resolution", request.resolution().id());
            json.writeNumberField("version", version);
            json.writeArrayFieldStart("features");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An area of the reference data; {@code geometry} is a GeoJSON geometry object, or null. */
    void area(String code, String name, String geometry, Aggregate latest) {
        try {
            json.writeStartObject();
            json.writeStringField("type", "Feature");
            json.writeStringField("id", code);
            json.writeFieldName("geometry");
            if (geometry == null || geometry.isBlank()) {
                json.writeNull();
            } else {
                json.writeRawValue(geometry);
            }
            startProperties(code, name);
            statistics(latest);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A registered field, drawn as a point; its name is its id. */
    void field(String id, double lon, double lat, String country, Aggregate latest) {
        try {
            json.writeStartObject();
            json.writeStringField("type", "Feature");
            json.writeStringField("id", id);
            json.writeObjectFieldStart("geometry");
            json.writeStringField("type", "Point");
            json.writeArrayFieldStart("coordinates");
            json.writeNumber(lon);
            json.writeNumber(lat);
            json.writeEndArray();
            json.writeEndObject();
            startProperties(id, id);
            json.writeStringField("country", country);
            statistics(latest);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] finish() {
        try {
            json.writeEndArray();
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void startProperties(String code, String name) throws IOException {
        json.writeObjectFieldStart("properties");
        json.writeStringField("level", request.level().id());
        json.writeStringField("code", code);
        json.writeStringField("name", name);
        json.writeStringField("quantity", request.quantity().id());
        json.writeStringField("unit", request.quantity().unit());
        json.writeStringField("resolution", request.resolution().id());
    }

    private void statistics(Aggregate latest) throws IOException {
        if (latest == null) {
            for (String name : new String[] {"bucket", "value", "mean", "count", "min", "max", "members", "area_ha",
                    "flags", "flagged"}) {
                json.writeNullField(name);
            }
            return;
        }
        Stats stats = latest.stats();
        json.writeStringField("bucket", latest.key().bucket().toString());
        number("value", Measures.value(latest));
        number("mean", Measures.mean(latest));
        json.writeNumberField("count", stats.count());
        number("min", stats.min());
        number("max", stats.max());
        json.writeNumberField("members", latest.members());
        json.writeNumberField("area_ha", stats.areaHa());
        json.writeObjectFieldStart("flags");
        for (Map.Entry<String, Long> flag : stats.flags().entrySet()) {
            json.writeNumberField(flag.getKey(), flag.getValue());
        }
        json.writeEndObject();
        json.writeNumberField("flagged", stats.flaggedTotal());
    }

    private void number(String name, Double value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeNumberField(name, value);
        }
    }
}
