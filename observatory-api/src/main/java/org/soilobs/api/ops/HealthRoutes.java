package org.soilobs.api.ops;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpStatus;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.api.http.MediaTypes;

/**
 * {@code GET /health}: 200 {@code {"status":"UP","database":"UP"}}, or 503 with {@code DOWN} when the
 * database does not answer within {@link #TIMEOUT}. With Kafka configured ({@code OBS_KAFKA_BOOTSTRAP})
 * the body adds {@code "kafka":"UP"} or {@code "DOWN"}; the API answers without Kafka, so Kafka down
 * makes the status {@code DEGRADED} with 200, not a 503 that would take the API out of a load balancer.
 *
 * <p>The checks run beside the request thread so that a hanging pool or broker cannot hold the probe
 * longer than the timeout, and probes arriving while a check is under way share it instead of piling up.
 */
public final class HealthRoutes implements AutoCloseable {

    public static final String PATH = "/health";
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
    private static final int VALIDATION_SECONDS = 2;

    private final DataSource dataSource;
    private final Admin kafka;
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "observatory-api-health");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<CompletableFuture<Boolean>> databaseCheck = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Boolean>> kafkaCheck = new AtomicReference<>();
    private volatile boolean databaseWasUp = true;
    private volatile boolean kafkaWasUp = true;

    /** {@code kafkaBootstrap} null: no Kafka check. */
    public HealthRoutes(DataSource dataSource, String kafkaBootstrap) {
        this.dataSource = dataSource;
        this.kafka = kafkaBootstrap == null ? null : Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "observatory-api-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
    }

    public void get(Context ctx) {
        CompletableFuture<Boolean> kafkaUp = kafka == null ? null : start(kafkaCheck, this::kafkaAnswers);
        boolean databaseUp = outcome(start(databaseCheck, this::validate));
        databaseWasUp = logChange("Database", databaseUp, databaseWasUp);
        StringBuilder body = new StringBuilder("{\"status\":\"");
        String database = databaseUp ? "UP" : "DOWN";
        if (kafkaUp == null) {
            body.append(database).append("\",\"database\":\"").append(database).append("\"}");
        } else {
            boolean up = outcome(kafkaUp);
            kafkaWasUp = logChange("Kafka", up, kafkaWasUp);
            body.append(!databaseUp ? "DOWN" : up ? "UP" : "DEGRADED").append("\",\"database\":\"").append(database)
                    .append("\",\"kafka\":\"").append(up ? "UP" : "DOWN").append("\"}");
        }
        ctx.header(Header.CACHE_CONTROL, "no-store");
        ctx.status(databaseUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
        ctx.contentType(MediaTypes.JSON);
        ctx.result(body.toString());
    }

    private CompletableFuture<Boolean> start(AtomicReference<CompletableFuture<Boolean>> inFlight,
            Supplier<Boolean> check) {
        return inFlight.updateAndGet(current ->
                current == null || current.isDone() ? CompletableFuture.supplyAsync(check, executor) : current);
    }

    private static boolean outcome(CompletableFuture<Boolean> check) {
        try {
            return check.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean logChange(String what, boolean up, boolean wasUp) {
        if (up != wasUp) {
            if (up) {
                LOG.info("{} answers again", what);
            } else {
                LOG.warn("{} does not answer: health reports it DOWN", what);
            }
        }
        return up;
    }

    private boolean validate() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(VALIDATION_SECONDS);
        } catch (SQLException e) {
            LOG.debug("Health check cannot reach the database: {}", e.getMessage());
            return false;
        }
    }

    private boolean kafkaAnswers() {
        try {
            return !kafka.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis())).nodes()
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Health check cannot reach Kafka: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (kafka != null) {
            kafka.close(Duration.ofSeconds(1));
        }
    }
}
