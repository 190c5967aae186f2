package org.soilobs.ingest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificates an {@code ssl://} or {@code wss://} MQTT source trusts: a trust store of its own
 * (PKCS12 or JKS, told apart by its content), instead of the JVM's default CA list. The broker's host
 * name is checked against its certificate as always.
 *
 * @param trustStore the trust store file; must exist
 * @param password its password, null for none; never printed
 */
public record MqttTls(Path trustStore, String password) {

    public MqttTls {
        Objects.requireNonNull(trustStore, "trustStore");
        if (!Files.isReadable(trustStore)) {
            throw new IllegalArgumentException("the MQTT trust store " + trustStore + " is not a readable file");
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
    }

    /** TLS sockets trusting exactly the certificates of the trust store. */
    public SSLSocketFactory socketFactory() {
        try {
            KeyStore store = KeyStore.getInstance(trustStore.toFile(), password == null ? null : password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the MQTT trust store " + trustStore + ": " + e.getMessage(), e);
        }
    }

    /** The settings as logged, the password masked. */
    @Override
    public String toString() {
        return "MqttTls[trustStore=" + trustStore + ", password=" + (password == null ? "(none)" : "****") + "]";
    }
}
