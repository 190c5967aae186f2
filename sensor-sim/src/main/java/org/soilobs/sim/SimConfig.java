package org.soilobs.sim;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The simulator's configuration, from {@code OBS_*} environment variables (see sensor-sim/README.md).
 *
 * @param mqttUrl the broker, {@code tcp://host:port} (or {@code ssl://}, {@code ws://}, {@code wss://})
 * @param seed decides the fleet and every value
 * @param fields how many fields (one gateway and one probe each)
 * @param rate readings per second across the fleet, in live mode
 * @param clientId the MQTT client id of the simulator's connection
 */
public record SimConfig(String mqttUrl, long seed, int fields, double rate, String clientId) {

    public static final String DEFAULT_MQTT_URL = "tcp://127.0.0.1:1883";
    public static final long DEFAULT_SEED = 42;
    public static final int DEFAULT_FIELDS = 120;
    public static final double DEFAULT_RATE = 200;
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    /** Each field's probe reports at most every millisecond: readings carry millisecond times. */
    private static final double MIN_TICK_SECONDS = 0.001;

    public SimConfig {
        try {
            URI uri = new URI(mqttUrl);
            if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("OBS_MQTT_URL must look like tcp://host:1883, was " + mask(mqttUrl));
            }
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalArgumentException("OBS_MQTT_URL is not a URI: " + mask(mqttUrl), e);
        }
        if (fields < 1) {
            throw new IllegalArgumentException("OBS_SIM_FIELDS must be at least 1, was " + fields);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("OBS_SIM_RATE must be a positive number of readings/s, was " + rate);
        }
        if (tickSeconds(fields, rate) < MIN_TICK_SECONDS) {
            throw new IllegalArgumentException("OBS_SIM_RATE " + rate + " would have each of " + fields
                    + " probes report more than once a millisecond; add fields or lower the rate");
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("the MQTT client id must not be blank");
        }
    }

    /**
     * @throws IllegalArgumentException naming the variable that is malformed or out of range
     */
    public static SimConfig fromEnv(Map<String, String> env) {
        long seed = parse(env, "OBS_SIM_SEED", DEFAULT_SEED, Long::parseLong);
        return new SimConfig(
                env.getOrDefault("OBS_MQTT_URL", DEFAULT_MQTT_URL),
                seed,
                parse(env, "OBS_SIM_FIELDS", DEFAULT_FIELDS, Integer::parseInt),
                parse(env, "OBS_SIM_RATE", DEFAULT_RATE, Double::parseDouble),
                env.getOrDefault("OBS_SIM_CLIENT_ID", "soilobs-sim-" + seed));
    }

    /** Seconds between two reports of one probe: every field reports all its quantities once per tick. */
    public double tickSeconds() {
        return tickSeconds(fields, rate);
    }

    private static double tickSeconds(int fields, double rate) {
        return fields * (double) ReadingGenerator.QUANTITIES.size() / rate;
    }

    @Override
    public String toString() {
        return "SimConfig[mqttUrl=" + mask(mqttUrl) + ", seed=" + seed + ", fields=" + fields + ", rate=" + rate
                + " readings/s (each probe every " + String.format(Locale.ROOT, "%.3f", tickSeconds())
                + " s), clientId=" + clientId + "]";
    }

    /** The URL without the password of its user info, if it has one. */
    static String mask(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceFirst("^([a-z]+://[^:/@]*):[^@/]*@", "$1:***@");
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T parse(Map<String, String> env, String name, T fallback, Parser<T> parser) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return parser.parse(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + text + "'", e);
        }
    }
}
