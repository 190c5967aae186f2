package org.soilobs.api.layers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.zip.GZIPOutputStream;

/**
 * The latest rendered body of each layer request, plain and gzip-compressed, so that a 200 for an
 * unchanged version is a copy of bytes rather than a query, a rendering and a compression.
 *
 * <p>One slot per request (level × quantity × resolution: at most a few dozen), holding only the newest
 * version seen: a newer version replaces the body, so memory stays bounded by the number of distinct
 * layers, about 1.3 MB for the largest (countries, plain plus gzip). Concurrent requests for a version
 * being rendered wait for that one rendering instead of starting their own.
 *
 * <p>Layers at a chosen bucket (the map's time slider) can be asked for any bucket, so they get at most
 * {@link #MAX_TIMED_SLOTS} slots: beyond, the others are dropped before a new one is added.
 */
final class LayerBodies {

    /** A body and the version it was rendered at; its tag derives from that version, not the caller's. */
    record Rendered(long version, byte[] plain, byte[] gzip) {
    }

    @FunctionalInterface
    interface Renderer {
        byte[] render(LayerRequest request, long version);
    }

    private record Slot(long version, CompletableFuture<Rendered> body) {
    }

    static final int MAX_TIMED_SLOTS = 24;

    private final ConcurrentMap<LayerRequest, Slot> slots = new ConcurrentHashMap<>();
    private final Renderer renderer;

    LayerBodies(Renderer renderer) {
        this.renderer = renderer;
    }

    /**
     * The body of {@code request} at {@code version} or newer. A version newer than asked can only come
     * from a request that read the counter later; serving it (with its own tag) is never stale.
     */
    Rendered get(LayerRequest request, long version) {
        CompletableFuture<Rendered> mine = new CompletableFuture<>();
        Slot slot = slots.compute(request,
                (key, current) -> current != null && current.version() >= version ? current : new Slot(version, mine));
        if (slot.body() == mine) {
            if (request.bucket() != null) {
                evictTimedBeyondLimit(request);
            }
            try {
                byte[] plain = renderer.render(request, version);
                mine.complete(new Rendered(version, plain, gzip(plain)));
            } catch (RuntimeException | Error e) {
                // A failed rendering is not cached: the next request tries again.
                slots.remove(request, slot);
                mine.completeExceptionally(e);
            }
        }
        try {
            return slot.body().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw e;
        }
    }

    private void evictTimedBeyondLimit(LayerRequest keep) {
        int timed = 0;
        for (LayerRequest key : slots.keySet()) {
            if (key.bucket() != null && ++timed > MAX_TIMED_SLOTS && !key.equals(keep)) {
                slots.remove(key);
            }
        }
    }

    /** How many bodies are held. */
    int size() {
        return slots.size();
    }

    /**
     * The default level (6), unlike the level 1 used for bodies compressed per request: compressed once
     * per version, the smaller body is worth the CPU.
     */
    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, plain.length / 4));
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
