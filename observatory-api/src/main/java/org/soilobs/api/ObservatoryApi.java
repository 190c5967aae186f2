package org.soilobs.api;

import io.javalin.Javalin;
import io.javalin.http.Header;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.DriverManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.api.admin.AdminRoutes;
import org.soilobs.api.admin.KafkaRegistry;
import org.soilobs.api.admin.Registry;
import org.soilobs.api.areas.AreaRoutes;
import org.soilobs.api.export.ExportRoutes;
import org.soilobs.api.fields.FieldRoutes;
import org.soilobs.api.layers.LayerRoutes;
import org.soilobs.api.ops.HealthRoutes;
import org.soilobs.api.ops.HttpMetrics;
import org.soilobs.api.ops.JvmMeters;
import org.soilobs.api.ops.MetricsRoutes;
import org.soilobs.api.problem.ProblemResponses;
import org.soilobs.api.progress.ProgressRoutes;
import org.soilobs.api.security.BearerTokens;
import org.soilobs.api.security.ClientGate;
import org.soilobs.api.security.RateLimiter;
import org.soilobs.api.series.SeriesRoutes;
import org.soilobs.api.store.LiveLayerVersions;
import org.soilobs.api.live.LiveRoutes;
import org.soilobs.api.ogc.OgcRoutes;
import org.soilobs.model.Json;
import org.soilobs.reference.ReferenceData;
import org.soilobs.storage.DbConfig;

/**
 * The running observatory API: the HTTP routes under {@code /api/v1}, OGC API – Features under
 * {@code /ogc}, {@code /health}, {@code /metrics} and the map page at {@code /}. Stateless: every
 * instance answers the same from the same database, entity tags included (an instance's in-memory
 * layer versions follow the sink's {@code NOTIFY layer_changed}, or the table within a quarter of a second
 * while it cannot listen). Closing it stops the server; the data source stays the caller's.
 */
