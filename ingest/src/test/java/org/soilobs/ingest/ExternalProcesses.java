package org.soilobs.ingest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.soilobs.testkit.FreePorts;

/**
 * Programs the project did not write, and ingest as a process of its own: Mosquitto ({@code mosquitto},
 * {@code mosquitto_pub}, from Debian's {@code mosquitto} and {@code mosquitto-clients}, which
 * {@code scripts/ensure-tools.sh} installs) and a separate ingest JVM that can be killed with SIGKILL.
 */
final class ExternalProcesses {

    private ExternalProcesses() {
    }

    /** The executable, on the PATH or in the usual Debian directories. */
    static Optional<Path> find(String program) {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, program));
            }
        }
        candidates.add(Path.of("/usr/sbin", program));
        candidates.add(Path.of("/usr/bin", program));
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    static Path require(String program) {
        return find(program).orElseThrow(() -> new IllegalStateException(program + " is not installed: run "
                + "scripts/ensure-tools.sh (Debian packages mosquitto and mosquitto-clients)"));
    }

    /** Runs {@code mosquitto_pub} once: one QoS 1 message from a file; true if it exited 0 (PUBACK received). */
    static boolean mosquittoPub(int port, String topic, Path file, String clientId, Path log) throws Exception {
        Process pub = new ProcessBuilder(require("mosquitto_pub").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-V", "mqttv5", "-q", "1", "-i", clientId, "-t", topic, "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!pub.waitFor(60, TimeUnit.SECONDS)) {
            pub.destroyForcibly().waitFor();
            return false;
        }
        return pub.exitValue() == 0;
    }

    /** A Mosquitto broker on a free port, persistent, queueing generously for absent sessions. */
    static final class Mosquitto implements AutoCloseable {

        final int port;
        private final Process process;

        Mosquitto(Path dir) throws Exception {
            Files.createDirectories(dir);
            port = FreePorts.next();
            Path config = dir.resolve("mosquitto.conf");
            Files.writeString(config, String.join("\n",
                    "listener " + port + " 127.0.0.1",
                    "allow_anonymous true",
                    // Started as root, Mosquitto would switch to user mosquitto, who cannot write here.
                    "user " + System.getProperty("user.name"),
                    "persistence true",
                    "persistence_location " + dir.toAbsolutePath() + "/",
                    // Queued for an absent ingest session: more than any test publishes (the default 1000 would
                    // drop messages it has PUBACKed to the publisher).
                    "max_queued_messages 1000000",
                    "max_inflight_messages 0",
                    "log_dest file " + dir.toAbsolutePath().resolve("mosquitto.log"),
                    ""), StandardCharsets.UTF_8);
            process = new ProcessBuilder(require("mosquitto").toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            awaitPort(port, Duration.ofSeconds(30));
        }

        String url() {
            return "tcp://127.0.0.1:" + port;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Ingest in a JVM of its own ({@code IngestApp.main}), configured by environment like in production. */
    static final class IngestProcess implements AutoCloseable {

        private final Process process;
        private final Path log;

        IngestProcess(Map<String, String> env, Path log) throws IOException {
            this.log = log;
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-cp", System.getProperty("java.class.path"), IngestApp.class.getName());
            builder.environment().putAll(env);
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            this.process = builder.start();
        }

        /** Waits for the log line that says ingest is connected and taking messages. */
        void awaitRunning(Duration patience) throws Exception {
            Instant giveUp = Instant.now().plus(patience);
            while (Instant.now().isBefore(giveUp)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("ingest exited with " + process.exitValue() + "; log:\n" + tail());
                }
                if (Files.readString(log, StandardCharsets.UTF_8).contains("Ingest running")) {
                    return;
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("ingest did not start within " + patience + "; log:\n" + tail());
        }

        /** SIGKILL: no shutdown hook, no flush, no PUBACK or DISCONNECT sent. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        private String tail() throws IOException {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 4000));
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
        }
    }

    static void awaitPort(int port, Duration patience) throws InterruptedException {
        Instant giveUp = Instant.now().plus(patience);
        while (Instant.now().isBefore(giveUp)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("nothing listens on port " + port + " after " + patience);
    }
}
