package org.soilobs.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.model.Field;
import org.soilobs.model.Json;
import org.soilobs.model.Sensor;

/**
 * Registers the fleet's fields and sensors through the observatory API's admin routes
 * ({@code PUT /api/v1/admin/fields/{id}}, {@code PUT /api/v1/admin/sensors/{id}}), which publish them to
 * the compacted registry topics: outside the all-in-one run this is how streams learns the simulated
 * probes. A PUT replaces, so registering twice is harmless.
 *
 * <p>An API that is still starting (connection refused, 502, 503, 504, 429) is retried until
 * {@link RegisterConfig#patience()} has passed; any other refusal (a bad token, a field the API rejects)
 * stops at once with the API's problem detail.
 *
 * <p>The API computes a field's placement from its point and takes no soil texture, so fields registered
 * here have none (unlike all-in-one's, which carry the simulator's sand and clay).
 */
public final class FleetRegistrar {

    private static final Set<Integer> NOT_READY = Set.of(429, 502, 503, 504);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(FleetRegistrar.class);

    private final RegisterConfig config;
    private final HttpClient http;

    public FleetRegistrar(RegisterConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Registers every field, then every sensor (a sensor names its field).
     *
     * @return the number of registrations the API accepted
     * @throws RegistrationException when the API refuses one or does not answer within the wait
     * @throws InterruptedException when interrupted while waiting for the API
     */
    public int register(Fleet fleet) throws InterruptedException {
        long deadline = System.nanoTime() + config.patience().toNanos();
        int accepted = 0;
        for (Field field : fleet.registrations()) {
            put("fields", field.id(), fieldBody(field), deadline);
            accepted++;
        }
        for (Sensor sensor : fleet.sensors()) {
            put("sensors", sensor.id(), sensorBody(sensor), deadline);
            accepted++;
        }
        return accepted;
    }

    /** The members {@code PUT /api/v1/admin/fields/{id}} takes. */
    static ObjectNode fieldBody(Field field) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("lon", field.lon());
        body.put("lat", field.lat());
        body.put("area_ha", field.areaHa());
        body.put("land_use", field.landUse());
        body.put("bulk_density", field.bulkDensity());
        body.put("coarse_fraction", field.coarseFraction());
        body.put("depth_cm", field.depthCm());
        if (field.hasTexture()) {
            body.put("sand_fraction", field.sandFraction());
            body.put("clay_fraction", field.clayFraction());
        }
        return body;
    }

    /** The members {@code PUT /api/v1/admin/sensors/{id}} takes. */
    static ObjectNode sensorBody(Sensor sensor) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("gateway", sensor.gateway());
        body.put("field", sensor.field());
        body.put("model", sensor.model());
        return body;
    }

    private void put(String kind, String id, ObjectNode body, long deadline) throws InterruptedException {
        URI uri = URI.create(config.api() + "/api/v1/admin/" + kind + "/"
                + URLEncoder.encode(id, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + config.token())
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(json(body))).build();
        Duration pause = FIRST_PAUSE;
        while (true) {
            String notReady;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return;
                }
                if (!NOT_READY.contains(response.statusCode())) {
                    throw new RegistrationException("the API refused " + kind + "/" + id + " with "
                            + response.statusCode() + ": " + detail(response.body()));
                }
                notReady = "answered " + response.statusCode() + ": " + detail(response.body());
            } catch (IOException e) {
                notReady = "does not answer (" + e.getClass().getSimpleName()
                        + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                throw new RegistrationException("the API at " + config.api() + " " + notReady + "; gave up after "
                        + config.patience());
            }
            LOG.info("the API at {} {}; retrying in {} ms", config.api(), notReady, pause.toMillis());
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    /** The problem body's detail (RFC 9457), or the start of whatever else the API answered. */
    private static String detail(String body) {
        try {
            JsonNode problem = Json.mapper().readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
        } catch (JsonProcessingException e) {
            // Not a problem document (a proxy's page, say): show its start below.
        }
        String text = body == null ? "" : body.strip();
        return text.isEmpty() ? "(no body)" : text.substring(0, Math.min(200, text.length()));
    }

    private static byte[] json(JsonNode node) {
        try {
            return Json.mapper().writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The API refused a registration, or never answered: a message for the operator, no stack trace. */
    public static final class RegistrationException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        RegistrationException(String message) {
            super(message);
        }
    }
}
