package org.soilobs.ingest;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.soilobs.ingest.bridge.SourceType;

/**
 * One MQTT source: a broker connection of its own (with its own persistent session) and the topic filter
 * ingest joins there as a shared subscription.
 *
 * @param name names the source in dead letters and metrics, e.g. {@code observatory}, {@code ttn}
 * @param type the topic layout, which tells which level names the gateway
 * @param url the broker, {@code tcp://host:port} (or {@code ssl}, {@code ws}, {@code wss})
 * @param topicFilter the filter subscribed to (shared among the ingest instances)
 * @param username null for none
 * @param password null for none; never printed
 * @param clientId fixed per instance and source: the broker keeps this session across restarts
 * @param tls the trust store for {@code ssl}/{@code wss}; null for the JVM's default trust
 */
public record MqttSource(String name, SourceType type, String url, String topicFilter, String username,
        String password, String clientId, MqttTls tls) {

    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    /** A source trusting the JVM's default certificates. */
    public MqttSource(String name, SourceType type, String url, String topicFilter, String username, String password,
            String clientId) {
        this(name, type, url, topicFilter, username, password, clientId, null);
    }

    public MqttSource {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a source name must be 1-40 lower-case letters, digits or '-', was "
                    + name);
        }
        Objects.requireNonNull(type, "type");
        requireUrl(url, name);
        if (topicFilter == null || topicFilter.isBlank()) {
            throw new IllegalArgumentException("source " + name + ": the topic filter must not be blank");
        }
        if (username != null && username.isEmpty()) {
            username = null;
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("source " + name + ": the client id must not be blank");
        }
    }

    static void requireUrl(String url, String what) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(what + ": the broker URL must not be blank");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + ": the broker URL is not a URL: " + url);
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException(what + ": the broker URL must look like tcp://host:port (or ssl, ws, "
                    + "wss), was " + url);
        }
    }

    /** The settings as logged, the password masked. */
    @Override
    public String toString() {
        return "MqttSource[name=" + name + ", type=" + type.id() + ", url=" + url + ", topicFilter=" + topicFilter
                + ", username=" + (username == null ? "(none)" : username)
                + ", password=" + (password == null ? "(none)" : "****") + ", clientId=" + clientId
                + (tls == null ? "" : ", tls=" + tls) + "]";
    }
}