public final class ObservatoryApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObservatoryApi.class);
    private static final long STOP_TIMEOUT_MS = 5_000;
    /** The OpenAPI 3.0 document of every route, also served as the OGC API definition. */
    public static final String OPENAPI_PATH = "/api/v1/openapi.json";
    /** Every route's path template; the OpenAPI document describes each one. */
    static final List<String> ROUTES = List.of(LayerRoutes.PATH, LayerRoutes.BUCKETS_PATH,
            ExportRoutes.AGGREGATES_PATH, ExportRoutes.READINGS_PATH, AdminRoutes.FIELD_PATH, AdminRoutes.SENSOR_PATH,
            SeriesRoutes.PATH, AreaRoutes.PATH, FieldRoutes.PATH, ProgressRoutes.PATH,
            LiveRoutes.PATH, OPENAPI_PATH, HealthRoutes.PATH, MetricsRoutes.PATH, OgcRoutes.ROOT,
            OgcRoutes.CONFORMANCE, OgcRoutes.API, OgcRoutes.COLLECTIONS, OgcRoutes.COLLECTION, OgcRoutes.ITEMS,
            OgcRoutes.ITEM);
    /** The {@code application_name} of the connection that listens for {@code layer_changed}. */
    public static final String LISTEN_APPLICATION_NAME = "observatory-api-listen";
    private static final String OPENAPI_RESOURCE = "/openapi/observatory-openapi.json";

    private final Javalin app;
    private final String baseUrl;
    private final LiveRoutes live;
    private final List<AutoCloseable> owned;

    private ObservatoryApi(Javalin app, String baseUrl, LiveRoutes live, List<AutoCloseable> owned) {
        this.app = app;
        this.baseUrl = baseUrl;
        this.live = live;
        this.owned = owned;
    }

    /** Starts the API with its own Prometheus registry, JVM meters included. */
    public static ObservatoryApi start(ApiConfig config, DataSource dataSource, ReferenceData reference) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmMeters jvm = JvmMeters.bindTo(registry);
        try {
            return start(config, dataSource, reference, registry, Clock.systemUTC(), List.of(jvm, registry::close));
        } catch (RuntimeException e) {
            jvm.close();
            registry.close();
            throw e;
        }
    }

    /**
     * Starts the API on a registry the caller owns, e.g. one shared by every component of one JVM; the
     * caller binds JVM meters to it. {@code clock} decides what "now" is for default time ranges.
     */
    public static ObservatoryApi start(ApiConfig config, DataSource dataSource, ReferenceData reference,
            PrometheusMeterRegistry registry, Clock clock) {
        return start(config, dataSource, reference, registry, clock, List.of());
    }

    private static ObservatoryApi start(ApiConfig config, DataSource dataSource, ReferenceData reference,
            PrometheusMeterRegistry registry, Clock clock, List<AutoCloseable> ownedByCaller) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(reference, "reference");
        byte[] openApi = openApiDocument();
        List<AutoCloseable> owned = new ArrayList<>();
        HealthRoutes health = new HealthRoutes(dataSource, config.kafkaBootstrap());
        owned.add(health);
        owned.addAll(ownedByCaller);

        LiveLayerVersions versions = new LiveLayerVersions(dataSource, LiveLayerVersions.DEFAULT_INTERVAL,
                LiveLayerVersions.DEFAULT_SAFETY_INTERVAL, listenConnector(config.db()));
        owned.add(versions);
        ClientGate gate = new ClientGate(new BearerTokens(config.adminTokens(), config.readTokens()),
                config.rateLimit() == 0 ? null : new RateLimiter(config.rateLimit(), config.rateBurst(), System::nanoTime));
        owned.add(gate);
        Registry registrations = null;
        if (config.kafkaBootstrap() != null) {
            try {
                registrations = new KafkaRegistry(config.kafkaBootstrap());
            } catch (RuntimeException e) {
                closeAll(owned);
                throw e;
            }
            owned.add(registrations);
        }
        LiveRoutes live = new LiveRoutes(versions);
        owned.add(live);
        LayerRoutes layers;
        OgcRoutes ogc;
        try {
            layers = new LayerRoutes(reference, dataSource, versions);
            ogc = new OgcRoutes(reference, dataSource, openApi);
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
        SeriesRoutes series = new SeriesRoutes(reference, dataSource, clock);
        AreaRoutes areas = new AreaRoutes(reference, dataSource);
        ProgressRoutes progress = new ProgressRoutes(reference, dataSource);
        FieldRoutes fields = new FieldRoutes(dataSource);
        ExportRoutes exports = new ExportRoutes(reference, dataSource, clock, config.exportMaxRows(),
                config.exportMaxDays());
        AdminRoutes admin = new AdminRoutes(reference, registrations);
        MetricsRoutes metrics = new MetricsRoutes(registry);
        HttpMetrics httpMetrics = new HttpMetrics(registry, Set.copyOf(ROUTES));

        Javalin app = Javalin.create(javalin -> {
            javalin.showJavalinBanner = false;
            javalin.startupWatcherEnabled = false;
            javalin.http.prefer405over404 = true;
            // For bodies compressed per request (OGC items, series, areas; layers come compressed once per
            // version): gzip level 1 costs a quarter of the CPU of the default level 6 for about 14 % more
            // bytes on a megabyte of coordinates.
            javalin.http.gzipOnlyCompression(1);
            javalin.jsonMapper(new JavalinJackson(Json.mapper(), false));
            javalin.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
                files.headers = Map.of(
                        Header.CACHE_CONTROL, "no-cache",
                        Header.X_CONTENT_TYPE_OPTIONS, "nosniff",
                        "Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                + "frame-ancestors 'none'");
            });
            if (!config.corsOrigins().isEmpty()) {
                javalin.bundledPlugins.enableCors(cors -> cors.addRule(rule -> {
                    if (config.anyOrigin()) {
                        rule.anyHost();
                    } else {
                        List<String> origins = config.corsOrigins();
                        rule.allowHost(origins.get(0), origins.subList(1, origins.size()).toArray(String[]::new));
                    }
                    rule.exposeHeader(Header.ETAG);
                }));
            }
            javalin.requestLogger.http(httpMetrics::record);
            javalin.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT_MS));
            javalin.router.mount(router -> {
                ProblemResponses.register(router);
                router.before(ctx -> ctx.header(Header.X_CONTENT_TYPE_OPTIONS, "nosniff"));
                router.before(gate::before);
                router.get(LayerRoutes.PATH, layers::get);
                router.get(LayerRoutes.BUCKETS_PATH, layers::buckets);
                router.get(ExportRoutes.AGGREGATES_PATH, exports::aggregates);
                router.get(ExportRoutes.READINGS_PATH, exports::readings);
                router.put(AdminRoutes.FIELD_PATH, admin::putField);
                router.put(AdminRoutes.SENSOR_PATH, admin::putSensor);
                router.get(SeriesRoutes.PATH, series::get);
                router.get(AreaRoutes.PATH, areas::get);
                router.get(ProgressRoutes.PATH, progress::get);
                router.get(FieldRoutes.PATH, fields::get);
                router.get(HealthRoutes.PATH, health::get);
                router.get(MetricsRoutes.PATH, metrics::get);
                router.sse(LiveRoutes.PATH, live::connect);
                router.get(OPENAPI_PATH, ogc::api);
                router.get(OgcRoutes.ROOT, ogc::landing);
                router.get(OgcRoutes.CONFORMANCE, ogc::conformance);
                router.get(OgcRoutes.API, ogc::api);
                router.get(OgcRoutes.COLLECTIONS, ogc::collections);
                router.get(OgcRoutes.COLLECTION, ogc::collection);
                router.get(OgcRoutes.ITEMS, ogc::items);
                router.get(OgcRoutes.ITEM, ogc::item);
            });
        });
        try {
            app.start(config.host(), config.port());
        } catch (RuntimeException e) {
            closeAll(owned);
            throw e;
        }
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        if (host.equals("0.0.0.0") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        String baseUrl = "http://" + host + ":" + app.port();
        LOG.info("Observatory API listening on {}:{} — map at {}/", config.host(), app.port(), baseUrl);
        return new ObservatoryApi(app, baseUrl, live, owned);
    }

    /**
     * The connection that listens to the sink's notifications: opened from the configuration, not taken
     * from the pool, because it is held for as long as the API runs.
     */
    private static LiveLayerVersions.Connector listenConnector(DbConfig db) {
        return () -> {
            Properties props = new Properties();
            props.setProperty("user", db.user());
            props.setProperty("password", db.password());
            props.setProperty("ApplicationName", LISTEN_APPLICATION_NAME);
            props.setProperty("tcpKeepAlive", "true");
            return DriverManager.getConnection(db.url(), props);
        };
    }

    private static byte[] openApiDocument() {
        try (InputStream in = ObservatoryApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port the server listens on; the one picked when the configuration asked for 0. */
    public int port() {
        return app.port();
    }

    /** A URL that reaches the server from this machine, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Stops accepting requests, lets those under way finish (for a few seconds at most), then stops. */
    @Override
    public void close() {
        // The event streams first: open streams would hold the server's graceful stop to its timeout.
        closeAll(List.of(live));
        app.stop();
        closeAll(owned);
        LOG.info("Observatory API stopped");
    }

    private static void closeAll(List<AutoCloseable> closeables) {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.warn("Could not release {} cleanly", closeable, e);
            }
        }
    }
}
