package org.soilobs.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server from the machine's Debian packages ({@code /usr/lib/postgresql/<major>/bin}),
 * owning one data directory and listening on 127.0.0.1 only.
 *
 * <p>{@code dataDir} is the cluster's data directory ({@code PGDATA}, so {@code pg_ctl -D dataDir}
 * works from a shell); it also holds {@code socket/} (the unix socket, so that nothing is needed in
 * {@code /var/run/postgresql}) and {@code log/postgres.log} (the server's output).
 * The cluster is created by {@code initdb} on first use and reused afterwards; the database and the
 * role {@value #USER} (password {@value #PASSWORD}) are created when missing. Local (unix socket)
 * connections are trusted, TCP connections need a password.
 *
 * <p>PostgreSQL refuses to run as root, so when this JVM runs as root the tools run as the
 * {@code postgres} user via {@code runuser}; the server's directories are then handed to that user,
 * and the directories above {@code dataDir} are made traversable (search permission, {@code o+x}) for it.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String DATABASE = "observatory";
    public static final String USER = "observatory";
    public static final String PASSWORD = "observatory";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String HOST = "127.0.0.1";
    private static final Path DEBIAN_PG_ROOT = Path.of("/usr/lib/postgresql");
    private static final String SYSTEM_USER = "postgres";
    private static final String SUPERUSER = "postgres";
    /** sun_path of a unix socket holds 108 bytes including the terminating NUL. */
    private static final int MAX_SOCKET_PATH = 107;
    private static final long TOOL_TIMEOUT_SECONDS = 120;

    private final Layout layout;
    private final Tools tools;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgres(Layout layout, Tools tools, int port) {
        this.layout = layout;
        this.tools = tools;
        this.port = port;
    }

    /** Starts a durable server on a free port with its cluster under {@code dataDir}. */
    public static EmbeddedPostgres start(Path dataDir) {
        return builder(dataDir).start();
    }

    /** Starts a durable server on {@code 127.0.0.1:port} with its cluster under {@code dataDir}. */
    public static EmbeddedPostgres start(Path dataDir, int port) {
        return builder(dataDir).port(port).start();
    }

    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** Options for a server; {@link #start()} starts it. */
    public static final class Builder {
        private final Path dataDir;
        private int port;
        private boolean durable = true;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        /** The TCP port on 127.0.0.1; by default a free one. */
        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be in 1..65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Whether commits survive a crash of the machine (the default). Tests may pass {@code false}
         * to run with {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} off: a
         * crash can then corrupt the cluster.
         */
        public Builder durable(boolean durable) {
            this.durable = durable;
            return this;
        }

        public EmbeddedPostgres start() {
            return EmbeddedPostgres.start(dataDir, port == 0 ? FreePorts.next() : port, durable);
        }
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/observatory}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** A new non-pooling data source for the {@value #DATABASE} database as {@value #USER}. */
    public DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setServerNames(new String[] {HOST});
        dataSource.setPortNumbers(new int[] {port});
        dataSource.setDatabaseName(DATABASE);
        dataSource.setUser(USER);
        dataSource.setPassword(PASSWORD);
        dataSource.setApplicationName("soilobs-testkit");
        return dataSource;
    }

    /** Stops the server ({@code pg_ctl -m fast stop}) and waits until it has exited. Safe to call twice. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long began = System.nanoTime();
            try {
                tools.run("pg_ctl stop", List.of(tools.bin("pg_ctl"), "stop", "-D", layout.pgdata.toString(),
                        "-m", "fast", "-w", "-t", "60", "-s"), null);
                LOG.info("PostgreSQL on {}:{} stopped in {} ms", HOST, port,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
            } catch (IllegalStateException e) {
                LOG.warn("PostgreSQL did not stop cleanly, killing it: {}", e.getMessage());
                killPostmaster(layout);
            }
        }
    }

    private static EmbeddedPostgres start(Path dataDir, int port, boolean durable) {
        long began = System.nanoTime();
        Layout layout = new Layout(dataDir.toAbsolutePath().normalize());
        Path binDir = binDir(layout);
        Tools tools = new Tools(binDir, layout, runsAsRoot());
        boolean initialised = layout.prepare(tools.asRoot, port);

        if (initialised) {
            stopStalePostmaster(tools, layout);
        } else {
            initdb(tools, layout, durable);
        }
        layout.createServerDirectories(tools.asRoot);

        List<String> options = new ArrayList<>(List.of(
                "-p " + port,
                "-c listen_addresses=" + HOST,
                "-c unix_socket_directories=" + shellQuoted(layout.socket.toString()),
                "-c shared_buffers=128MB",
                "-c max_connections=100"));
        if (!durable) {
            options.addAll(List.of("-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"));
        }
        try {
            tools.run("pg_ctl start", List.of(tools.bin("pg_ctl"), "start", "-D", layout.pgdata.toString(),
                    "-l", layout.serverLog.toString(), "-w", "-t", "60", "-s", "-o", String.join(" ", options)), null);
        } catch (RuntimeException e) {
            // pg_ctl gives up waiting after 60 s, but the postmaster it launched may still come up.
            killPostmaster(layout);
            throw e;
        }

        EmbeddedPostgres postgres = new EmbeddedPostgres(layout, tools, port);
        try {
            createRoleAndDatabase(tools, layout, port);
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        LOG.info("PostgreSQL {} ready in {} ms: url={} user={} durable={} pgdata={} log={}",
                binDir.getParent().getFileName(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began),
                postgres.jdbcUrl(), USER, durable, layout.pgdata, layout.serverLog);
        return postgres;
    }

    private static void initdb(Tools tools, Layout layout, boolean durable) {
        List<String> command = new ArrayList<>(List.of(tools.bin("initdb"), "-D", layout.pgdata.toString(),
                "-U", SUPERUSER, "--auth-local=trust", "--auth-host=scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"));
        if (!durable) {
            command.add("--no-sync");
        }
        long began = System.nanoTime();
        tools.run("initdb", command, null);
        LOG.info("Initialised PostgreSQL cluster in {} ({} ms)", layout.pgdata,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
    }

    private static void createRoleAndDatabase(Tools tools, Layout layout, int port) {
        // USER, PASSWORD and DATABASE are constants: plain identifiers and literals, nothing to escape.
        String script = """
                SELECT 'CREATE ROLE %1$s LOGIN PASSWORD ''%2$s'''
                 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%1$s')\\gexec
                SELECT 'CREATE DATABASE %3$s OWNER %1$s'
                 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '%3$s')\\gexec
                """.formatted(USER, PASSWORD, DATABASE);
        tools.run("psql", List.of(tools.bin("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", layout.socket.toString(), "-p", String.valueOf(port), "-U", SUPERUSER, "-d", "postgres",
                "-f", "-"), script);
    }

    /** A postmaster left running by an earlier process that died without closing it. */
    private static void stopStalePostmaster(Tools tools, Layout layout) {
        Optional<ProcessHandle> postmaster = runningPostmaster(layout);
        if (postmaster.isEmpty()) {
            return;
        }
        LOG.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run", postmaster.get().pid(), layout.pgdata);
        try {
            tools.run("pg_ctl stop", List.of(tools.bin("pg_ctl"), "stop", "-D", layout.pgdata.toString(),
                    "-m", "fast", "-w", "-t", "30", "-s"), null);
        } catch (IllegalStateException e) {
            LOG.warn("pg_ctl could not stop the stale server, killing it: {}", e.getMessage());
            killPostmaster(layout);
        }
    }

    private static Optional<ProcessHandle> runningPostmaster(Layout layout) {
        Path pidFile = layout.pgdata.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.exists(pidFile) ? Files.readAllLines(pidFile, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        // The pid may since have been reused: only a postgres serving this very directory counts.
        Path pidDataDir = Path.of(lines.get(1).strip());
        return ProcessHandle.of(pid)
                .filter(p -> isRunning(pid))
                .filter(p -> commandLine(pid).contains("postgres"))
                .filter(p -> pidDataDir.equals(layout.pgdata));
    }

    private static void killPostmaster(Layout layout) {
        runningPostmaster(layout).ifPresent(postmaster -> {
            postmaster.destroyForcibly();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (isRunning(postmaster.pid()) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
    }

    /**
     * Whether the process exists and has not exited. {@link ProcessHandle#isAlive()} also counts a
     * zombie as alive, and a daemonised postmaster is reaped by pid 1, which some containers do late.
     */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"), StandardCharsets.UTF_8);
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | IndexOutOfBoundsException e) {
            return false;
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                    StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    /** The bin directory of the cluster's major version if it is initialised, else of the highest installed one. */
    private static Path binDir(Layout layout) {
        List<Path> installed = installedBinDirs();
        if (installed.isEmpty()) {
            throw new IllegalStateException("No PostgreSQL server found under " + DEBIAN_PG_ROOT
                    + "/<version>/bin. Install it with the project's setup script (Debian package 'postgresql').");
        }
        Path versionFile = layout.pgdata.resolve("PG_VERSION");
        if (Files.exists(versionFile)) {
            String major;
            try {
                major = Files.readString(versionFile, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + versionFile, e);
            }
            Path matching = DEBIAN_PG_ROOT.resolve(major).resolve("bin");
            if (!installed.contains(matching)) {
                throw new IllegalStateException("The cluster in " + layout.pgdata + " was created by PostgreSQL "
                        + major + ", which is not installed (found " + installed + "). Delete the directory to start afresh.");
            }
            return matching;
        }
        return installed.get(installed.size() - 1);
    }

    private static List<Path> installedBinDirs() {
        if (!Files.isDirectory(DEBIAN_PG_ROOT)) {
            return List.of();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_PG_ROOT)) {
            return versions
                    .filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .map(v -> v.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve("pg_ctl")) && Files.isExecutable(bin.resolve("initdb")))
                    .sorted(Comparator.comparingDouble(bin -> Double.parseDouble(bin.getParent().getFileName().toString())))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + DEBIAN_PG_ROOT, e);
        }
    }

    private static boolean runsAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    private static final class Layout {
        final Path pgdata;
        final Path socket;
        final Path logs;
        final Path serverLog;

        Layout(Path pgdata) {
            this.pgdata = pgdata;
            this.socket = pgdata.resolve("socket");
            this.logs = pgdata.resolve("log");
            this.serverLog = logs.resolve("postgres.log");
        }

        /** Creates the data directory if needed, hands it to the system user, and tells whether it holds a cluster. */
        boolean prepare(boolean asRoot, int port) {
            String socketFile = socket.resolve(".s.PGSQL." + port).toString();
            if (socketFile.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
                throw new IllegalStateException("The unix socket path " + socketFile + " is longer than "
                        + MAX_SOCKET_PATH + " bytes: choose a shorter data directory for PostgreSQL");
            }
            try {
                Files.createDirectories(pgdata);
                boolean initialised = Files.exists(pgdata.resolve("PG_VERSION"));
                if (!initialised) {
                    try (Stream<Path> entries = Files.list(pgdata)) {
                        if (entries.findAny().isPresent()) {
                            throw new IllegalStateException(pgdata + " is neither empty nor a PostgreSQL cluster:"
                                    + " give PostgreSQL a directory of its own");
                        }
                    }
                }
                if (asRoot) {
                    handToSystemUser();
                }
                return initialised;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare PostgreSQL data directory " + pgdata, e);
            }
        }

        void createServerDirectories(boolean asRoot) {
            try {
                for (Path dir : List.of(socket, logs)) {
                    if (!Files.isDirectory(dir)) {
                        Files.createDirectory(dir);
                        Files.setPosixFilePermissions(dir, Set.of(PosixFilePermission.OWNER_READ,
                                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));
                        if (asRoot) {
                            chownRecursively(dir, systemUser(), systemGroup());
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create PostgreSQL directories in " + pgdata, e);
            }
        }

        private void handToSystemUser() throws IOException {
            UserPrincipal user = systemUser();
            if (!user.equals(Files.getOwner(pgdata))) {
                chownRecursively(pgdata, user, systemGroup());
            }
            for (Path dir = pgdata.getParent(); dir != null; dir = dir.getParent()) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE) && !user.equals(Files.getOwner(dir))) {
                    permissions.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(dir, permissions);
                    LOG.info("Allowed others to traverse {} so that the '{}' user reaches {}", dir, SYSTEM_USER, pgdata);
                }
            }
        }

        private UserPrincipal systemUser() throws IOException {
            try {
                return lookup().lookupPrincipalByName(SYSTEM_USER);
            } catch (UserPrincipalNotFoundException e) {
                throw new IllegalStateException("Running as root, PostgreSQL must run as the '" + SYSTEM_USER
                        + "' user, which does not exist. Install PostgreSQL with the project's setup script"
                        + " (scripts/ensure-tools.sh).", e);
            }
        }

        private GroupPrincipal systemGroup() throws IOException {
            return lookup().lookupPrincipalByGroupName(SYSTEM_USER);
        }

        private UserPrincipalLookupService lookup() {
            return pgdata.getFileSystem().getUserPrincipalLookupService();
        }

        private static void chownRecursively(Path path, UserPrincipal user, GroupPrincipal group) throws IOException {
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS);
            view.setOwner(user);
            view.setGroup(group);
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> children = Files.newDirectoryStream(path)) {
                    for (Path child : children) {
                        chownRecursively(child, user, group);
                    }
                }
            }
        }
    }

    /** Runs the PostgreSQL tools, as the {@code postgres} user when this JVM is root. */
    private static final class Tools {
        final Path binDir;
        final Layout layout;
        final boolean asRoot;

        Tools(Path binDir, Layout layout, boolean asRoot) {
            this.binDir = binDir;
            this.layout = layout;
            this.asRoot = asRoot;
        }

        String bin(String tool) {
            return binDir.resolve(tool).toString();
        }

        void run(String what, List<String> command, String stdin) {
            List<String> full = new ArrayList<>();
            if (asRoot) {
                full.addAll(List.of("runuser", "-u", SYSTEM_USER, "--"));
            }
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(layout.pgdata.toFile())
                    .redirectErrorStream(true);
            builder.environment().put("LC_ALL", "C.UTF-8");
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            LOG.debug("Running {}", full);
            try {
                Process process = builder.start();
                // pg_ctl's postmaster writes to its log file (-l), so the pipe closes when the tool exits.
                CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process));
                try (OutputStream in = process.getOutputStream()) {
                    if (stdin != null) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(TOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(what + " did not finish within " + TOOL_TIMEOUT_SECONDS
                            + " s" + details(output));
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(what + " failed with exit code " + process.exitValue()
                            + details(output));
                }
                String text = output.join();
                if (!text.isEmpty()) {
                    LOG.debug("{}: {}", what, text);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run " + full, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + what, e);
            }
        }

        private static String readAll(Process process) {
            try {
                return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        }

        private String details(CompletableFuture<String> output) {
            String text = output.completeOnTimeout("(no output)", 5, TimeUnit.SECONDS).join();
            return "\n--- output ---\n" + text + "\n--- last lines of " + layout.serverLog + " ---\n" + tail(layout.serverLog);
        }

        private static String tail(Path file) {
            try {
                if (!Files.exists(file)) {
                    return "(none)";
                }
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
            } catch (IOException e) {
                return "(cannot read " + file + ": " + e.getMessage() + ")";
            }
        }
    }
}
