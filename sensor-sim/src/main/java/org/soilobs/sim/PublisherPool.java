package org.soilobs.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.paho.mqttv5.common.MqttException;

/**
 * Several MQTT connections, the gateways spread over them by a hash of the gateway id, so one gateway's
 * messages always share a connection and keep their order. One connection per gateway is what real
 * gateways do; a few connections carry the same load with far fewer sockets and threads (see
 * docs/simulator.md). With credentials ({@link #connectPerGateway}) each gateway has a connection of its
 * own, logged in as itself, since the production broker lets a user name publish only to its own topic.
 */
public final class PublisherPool implements AutoCloseable {

    /** Per-gateway connections publish a round's few messages each: a bounded set of threads serves them all. */
    private static final int MAX_THREADS = 32;

    private final List<MqttGatewayPublisher> publishers;
    /** Null in shared mode; else the index of each gateway's own connection. */
    private final Map<String, Integer> gatewayIndex;
    private final ExecutorService threads;

    private PublisherPool(List<MqttGatewayPublisher> publishers, Map<String, Integer> gatewayIndex, int threadCount) {
        this.publishers = publishers;
        this.gatewayIndex = gatewayIndex;
        this.threads = Executors.newFixedThreadPool(threadCount, runnable -> {
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
        return new PublisherPool(publishers, null, publishers.size());
    }

    /**
     * Opens one connection per gateway, each logged in with user name = gateway id and the shared
     * {@code password}, client id {@code clientId-<gateway>}.
     *
     * @throws GatewayConnectException when one cannot connect (those already open are closed)
     */
    public static PublisherPool connectPerGateway(String serverUri, String clientId, List<String> gateways,
            String password) throws MqttException {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway");
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);
        List<MqttGatewayPublisher> publishers = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        try {
            for (String gateway : gateways) {
                if (index.containsKey(gateway)) {
                    continue;
                }
                try {
                    publishers.add(MqttGatewayPublisher.connect(serverUri, clientId + "-" + gateway, gateway, secret));
                } catch (MqttException e) {
                    throw new GatewayConnectException(gateway, e);
                }
                index.put(gateway, publishers.size() - 1);
            }
        } catch (MqttException | RuntimeException e) {
            publishers.forEach(MqttGatewayPublisher::close);
            throw e;
        }
        return new PublisherPool(publishers, Map.copyOf(index), Math.min(publishers.size(), MAX_THREADS));
    }

    public int connections() {
        return publishers.size();
    }

    /**
     * The connection a gateway's messages go over.
     *
     * @throws IllegalArgumentException in per-gateway mode, for a gateway that has no connection
     */
    public int connectionOf(String gateway) {
        if (gatewayIndex == null) {
            return Math.floorMod(Noise.hash(gateway), publishers.size());
        }
        Integer index = gatewayIndex.get(gateway);
        if (index == null) {
            throw new IllegalArgumentException("gateway " + gateway + " has no connection of its own");
        }
        return index;
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
            if (share.isEmpty()) {
                continue;
            }
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

    /** Messages PUBACKed with success over every connection. */
    public long ackedMessages() {
        return publishers.stream().mapToLong(MqttGatewayPublisher::ackedMessages).sum();
    }

    /** Messages the broker answered with a failure reason code (e.g. 0x87, not authorised by its ACL). */
    public long refusedMessages() {
        return publishers.stream().mapToLong(MqttGatewayPublisher::refusedMessages).sum();
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
