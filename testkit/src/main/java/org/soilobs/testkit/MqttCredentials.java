package org.soilobs.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who may connect to the embedded broker and as what (DESIGN §3): each gateway with its own
 * username (its gateway id) and password, allowed to publish only to {@code soil/v1/{username}/up};
 * ingest identities allowed only to join the shared subscription {@code $share/ingest/soil/v1/+/up}.
 *
 * <p>The file form, one identity a line ({@code #} starts a comment):
 * <pre>
 * gateway gw-fr-beauce-1 s3cret
 * ingest  ingest         an0ther
 * </pre>
 * The passwords are in clear, so the file must be readable by the broker's user only; the production
 * broker (Mosquitto, {@code deploy/mosquitto}) keeps salted hashes made by {@code mosquitto_passwd}.
 *
 * @param gateways gateway id → password
 * @param ingest ingest identity → password
 */
public record MqttCredentials(Map<String, String> gateways, Map<String, String> ingest) {

    /** Ids that are one topic level: a {@code +}, {@code #} or {@code /} would widen the ACL. */
    private static final Pattern IDENTITY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");

    public MqttCredentials {
        gateways = Map.copyOf(gateways);
        ingest = Map.copyOf(ingest);
        for (Map<String, String> identities : List.of(gateways, ingest)) {
            identities.forEach((name, password) -> {
                if (!IDENTITY.matcher(name).matches()) {
                    throw new IllegalArgumentException("an MQTT identity must be 1-128 letters, digits, '.', '_', "
                            + "'@' or '-' (one topic level), was " + name);
                }
                if (password == null || password.isEmpty()) {
                    throw new IllegalArgumentException("MQTT identity " + name + " has an empty password");
                }
            });
        }
        for (String name : ingest.keySet()) {
            if (gateways.containsKey(name)) {
                throw new IllegalArgumentException(name + " is both a gateway and an ingest identity");
            }
        }
    }

    public static MqttCredentials of(Map<String, String> gateways, Map<String, String> ingest) {
        return new MqttCredentials(gateways, ingest);
    }

    /** Reads the file form described above; a malformed line names its number. */
    public static MqttCredentials load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the MQTT credentials file " + file, e);
        }
        Map<String, String> gateways = new LinkedHashMap<>();
        Map<String, String> ingest = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+");
            if (parts.length != 3 || !(parts[0].equals("gateway") || parts[0].equals("ingest"))) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                        + ": expected 'gateway|ingest <username> <password>'");
            }
            Map<String, String> target = parts[0].equals("gateway") ? gateways : ingest;
            if (target.put(parts[1], parts[2]) != null) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + parts[1] + " is listed twice");
            }
        }
        return new MqttCredentials(gateways, ingest);
    }

    /** Writes the file form, readable and writable by its owner only where the file system allows. */
    public void write(Path file) {
        StringBuilder text = new StringBuilder("# role username password\n");
        gateways.forEach((name, password) -> text.append("gateway ").append(name).append(' ').append(password).append('\n'));
        ingest.forEach((name, password) -> text.append("ingest ").append(name).append(' ').append(password).append('\n'));
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
            try {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Nothing to narrow on a file system without POSIX permissions.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the MQTT credentials file " + file, e);
        }
    }

    /** The role of a username whose password matches, or null: a wrong password and an unknown user look the same. */
    Role authenticate(String username, byte[] password) {
        Objects.requireNonNull(password, "password");
        if (matches(gateways.get(username), password)) {
            return Role.GATEWAY;
        }
        if (matches(ingest.get(username), password)) {
            return Role.INGEST;
        }
        return null;
    }

    private static boolean matches(String expected, byte[] given) {
        // Constant time, so that timing does not reveal how much of a password was right.
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given);
    }

    enum Role { GATEWAY, INGEST }

    /** Passwords masked. */
    @Override
    public String toString() {
        return "MqttCredentials[gateways=" + gateways.keySet() + ", ingest=" + ingest.keySet() + "]";
    }
}
