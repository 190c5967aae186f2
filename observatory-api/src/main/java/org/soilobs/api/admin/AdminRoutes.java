package org.soilobs.api.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.api.http.MediaTypes;
import org.soilobs.api.http.QueryParams;
import org.soilobs.api.problem.Problem;
import org.soilobs.api.problem.ProblemException;
import org.soilobs.api.problem.ProblemResponses;
import org.soilobs.api.problem.ProblemType;
import org.soilobs.api.security.ClientGate;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;
import org.soilobs.model.Topics;
import org.soilobs.reference.FieldRegistrar;
import org.soilobs.reference.ReferenceData;

/**
 * Registry writes, for admin tokens only: {@code PUT /api/v1/admin/fields/{id}} and
 * {@code PUT /api/v1/admin/sensors/{id}} publish the registration to the compacted {@code soil.fields}
 * / {@code soil.sensors} topic (keyed by id, so a second PUT replaces the first), from which ingest,
 * streams and the sink learn it. The answer is 202: the registration is on the topic, and reaches the
 * database and the map when the sink has read it.
 *
 * <p>A field's placement (country, sub-region, region) is computed here from its point, as
 * {@link FieldRegistrar} does for every registration. Without Kafka configured the routes answer 503.
 */
public final class AdminRoutes {

    public static final String FIELD_PATH = "/api/v1/admin/fields/{id}";
    public static final String SENSOR_PATH = "/api/v1/admin/sensors/{id}";
    static final int MAX_BODY_BYTES = 16 * 1024;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final Set<String> FIELD_MEMBERS =
            Set.of("lon", "lat", "area_ha", "land_use", "bulk_density", "coarse_fraction", "depth_cm");
    /** Soil texture, which quality control needs for C03 (above saturation): both or neither. */
    private static final Set<String> FIELD_TEXTURE = Set.of("sand_fraction", "clay_fraction");
    private static final Set<String> SENSOR_MEMBERS = Set.of("gateway", "field", "model");
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);

    private final FieldRegistrar registrar;
    private final Registry registry;

    /** {@code registry} null: Kafka is not configured, and every write answers 503. */
    public AdminRoutes(ReferenceData reference, Registry registry) {
        this.registrar = new FieldRegistrar(reference);
        this.registry = registry;
    }

    public void putField(Context ctx) {
        if (!ClientGate.requireAdmin(ctx)) {
            return;
        }
        String id = id(ctx);
        JsonNode body = body(ctx, FIELD_MEMBERS, FIELD_TEXTURE);
        boolean textured = body.hasNonNull("sand_fraction");
        if (textured != body.hasNonNull("clay_fraction")) {
            throw new ProblemException(ProblemType.INVALID_BODY,
                    "Give both 'sand_fraction' and 'clay_fraction', or neither.", textured ? "clay_fraction" : "sand_fraction");
        }
        Field field;
        try {
            field = registrar.register(id, number(body, "lon"), number(body, "lat"), number(body, "area_ha"),
                    text(body, "land_use"), number(body, "bulk_density"), number(body, "coarse_fraction"),
                    (int) Math.round(number(body, "depth_cm")));
            if (textured) {
                field = field.withTexture(number(body, "sand_fraction"), number(body, "clay_fraction"));
            }
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.INVALID_BODY, e.getMessage() + ".");
        }
        publish(ctx, Topics.FIELDS, id, field);
    }

    public void putSensor(Context ctx) {
        if (!ClientGate.requireAdmin(ctx)) {
            return;
        }
        String id = id(ctx);
        JsonNode body = body(ctx, SENSOR_MEMBERS, Set.of());
        Sensor sensor;
        try {
            sensor = new Sensor(id, text(body, "gateway"), text(body, "field"), text(body, "model"));
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.INVALID_BODY, e.getMessage() + ".");
        }
        publish(ctx, Topics.SENSORS, id, sensor);
    }

    private void publish(Context ctx, String topic, String id, Object registration) {
        if (registry == null) {
            unavailable(ctx, "Registry writes need Kafka, which this API is not configured with (OBS_KAFKA_BOOTSTRAP).");
            return;
        }
        byte[] value = json(registration);
        try {
            registry.publish(topic, id, value);
        } catch (RegistryUnavailableException e) {
            LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            unavailable(ctx, "The registry topics do not answer; try again in a few seconds.");
            return;
        }
        LOG.info("Registered {} on {}", id, topic);
        ctx.status(HttpStatus.ACCEPTED);
        ctx.contentType(MediaTypes.JSON);
        ctx.result(value);
    }

    private static void unavailable(Context ctx, String detail) {
        ctx.header(Header.RETRY_AFTER, "5");
        ProblemResponses.write(ctx, Problem.of(ProblemType.REGISTRY_UNAVAILABLE, detail, ProblemResponses.instance(ctx),
                null));
    }

    private static String id(Context ctx) {
        String id = ctx.pathParam("id");
        if (!ID.matcher(id).matches()) {
            throw new ProblemException(ProblemType.INVALID_BODY, "An id is 1–64 characters from A-Z a-z 0-9 . _ : -, "
                    + "starting with a letter or digit; was '" + QueryParams.echo(id) + "'.", "id");
        }
        return id;
    }

    private static JsonNode body(Context ctx, Set<String> members, Set<String> optional) {
        if (ctx.contentLength() > MAX_BODY_BYTES) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                    "A registration is at most " + MAX_BODY_BYTES + " bytes of JSON.");
        }
        JsonNode node;
        try {
            // A chunked body announces no length: read one byte past the limit to tell.
            byte[] bytes = ctx.bodyInputStream().readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE,
                        "A registration is at most " + MAX_BODY_BYTES + " bytes of JSON.");
            }
            node = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.INVALID_BODY, "The body is not JSON: "
                    + QueryParams.echo(e.getOriginalMessage()) + ".");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> known = new TreeSet<>(members);
        known.addAll(optional);
        if (node == null || !node.isObject()) {
            throw new ProblemException(ProblemType.INVALID_BODY, "The body must be a JSON object with "
                    + String.join(", ", known) + ".");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new ProblemException(ProblemType.INVALID_BODY, "Unknown member '" + QueryParams.echo(name)
                        + "'; a registration has " + String.join(", ", known) + ".", name);
            }
        }
        for (String name : members) {
            if (!node.hasNonNull(name)) {
                throw new ProblemException(ProblemType.INVALID_BODY, "Member '" + name + "' is required.", name);
            }
        }
        return node;
    }

    private static double number(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (!value.isNumber()) {
            throw new ProblemException(ProblemType.INVALID_BODY, "Member '" + name + "' must be a number.", name);
        }
        return value.asDouble();
    }

    private static String text(JsonNode body, String name) {
        JsonNode value = body.get(name);
        if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
            throw new ProblemException(ProblemType.INVALID_BODY,
                    "Member '" + name + "' must be a non-empty string of at most 200 characters.", name);
        }
        return value.asText();
    }

    private static byte[] json(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
