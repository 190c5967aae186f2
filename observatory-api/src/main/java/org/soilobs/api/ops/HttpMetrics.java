package org.soilobs.api.ops;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Times every HTTP request as {@code http.server.requests} (Prometheus:
 * {@code http_server_requests_seconds}), tagged by method, route template, status and outcome. The
 * {@code uri} tag is the route's template ({@code /api/v1/layers/{level}}), never the raw path, so that
 * its cardinality stays bounded whatever clients ask for.
 */
public final class HttpMetrics {

    private final MeterRegistry registry;
    private final Set<String> routes;

    public HttpMetrics(MeterRegistry registry, Set<String> routes) {
        this.registry = registry;
        this.routes = Set.copyOf(routes);
    }

    public void record(Context ctx, Float executionTimeMs) {
        int status = ctx.statusCode();
        Timer.builder("http.server.requests")
                .description("HTTP requests answered by the observatory API")
                .tag("method", ctx.method().name())
                .tag("uri", uri(ctx, status))
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .register(registry)
                .record((long) (executionTimeMs * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    private String uri(Context ctx, int status) {
        String template = ctx.endpointHandlerPath();
        if (routes.contains(template)) {
            return template;
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
