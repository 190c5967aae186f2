package org.soilobs.api.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.http.sse.SseClient;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.soilobs.api.store.LiveLayerVersions;
import org.soilobs.model.Json;
import org.soilobs.model.Level;

/**
 * {@code GET /api/v1/live}: Server-Sent Events telling maps when a layer changed, so that they fetch it
 * then instead of polling. On connecting, a client gets one {@code versions} event
 * ({@code {"country":42,…}}); afterwards one {@code layer-changed} event per level whose version moved
 * ({@code {"level":"country","version":43}}), as soon as {@link LiveLayerVersions} hears of the change (the
 * sink's {@code NOTIFY layer_changed}, or its fallback poll).
 *
 * <p>Every write goes through one sender thread: events to one client never interleave, and a slow
 * client cannot hold up the version poller. A comment every {@link #HEARTBEAT_SECONDS} keeps proxies
 * from closing an idle stream and reveals clients that left.
 */
public final class LiveRoutes implements AutoCloseable {

    public static final String PATH = "/api/v1/live";
    static final long HEARTBEAT_SECONDS = 15;

    private final LiveLayerVersions versions;
    private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "observatory-api-live");
        thread.setDaemon(true);
        return thread;
    });

    public LiveRoutes(LiveLayerVersions versions) {
        this.versions = versions;
        versions.onChange(changed -> submit(() -> broadcast(changed)));
        sender.scheduleWithFixedDelay(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    public void connect(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        // The first event and the registration happen on the sender thread, so that no change falls
        // between the versions a client is told and the first change it hears of.
        submit(() -> {
            Map<String, Long> all = new LinkedHashMap<>();
            versions.all().forEach((level, version) -> all.put(level.id(), version));
            client.sendEvent("versions", json(all), null);
            if (!client.terminated()) {
                clients.add(client);
            }
        });
    }

    /** Runs on the sender thread; after {@link #close()} there is nobody left to tell, so nothing runs. */
    private void submit(Runnable task) {
        try {
            sender.execute(task);
        } catch (RejectedExecutionException closed) {
            // The version listener may still fire while the API shuts down.
        }
    }

    private void broadcast(Map<Level, Long> changed) {
        for (Map.Entry<Level, Long> change : changed.entrySet()) {
            String data = json(Map.of("level", change.getKey().id(), "version", change.getValue()));
            for (SseClient client : clients) {
                client.sendEvent("layer-changed", data, null);
            }
        }
    }

    private void heartbeat() {
        for (SseClient client : clients) {
            client.sendComment("keep-alive");
        }
    }

    private static String json(Map<String, ?> value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
        clients.forEach(SseClient::close);
        clients.clear();
    }
}
