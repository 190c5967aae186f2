package org.soilobs.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.soilobs.storage.DbConfig;

/**
 * The API's configuration, read from {@code OBS_*} environment variables.
 *
 * @param host the address to listen on; {@code 127.0.0.1} unless told otherwise, so that a development
 *     run is not reachable from the network by accident ({@code OBS_API_HOST=0.0.0.0} in containers)
 * @param port the TCP port; 0 picks a free one
 * @param corsOrigins origins ({@code https://host[:port]}) allowed to call the API from a browser; empty
 *     allows none but the page's own origin, {@code *} allows any
 * @param db where the database is
 * @param dbPoolSize the most connections the API holds
 * @param kafkaBootstrap Kafka's bootstrap servers, checked by {@code /health}; null when not configured.
 *     The API does not need Kafka to answer: the check only tells whether the pipeline that feeds it
 *     is reachable
 */
public record ApiConfig(String host, int port, List<String> corsOrigins, DbConfig db, int dbPoolSize,
        String kafkaBootstrap) {

    public static final String HOST = "OBS_API_HOST";
    public static final String PORT = "OBS_API_PORT";
    public static final String CORS_ORIGINS = "OBS_API_CORS_ORIGINS";
    public static final String DB_POOL_SIZE = "OBS_API_DB_POOL_SIZE";
    public static final String KAFKA_BOOTSTRAP = "OBS_KAFKA_BOOTSTRAP";

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_DB_POOL_SIZE = 8;

    public ApiConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(HOST + " must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(PORT + " must be 0..65535 (0 picks a free port), was " + port);
        }
        corsOrigins = List.copyOf(corsOrigins);
        corsOrigins.forEach(ApiConfig::checkOrigin);
        if (corsOrigins.contains("*") && corsOrigins.size() > 1) {
            throw new IllegalArgumentException(CORS_ORIGINS + ": '*' allows every origin and stands alone, was "
                    + corsOrigins);
        }
        Objects.requireNonNull(db, "db");
        if (dbPoolSize < 1 || dbPoolSize > 200) {
            throw new IllegalArgumentException(DB_POOL_SIZE + " must be 1..200, was " + dbPoolSize);
        }
        if (kafkaBootstrap != null) {
            kafkaBootstrap = kafkaBootstrap.trim();
            if (kafkaBootstrap.isEmpty()) {
                kafkaBootstrap = null;
            } else {
                checkBootstrap(kafkaBootstrap);
            }
        }
    }

    /** Without a Kafka check in {@code /health}. */
    public ApiConfig(String host, int port, List<String> corsOrigins, DbConfig db, int dbPoolSize) {
        this(host, port, corsOrigins, db, dbPoolSize, null);
    }

    public static ApiConfig fromEnv(Map<String, String> env) {
        return new ApiConfig(
                env.getOrDefault(HOST, DEFAULT_HOST).trim(),
                integer(env, PORT, DEFAULT_PORT),
                origins(env.getOrDefault(CORS_ORIGINS, "")),
                DbConfig.fromEnv(env),
                integer(env, DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE),
                env.get(KAFKA_BOOTSTRAP));
    }

    /** Whether browsers on any origin may call the API. */
    public boolean anyOrigin() {
        return corsOrigins.equals(List.of("*"));
    }

    private static int integer(Map<String, String> env, String name, int fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + raw + "'", e);
        }
    }

    private static List<String> origins(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(origin -> !origin.isEmpty()).toList();
    }

    private static void checkBootstrap(String servers) {
        for (String server : servers.split(",", -1)) {
            if (!server.trim().matches("[^\\s:,]+:\\d{1,5}")) {
                throw new IllegalArgumentException(KAFKA_BOOTSTRAP + " takes host:port[,host:port…], e.g. "
                        + "127.0.0.1:9092; was '" + servers + "'");
            }
        }
    }

    private static void checkOrigin(String origin) {
        if (origin.equals("*")) {
            return;
        }
        try {
            URI uri = new URI(origin);
            boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            boolean bare = uri.getHost() != null && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            if (web && bare) {
                return;
            }
        } catch (URISyntaxException e) {
            // reported below, with the rule
        }
        throw new IllegalArgumentException(CORS_ORIGINS + " takes origins like https://maps.example.org or "
                + "http://localhost:5173 (scheme, host, optional port; no path), or '*'; was '" + origin + "'");
    }
}
