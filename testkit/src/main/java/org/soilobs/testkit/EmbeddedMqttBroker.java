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
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
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
 * Started through {@link #builder(Path)}, the broker can also refuse anonymous clients and enforce
 * the gateways' ACL ({@link Builder#security(MqttCredentials)}, see {@link MqttSecurityExtension}) and
 * listen with TLS only ({@link Builder#tls(Path, String)}). The plain {@code start} methods give an
 * open broker on the loopback interface, as the all-in-one demo and most tests want.
 * HiveMQ's logging bootstrap is switched off: the application's own logback configuration rules.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    static final long MAX_QUEUE_SIZE = 1_000_000;
    static final int SERVER_RECEIVE_MAXIMUM = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);
    private static final String HOST = "127.0.0.1";
    private static final long START_TIMEOUT_SECONDS = 60;

    private final EmbeddedHiveMQ hivemq;
    private final Builder options;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedMqttBroker(EmbeddedHiveMQ hivemq, Builder options, int port) {
        this.hivemq = hivemq;
        this.options = options;
        this.port = port;
    }

    /**
     * Stops this broker gracefully (if it still runs), persisting sessions and queued messages, and starts
     * it again with the same directory, port and settings. For fault tests.
     */
    public EmbeddedMqttBroker restart() {
        close();
        return start(options, port);
    }

    /** Starts an open broker on a free port, keeping its configuration and sessions under {@code dataDir}. */
    public static EmbeddedMqttBroker start(Path dataDir) {
        return start(dataDir, FreePorts.next());
    }

    /** Starts an open broker on {@code 127.0.0.1:port}, keeping its configuration and sessions under {@code dataDir}. */
    public static EmbeddedMqttBroker start(Path dataDir, int port) {
        return builder(dataDir).port(port).start();
    }

    /** A broker keeping its configuration and sessions under {@code dataDir}; open, plain TCP, free port unless told. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** How to start a broker: port, credentials and ACL, TLS. */
    public static final class Builder {

        private final Path dataDir;
        private int port;
        private MqttCredentials credentials;
        private Path keyStore;
        private String keyStorePassword;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Refuses anonymous clients and wrong passwords; enforces the gateway and ingest ACL. */
        public Builder security(MqttCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** Listens with TLS only, presenting the key in {@code keyStore} (PKCS12 or JKS). */
        public Builder tls(Path keyStore, String password) {
            this.keyStore = keyStore.toAbsolutePath();
            this.keyStorePassword = password;
            return this;
        }

        /** Starts the broker (on a free port unless one was given). */
        public EmbeddedMqttBroker start() {
            return EmbeddedMqttBroker.start(this, port == 0 ? FreePorts.next() : port);
        }
    }

    private static EmbeddedMqttBroker start(Builder options, int port) {
        Path dataDir = options.dataDir;
        long began = System.nanoTime();
        Path root = dataDir.toAbsolutePath().normalize();
        Path conf = root.resolve("conf");
        Path data = root.resolve("data");
        Path extensions = root.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), configXml(listenerXml(options, port)), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare HiveMQ directories under " + root, e);
        }

        EmbeddedHiveMQBuilder builder = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap();
        if (options.credentials != null) {
            builder.withEmbeddedExtension(MqttSecurityExtension.embedded(options.credentials));
        }
        EmbeddedHiveMQ hivemq = builder.build();
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
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(hivemq, options, port);
        LOG.info("MQTT broker (HiveMQ CE) ready in {} ms: url={} security={} max-queue-size={} server-receive-maximum={} data={}",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), broker.url(),
                options.credentials == null ? "open" : options.credentials, MAX_QUEUE_SIZE, SERVER_RECEIVE_MAXIMUM, root);
        return broker;
    }

    /** The broker's address for MQTT clients, e.g. {@code tcp://127.0.0.1:40123} ({@code ssl://} with TLS). */
    public String url() {
        return (options.keyStore != null ? "ssl://" : "tcp://") + HOST + ":" + port;
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
        return configXml(listenerXml(new Builder(Path.of(".")), port));
    }

    static String configXml(Path keyStore, String password, int port) {
        return configXml(listenerXml(new Builder(Path.of(".")).tls(keyStore, password), port));
    }

    private static String listenerXml(Builder options, int port) {
        if (options.keyStore == null) {
            return """
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                """.formatted(port, HOST);
        }
        return """
                        <tls-tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                            <tls>
                                <keystore>
                                    <path>%s</path>
                                    <password>%s</password>
                                    <private-key-password>%s</private-key-password>
                                </keystore>
                            </tls>
                        </tls-tcp-listener>
                """.formatted(port, HOST, xml(options.keyStore.toString()), xml(options.keyStorePassword),
                xml(options.keyStorePassword));
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String configXml(String listeners) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <hivemq xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="config.xsd">
                    <listeners>
                %s    </listeners>
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
                """.formatted(listeners, MAX_QUEUE_SIZE, SERVER_RECEIVE_MAXIMUM);
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
