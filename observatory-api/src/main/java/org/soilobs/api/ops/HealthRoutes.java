package org.soilobs.api.ops;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.api.http.MediaTypes;

/**
 * {@code GET /health}: 200 {@code {"status":"UP","database":"UP"}}, or 503 with {@code DOWN} when the
 * database does not answer within {@link #TIMEOUT}.
 *
 * <p>The check runs beside the request thread so that a hanging pool cannot hold the probe longer
 * than the timeout, and probes arriving while a check is under way share it instead of piling up.
 */
public final class HealthRoutes implements AutoCloseable {

    public static final String PATH = "/health";
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
    private static final int VALIDATION_SECONDS = 2;

    private final DataSource dataSource;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "observatory-api-health");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<Boolean>> inFlight = new AtomicReference<>();
    private volatile boolean lastUp = true;

    public HealthRoutes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void get(Context ctx) {
        boolean up = databaseUp();
        if (up != lastUp) {
            lastUp = up;
            if (up) {
                LOG.info("Database answers again");
            } else {
                LOG.warn("Database does not answer: health is DOWN");
            }
        }
        ctx.header(Header.CACHE_CONTROL, "no-store");
        ctx.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
        ctx.contentType(MediaTypes.JSON);
        ctx.result(up ? "{\"status\":\"UP\",\"database\":\"UP\"}" : "{\"status\":\"DOWN\",\"database\":\"DOWN\"}");
    }

    boolean databaseUp() {
        CompletableFuture<Boolean> check = inFlight.updateAndGet(current ->
                current == null || current.isDone() ? CompletableFuture.supplyAsync(this::validate, executor) : current);
        try {
            return check.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean validate() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(VALIDATION_SECONDS);
        } catch (SQLException e) {
            LOG.debug("Health check cannot reach the database: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
