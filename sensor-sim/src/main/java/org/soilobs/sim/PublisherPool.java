package org.soilobs.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Several MQTT connections, the gateways spread over them by a hash of the gateway id, so one gateway's
 * messages always share a connection and keep their order. One connection per gateway is what real
 * gateways do; a few connections carry the same load with far fewer sockets and threads (see
 * docs/simulator.md).
 */
public final class PublisherPool implements AutoCloseable {

    private final List<MqttGatewayPublisher> publishers;
    private final ExecutorService threads;

    private PublisherPool(List<MqttGatewayPublisher> publishers) {
        this.publishers = publishers;
        this.threads = Executors.newFixedThreadPool(publishers.size(), runnable -> {
            Thread thread = new Thread(runnable, "sim-publish");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens {@code connections} connections with client ids {@code clientId-1}, {@code clientId-2}, …
     *
     * @throws MqttException when one cannot connect (those already open are closed)
     */
    public static PublisherPool connect(String serverUri, String clientId, int connections) throws MqttException {
        if (connections < 1) {
            throw new IllegalArgumentException("at least one connection, was " + connections);
        }
        List<MqttGatewayPublisher> publishers = new ArrayList<>();
        try {
            for (int c = 1; c <= connections; c++) {
                publishers.add(MqttGatewayPublisher.connect(serverUri, connections == 1 ? clientId : clientId + "-" + c));
            }
        } catch (MqttException | RuntimeException e) {
            publishers.forEach(MqttGatewayPublisher::close);
            throw e;
        }
        return new PublisherPool(publishers);
    }

    public int connections() {
        return publishers.size();
    }

    /** The connection a gateway's messages go over. */
    public int connectionOf(String gateway) {
        return Math.floorMod(Noise.hash(gateway), publishers.size());
    }

    /**
     * Publishes the messages, each connection in parallel and in the given order, and returns when all
     * are PUBACKed.
     *
     * @throws InterruptedException when interrupted while waiting
     */
    public PublishResult publish(List<? extends GatewayMessage> messages) throws InterruptedException {
        if (publishers.size() == 1) {
            return publishers.get(0).publish(messages);
        }
        List<List<GatewayMessage>> perConnection = new ArrayList<>();
        publishers.forEach(publisher -> perConnection.add(new ArrayList<>()));
        for (GatewayMessage message : messages) {
            perConnection.get(connectionOf(message.gateway())).add(message);
        }
        List<Future<PublishResult>> results = new ArrayList<>();
        for (int c = 0; c < publishers.size(); c++) {
            MqttGatewayPublisher publisher = publishers.get(c);
            List<GatewayMessage> share = perConnection.get(c);
            results.add(threads.submit(() -> publisher.publish(share)));
        }
        long acked = 0;
        long readings = 0;
        long resent = 0;
        long refused = 0;
        for (Future<PublishResult> future : results) {
            try {
                PublishResult result = future.get();
                acked += result.messages();
                readings += result.readings();
                resent += result.resent();
                refused += result.refused();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
        return new PublishResult(acked, readings, resent, refused);
    }

    public long resentMessages() {
        return publishers.stream().mapToLong(MqttGatewayPublisher::resentMessages).sum();
    }

    @Override
    public void close() {
        threads.shutdownNow();
        publishers.forEach(MqttGatewayPublisher::close);
    }
}
