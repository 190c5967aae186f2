package org.soilobs.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
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
 *     is reachable; also where the admin routes publish registrations
 * @param adminTokens bearer tokens that may call the admin routes (registry writes); empty closes them
 * @param readTokens bearer tokens that identify a client without admin rights: not rate limited, and
 *     refused (403) by the admin routes
 * @param rateLimit requests per second one client address may make without a token; 0 turns the limit off
 * @param rateBurst requests one client address may make at once before {@code rateLimit} applies
 * @param exportMaxRows the most rows one export answers; a larger one is refused before it starts
 * @param exportMaxDays the longest span of an hourly or readings export; daily exports may span ten times
 *     as long
 */
public record ApiConfig(String host, int port, List<String> corsOrigins, DbConfig db, int dbPoolSize,
        String kafkaBootstrap, Set<String> adminTokens, Set<String> readTokens, int rateLimit, int rateBurst,
        long exportMaxRows, int exportMaxDays) {

    public static final String HOST = "OBS_API_HOST";
    public static final String PORT = "OBS_API_PORT";
    public static final String CORS_ORIGINS = "OBS_API_CORS_ORIGINS";
    public static final String DB_POOL_SIZE = "OBS_API_DB_POOL_SIZE";
    public static final String KAFKA_BOOTSTRAP = "OBS_KAFKA_BOOTSTRAP";
    public static final String ADMIN_TOKENS = "OBS_API_ADMIN_TOKENS";
    public static final String READ_TOKENS = "OBS_API_READ_TOKENS";
    public static final String RATE_LIMIT = "OBS_API_RATE_LIMIT";
    public static final String RATE_BURST = "OBS_API_RATE_BURST";
    public static final String EXPORT_MAX_ROWS = "OBS_API_EXPORT_MAX_ROWS";
    public static final String EXPORT_MAX_DAYS = "OBS_API_EXPORT_MAX_DAYS";

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_DB_POOL_SIZE = 8;
    /** A map polls a layer every few seconds and opens a popup now and then: far below this. */
    public static final int DEFAULT_RATE_LIMIT = 50;
    public static final int DEFAULT_RATE_BURST = 200;
    public static final long DEFAULT_EXPORT_MAX_ROWS = 1_000_000;
    public static final int DEFAULT_EXPORT_MAX_DAYS = 366;
    /** Shorter tokens are guessable; the check refuses them at start. */
    static final int MIN_TOKEN_LENGTH = 16;

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
        adminTokens = Set.copyOf(adminTokens);
        readTokens = Set.copyOf(readTokens);
        checkTokens(ADMIN_TOKENS, adminTokens);
        checkTokens(READ_TOKENS, readTokens);
        if (adminTokens.stream().anyMatch(readTokens::contains)) {
            throw new IllegalArgumentException(ADMIN_TOKENS + " and " + READ_TOKENS + " share a token; a token has "
                    + "one role");
        }
        if (rateLimit < 0 || rateLimit > 1_000_000) {
            throw new IllegalArgumentException(RATE_LIMIT + " must be 0..1000000 requests/s (0 = no limit), was "
                    + rateLimit);
        }
        if (rateBurst < 1 || rateBurst > 1_000_000) {
            throw new IllegalArgumentException(RATE_BURST + " must be 1..1000000, was " + rateBurst);
        }
        if (exportMaxRows < 1) {
            throw new IllegalArgumentException(EXPORT_MAX_ROWS + " must be positive, was " + exportMaxRows);
        }
        if (exportMaxDays < 1 || exportMaxDays > 36_600) {
            throw new IllegalArgumentException(EXPORT_MAX_DAYS + " must be 1..36600, was " + exportMaxDays);
        }
    }

    /**
     * Without tokens and without a rate limit (an embedding program or a test decides its own), with the
     * default export limits.
     */
    public ApiConfig(String host, int port, List<String> corsOrigins, DbConfig db, int dbPoolSize,
            String kafkaBootstrap) {
        this(host, port, corsOrigins, db, dbPoolSize, kafkaBootstrap, Set.of(), Set.of(), 0,
                DEFAULT_RATE_BURST, DEFAULT_EXPORT_MAX_ROWS, DEFAULT_EXPORT_MAX_DAYS);
    }

    /** Without a Kafka check in {@code /health}. */
    public ApiConfig(String host, int port, List<String> corsOrigins, DbConfig db, int dbPoolSize) {
        this(host, port, corsOrigins, db, dbPoolSize, null);
    }

    /** This configuration with other tokens. */
    public ApiConfig withTokens(Set<String> admin, Set<String> read) {
        return new ApiConfig(host, port, corsOrigins, db, dbPoolSize, kafkaBootstrap, admin, read, rateLimit,
                rateBurst, exportMaxRows, exportMaxDays);
    }

    /** This configuration with another rate limit; 0 turns it off. */
    public ApiConfig withRateLimit(int perSecond, int burst) {
        return new ApiConfig(host, port, corsOrigins, db, dbPoolSize, kafkaBootstrap, adminTokens, readTokens,
                perSecond, burst, exportMaxRows, exportMaxDays);
    }

    /** This configuration with other export limits. */
    public ApiConfig withExportLimits(long maxRows, int maxDays) {
        return new ApiConfig(host, port, corsOrigins, db, dbPoolSize, kafkaBootstrap, adminTokens, readTokens,
                rateLimit, rateBurst, maxRows, maxDays);
    }

    public static ApiConfig fromEnv(Map<String, String> env) {
        return new ApiConfig(
                env.getOrDefault(HOST, DEFAULT_HOST).trim(),
                integer(env, PORT, DEFAULT_PORT),
                origins(env.getOrDefault(CORS_ORIGINS, "")),
                DbConfig.fromEnv(env),
                integer(env, DB_POOL_SIZE, DEFAULT_DB_POOL_SIZE),
                env.get(KAFKA_BOOTSTRAP),
                tokens(env.getOrDefault(ADMIN_TOKENS, "")),
                tokens(env.getOrDefault(READ_TOKENS, "")),
                integer(env, RATE_LIMIT, DEFAULT_RATE_LIMIT),
                integer(env, RATE_BURST, DEFAULT_RATE_BURST),
                longInteger(env, EXPORT_MAX_ROWS, DEFAULT_EXPORT_MAX_ROWS),
                integer(env, EXPORT_MAX_DAYS, DEFAULT_EXPORT_MAX_DAYS));
    }

    /** Secrets masked: tokens are shown by number only, the database password as {@code ****}. */
    @Override
    public String toString() {
        return "ApiConfig[host=" + host + ", port=" + port + ", corsOrigins=" + corsOrigins + ", db=" + db
                + ", dbPoolSize=" + dbPoolSize + ", kafkaBootstrap=" + kafkaBootstrap + ", adminTokens="
                + masked(adminTokens) + ", readTokens=" + masked(readTokens) + ", rateLimit=" + rateLimit
                + "/s, rateBurst=" + rateBurst + ", exportMaxRows=" + exportMaxRows + ", exportMaxDays="
                + exportMaxDays + "]";
    }

    private static String masked(Set<String> tokens) {
        return tokens.size() + " × ****";
    }

    private static Set<String> tokens(String raw) {
        return Arrays.stream(raw.split(",")).map(String::trim).filter(token -> !token.isEmpty())
                .collect(Collectors.toSet());
    }

    private static void checkTokens(String name, Set<String> tokens) {
        for (String token : tokens) {
            // RFC 6750 b64token, so that the token travels unchanged in an Authorization header.
            if (token.length() < MIN_TOKEN_LENGTH || !token.matches("[A-Za-z0-9\\-._~+/]+=*")) {
                throw new IllegalArgumentException(name + " takes comma-separated tokens of at least "
                        + MIN_TOKEN_LENGTH + " characters from A-Z a-z 0-9 - . _ ~ + / (e.g. from "
                        + "`openssl rand -hex 24`); one is not");
            }
        }
    }

    private static long longInteger(Map<String, String> env, String name, long fallback) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, was '" + raw + "'", e);
        }
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
