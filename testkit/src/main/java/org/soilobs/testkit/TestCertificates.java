package org.soilobs.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for 127.0.0.1 and a trust store holding it, made with the JDK's
 * {@code keytool} (a real TLS handshake, no trust-all shortcut in the clients).
 *
 * @param keyStore PKCS12 with the broker's key and certificate
 * @param trustStore PKCS12 with the certificate only, for clients
 * @param certificatePem the certificate in PEM, for clients that take a CA file ({@code mosquitto_pub --cafile})
 * @param password of both stores
 */
public record TestCertificates(Path keyStore, Path trustStore, Path certificatePem, String password) {

    /** Makes the stores in {@code dir} (created if missing). */
    public static TestCertificates generate(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve("broker.p12");
            Path pem = dir.resolve("broker.pem");
            Path trustStore = dir.resolve("trust.p12");
            String password = "changeit-" + Long.toHexString(System.nanoTime());
            keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                    "-dname", "CN=127.0.0.1", "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", password, "-keypass", password);
            keytool(dir, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keyStore.toString(),
                    "-storepass", password, "-file", pem.toString());
            keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", pem.toString(), "-storetype",
                    "PKCS12", "-keystore", trustStore.toString(), "-storepass", password);
            return new TestCertificates(keyStore, trustStore, pem, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make test certificates in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making test certificates", e);
        }
    }

    /** TLS sockets that trust exactly the test certificate. */
    public SSLSocketFactory clientSocketFactory() {
        try (InputStream in = Files.newInputStream(trustStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the trust store " + trustStore, e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output);
        }
    }
}
