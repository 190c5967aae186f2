package org.soilobs.api.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.soilobs.api.store.StoreException;
import org.soilobs.model.Level;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;

class LayerBodiesTest {

    private static final LayerRequest COUNTRY_VWC = new LayerRequest(Level.COUNTRY, Quantity.VWC, Resolution.HOUR);
    private static final LayerRequest COUNTRY_SOC = new LayerRequest(Level.COUNTRY, Quantity.SOC, Resolution.HOUR);

    private final AtomicInteger renderings = new AtomicInteger();

    private byte[] body(LayerRequest request, long version) {
        renderings.incrementAndGet();
        return (request.quantity().id() + "@" + version).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rendersAVersionOnceAndServesItPlainAndGzipped() throws IOException {
        LayerBodies bodies = new LayerBodies(this::body);

        LayerBodies.Rendered first = bodies.get(COUNTRY_VWC, 4);
        LayerBodies.Rendered again = bodies.get(COUNTRY_VWC, 4);

        assertThat(renderings).hasValue(1);
        assertThat(again).isSameAs(first);
        assertThat(new String(first.plain(), StandardCharsets.UTF_8)).isEqualTo("vwc@4");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(first.gzip()))) {
            assertThat(in.readAllBytes()).isEqualTo(first.plain());
        }
    }

    @Test
    void rendersANewVersionAndKeepsLayersApart() {
        LayerBodies bodies = new LayerBodies(this::body);

        bodies.get(COUNTRY_VWC, 4);
        LayerBodies.Rendered next = bodies.get(COUNTRY_VWC, 5);
        LayerBodies.Rendered soc = bodies.get(COUNTRY_SOC, 5);

        assertThat(renderings).hasValue(3);
        assertThat(next.version()).isEqualTo(5);
        assertThat(new String(soc.plain(), StandardCharsets.UTF_8)).isEqualTo("soc@5");
    }

    @Test
    void servesANewerBodyToARequestThatReadAnOlderVersion() {
        LayerBodies bodies = new LayerBodies(this::body);

        bodies.get(COUNTRY_VWC, 7);
        LayerBodies.Rendered late = bodies.get(COUNTRY_VWC, 6);

        assertThat(late.version()).isEqualTo(7);
        assertThat(renderings).hasValue(1);
    }

    @Test
    void letsConcurrentRequestsWaitForOneRendering() throws Exception {
        CountDownLatch rendering = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        LayerBodies bodies = new LayerBodies((request, version) -> {
            rendering.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return body(request, version);
        });
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<LayerBodies.Rendered>> answers = new ArrayList<>();
            answers.add(threads.submit(() -> bodies.get(COUNTRY_VWC, 9)));
            assertThat(rendering.await(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 3; i++) {
                answers.add(threads.submit(() -> bodies.get(COUNTRY_VWC, 9)));
            }
            release.countDown();

            for (Future<LayerBodies.Rendered> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).version()).isEqualTo(9);
            }
            assertThat(renderings).hasValue(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void doesNotKeepAFailedRendering() {
        AtomicInteger calls = new AtomicInteger();
        LayerBodies bodies = new LayerBodies((request, version) -> {
            if (calls.incrementAndGet() == 1) {
                throw new StoreException("database gone", null);
            }
            return body(request, version);
        });

        assertThatThrownBy(() -> bodies.get(COUNTRY_VWC, 3)).isInstanceOf(StoreException.class);
        assertThat(bodies.get(COUNTRY_VWC, 3).version()).isEqualTo(3);
        assertThat(calls).hasValue(2);
    }
}
