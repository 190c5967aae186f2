package org.soilobs.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.hivemq.embedded.EmbeddedHiveMQ;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real MQTT 5 broker (HiveMQ Community Edition, embedded) listening on 127.0.0.1 only.
 *
 * <p>The configuration written to {@code dataDir/conf/config.xml} differs from HiveMQ's defaults
 * where those defaults lose data or throttle a busy gateway:
 * <ul>
 *   <li>{@code max-queue-size} is {@value #MAX_QUEUE_SIZE}: past its default of 1000 queued messages
 *       per client HiveMQ silently drops messages while still PUBACKing the publisher;</li>
 *   <li>{@code server-receive-maximum} is {@value #SERVER_RECEIVE_MAXIMUM} in-flight QoS 1/2
 *       publishes per client (default 10);</li>
 *   <li>persistence is on disk in {@code dataDir/data}, so persistent sessions and their queued
 *       messages survive a subscriber's absence (and a broker restart on the same directory);</li>
 *   <li>anonymous usage statistics are off.</li>
 * </ul>
 * HiveMQ's logging bootstrap is switched off: the application's own logback configuration rules.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    static final long MAX_QUEUE_SIZE = 1_000_000;
    static final int SERVER_RECEIVE_MAXIMUM = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 60;

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedMqttBroker(EmbeddedHiveMQ hivemq, int port) {
        this.hivemq = hivemq;
        this.port = port;
    }

    /** Starts a broker on a free port, keeping its configuration and sessions under {@code dataDir}. */
    public static EmbeddedMqttBroker start(Path dataDir) {
        return start(dataDir, FreePorts.next());
    }

    /** Starts a broker on {@code 127.0.0.1:port}, keeping its configuration and sessions under {@code dataDir}. */
    public static EmbeddedMqttBroker start(Path dataDir, int port) {
        long began = System.nanoTime();
        Path root = dataDir.toAbsolutePath().normalize();
        Path conf = root.resolve("conf");
        Path data = root.resolve("data");
        Path extensions = root.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), configXml(port), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare HiveMQ directories under " + root, e);
        }

        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hivemq);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("HiveMQ did not start on " + HOST + ":" + port + " (data in " + root + ")", cause);
        } catch (InterruptedException e) {
            closeQuietly(hivemq);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting HiveMQ", e);
        }
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(hivemq, port);
        LOG.info("MQTT broker (HiveMQ CE) ready in {} ms: url={} max-queue-size={} server-receive-maximum={} data={}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), broker.url(), MAX_QUEUE_SIZE,
                SERVER_RECEIVE_MAXIMUM, root);
        return broker;
    }

    /** The broker's address for MQTT clients, e.g. {@code tcp://127.0.0.1:40123}. */
    public String url() {
        return "tcp://" + HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    /** Stops the broker, persisting sessions to disk. Safe to call twice. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long began = System.nanoTime();
            closeQuietly(hivemq);
            LOG.info("MQTT broker {} stopped in {} ms", url(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        }
    }

    static String configXml(int port) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <hivemq xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="config.xsd">
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <queued-messages>
                            <max-queue-size>%d</max-queue-size>
                            <strategy>discard</strategy>
                        </queued-messages>
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <persistence>
                        <mode>file</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST, MAX_QUEUE_SIZE, SERVER_RECEIVE_MAXIMUM);
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (ExecutionException e) {
            LOG.warn("HiveMQ did not stop cleanly: {}", String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping HiveMQ");
        }
    }
}
