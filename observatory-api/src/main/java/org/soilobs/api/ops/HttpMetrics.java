package org.soilobs.api.ops;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times every HTTP request as {@code http.server.requests} (Prometheus:
 * {@code http_server_requests_seconds}), tagged by method, route template, status and outcome. The
 * {@code uri} tag is the route's template ({@code /api/v1/layers/{level}}), never the raw path, so that
 * its cardinality stays bounded whatever clients ask for.
 */
public final class HttpMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(HttpMetrics.class);

    private final MeterRegistry registry;
    private final Set<String> routes;
    /** Timers by method, route and status: registering (building tags and an id) costs more than timing. */
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String method, String uri, int status) {
    }

    public HttpMetrics(MeterRegistry registry, Set<String> routes) {
        this.registry = registry;
        this.routes = Set.copyOf(routes);
    }

    /** Runs as the response completes; a failure here must not turn an answered request into a 500. */
    public void record(Context ctx, Float executionTimeMs) {
        try {
            int status = ctx.statusCode();
            Key key = new Key(ctx.method().name(), uri(ctx, status), status);
            Timer timer = timers.get(key);
            if (timer == null) {
                timer = timers.computeIfAbsent(key, k -> Timer.builder("http.server.requests")
                        .description("HTTP requests answered by the observatory API")
                        .tag("method", k.method())
                        .tag("uri", k.uri())
                        .tag("status", Integer.toString(k.status()))
                        .tag("outcome", outcome(k.status()))
                        .register(registry));
            }
            timer.record((long) (executionTimeMs * 1_000_000L), TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            LOG.warn("Could not time {} {}", ctx.method(), ctx.path(), e);
        }
    }

    private String uri(Context ctx, int status) {
        // Javalin refuses the endpoint path when no endpoint ran (a static file, a 404): the handler type
        // is then still that of the last before-handler.
        if (ctx.handlerType().isHttpMethod() && routes.contains(ctx.endpointHandlerPath())) {
            return ctx.endpointHandlerPath();
        }
        if (status == 404) {
            return "NOT_FOUND";
        }
        if (status == 405) {
            return "METHOD_NOT_ALLOWED";
        }
        return status < 400 ? "static" : "UNKNOWN";
    }

    private static String outcome(int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }
}
