package org.soilobs.api.ops;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.soilobs.api.http.MediaTypes;

/** {@code GET /metrics}: the Prometheus text exposition of the API's meters. */
public final class MetricsRoutes {

    public static final String PATH = "/metrics";

    private final PrometheusMeterRegistry registry;

    public MetricsRoutes(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    public void get(Context ctx) {
        ctx.header(Header.CACHE_CONTROL, "no-store");
        ctx.contentType(MediaTypes.PROMETHEUS_TEXT);
        ctx.result(registry.scrape());
    }
}
