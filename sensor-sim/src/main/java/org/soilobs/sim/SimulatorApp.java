package org.soilobs.sim;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.soilobs.reference.ReferenceData;

/**
 * The simulator's command line: live, backfill or replay, until done or stopped (Ctrl-C / SIGTERM stop
 * after the round in flight, flush the ground truth and disconnect). It has no static logger so that
 * it can choose the logging configuration before the first logger exists.
 */
public final class SimulatorApp {

    static final String USAGE = """
            Usage: sensor-sim [--help] [--mode live|backfill|replay] [options]
                   sensor-sim gateways [--seed N] [--fields N] [--passwords] [--out FILE]
                   sensor-sim register --api URL [--seed N] [--fields N] [--api-wait DURATION]

            Simulates soil-sensor gateways publishing over MQTT 5 (QoS 1), with faults and ground truth.

            Commands:
              (none)    simulate, in the --mode below
              gateways  list the fleet's gateway ids, one a line; with --passwords "<id> <password>" lines
                        (OBS_SIM_GATEWAY_PASSWORD), the MQTT_GATEWAYS_FILE of deploy/mosquitto/make-passwd.sh;
                        to --out FILE or standard output
              register  register the fleet's fields and sensors through the API's admin routes (PUT, so
                        running it twice is harmless), the bearer token from OBS_SIM_API_TOKEN; retries
                        while the API starts, for --api-wait (OBS_SIM_API_WAIT, default PT5M)

            Modes:
              live      current readings at --rate readings/s until stopped (Ctrl-C / SIGTERM)
              backfill  reports every --step from --from to --to, as fast as the broker PUBACKs
              replay    the readings of a CSV file (--replay), as canonical batches, as fast as PUBACKs
                        allow; header: %s

            Options (each also an environment variable; the option wins):
              --mode MODE         OBS_SIM_MODE         live, backfill or replay        (default live)
              --mqtt URL          OBS_MQTT_URL         broker                          (default %s)
              --seed N            OBS_SIM_SEED         seed of fleet, values, faults   (default %d)
              --fields N          OBS_SIM_FIELDS       fields, one gateway/probe each  (default %d)
              --rate R            OBS_SIM_RATE         live: readings/s, whole fleet   (default %.0f)
              --connections N     OBS_SIM_CONNECTIONS  MQTT connections, gateways spread over them (default 1)
              --formats MIX       OBS_SIM_FORMATS      gateway formats by weight, e.g.
                                                       canonical:70,senml:10,ttn:10,chirpstack:10 (default canonical)
              --faults RATES      OBS_SIM_FAULTS       e.g. spike:0.01,jump:0.005,stuck:0.01,dropout:0.01,skew:0.01,
                                                       duplicate:0.01,out_of_order:0.01,late:0.01,malformed:0.005,
                                                       unknown_device:0.005 (default none)
              --from DATE         OBS_SIM_FROM         backfill start, 2024-01-01 or an instant (default --to - 365 d)
              --to DATE           OBS_SIM_TO           backfill end, exclusive       (default today 00:00 UTC)
              --step DURATION     OBS_SIM_STEP         backfill report interval      (default PT15M)
              --truth FILE        OBS_SIM_TRUTH        write the ground truth as JSON lines
              --replay FILE       OBS_SIM_REPLAY       the CSV file to replay
              --client-id ID      OBS_SIM_CLIENT_ID    MQTT client id (prefix)       (default soilobs-sim-{seed})
                                  OBS_SIM_GATEWAY_PASSWORD  set: each gateway connects as itself (user name =
                                                       gateway id, this password), one connection per gateway,
                                                       for a broker with per-gateway accounts (default unset:
                                                       --connections shared anonymous connections)
              --gateway-password-file FILE  OBS_SIM_GATEWAY_PASSWORD_FILE  the same, read from a file (a secret)
              --api URL           OBS_SIM_API_URL      register: the observatory API, http://host:8080
              --api-wait D        OBS_SIM_API_WAIT     register: how long to retry while the API starts (PT5M)

            Progress (readings, messages, rate) is logged every 10 s. Exit status: 0 done or stopped,
            1 broker unreachable or refusing the credentials (register: API unreachable or refusing),
            2 bad configuration or input file.
            """.formatted(CsvReplay.HEADER, SimConfig.DEFAULT_MQTT_URL, SimConfig.DEFAULT_SEED,
            SimConfig.DEFAULT_FIELDS, SimConfig.DEFAULT_RATE);

    private static final int REPLAY_MESSAGES_PER_ROUND = 1000;

    private SimulatorApp() {
    }

    public static void main(String[] args) {
        // The jars on this classpath (HiveMQ's, in tests) bring logback.xml files of their own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "soilobs-logback.xml");
        }
        List<String> arguments = List.of(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        String command = arguments.isEmpty() || arguments.get(0).startsWith("-") ? "" : arguments.get(0);
        switch (command) {
            case "" -> {
                // Simulate: below.
            }
            case "gateways" -> {
                System.exit(gateways(arguments.subList(1, arguments.size()), System.getenv()));
                return;
            }
            case "register" -> {
                System.exit(register(arguments.subList(1, arguments.size()), System.getenv()));
                return;
            }
            default -> {
                System.err.println("configuration error: unknown command " + command);
                System.err.println("run with --help for the commands and options");
                System.exit(2);
                return;
            }
        }
        SimOptions options;
        try {
            options = SimOptions.fromEnv(SimOptions.overlay(System.getenv(), arguments));
        } catch (IllegalArgumentException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.err.println("run with --help for the options");
            System.exit(2);
            return;
        }
        System.exit(run(options));
    }

    /** Runs to the end or until the JVM is asked to stop; returns the exit status. */
    static int run(SimOptions options) {
        Logger log = LoggerFactory.getLogger(SimulatorApp.class);
        log.info("starting with {}", options);
        Fleet fleet = options.mode() == SimOptions.Mode.REPLAY ? null
                : Fleet.generate(options.sim().seed(), options.sim().fields(), ReferenceData.load());
        PublisherPool pool;
        try {
            pool = options.perGatewayConnections()
                    ? PublisherPool.connectPerGateway(options.sim().mqttUrl(), options.sim().clientId(),
                            fleet.gateways(), options.gatewayPassword())
                    : PublisherPool.connect(options.sim().mqttUrl(), options.sim().clientId(), options.connections());
        } catch (MqttException e) {
            log.error("cannot connect to {}: {}", SimConfig.mask(options.sim().mqttUrl()), e.getMessage());
            return 1;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        TrafficRun[] current = new TrafficRun[1];
        Thread hook = new Thread(() -> {
            stopping.set(true);
            synchronized (current) {
                if (current[0] != null) {
                    current[0].stop();
                }
            }
            try {
                if (!finished.await(15, TimeUnit.SECONDS)) {
                    main.interrupt();
                    finished.await(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (options.mode() == SimOptions.Mode.REPLAY) {
                return replay(options, pool, stopping, log);
            }
            boolean live = options.mode() == SimOptions.Mode.LIVE;
            Duration tick = live ? Traffic.tickFor(fleet, options.sim().seed(), options.formats(), options.sim().rate())
                    : options.step();
            long reports = Math.max(1, Duration.between(options.from(), options.to()).toMillis() / tick.toMillis());
            int perRound = live ? SimOptions.liveReportsPerRound(tick) : backfillReportsPerRound(reports);
            Instant origin = live ? Clock.systemUTC().instant().truncatedTo(ChronoUnit.SECONDS) : options.from();
            Traffic traffic = new Traffic(fleet, options.sim().seed(), origin, tick, perRound, options.formats(),
                    options.faults(), live);
            try (OutputStream out = options.truth() == null ? OutputStream.nullOutputStream()
                    : Files.newOutputStream(options.truth());
                    GroundTruthWriter truth = new GroundTruthWriter(out)) {
                truth.fields(traffic, new ReadingGenerator(options.sim().seed()));
                TrafficRun run = new TrafficRun(traffic, pool::publish, truth, Clock.systemUTC());
                synchronized (current) {
                    current[0] = run;
                    if (stopping.get()) {
                        run.stop();
                    }
                }
                log.info("{} fields; each probe reports every {} ms, {} reports per round", fleet.size(),
                        tick.toMillis(), perRound);
                if (live) {
                    run.live();
                } else {
                    long rounds = reports / perRound;
                    boolean complete = run.backfill(rounds);
                    log.info("backfill {}: {} rounds up to {}", complete ? "complete" : "stopped", run.rounds(),
                            traffic.roundEnd(Math.min(rounds, run.rounds()) - 1));
                }
                log.info("published {} readings in {} messages; {} skipped; {} ground-truth rows",
                        run.publishedReadings(), run.publishedMessages(), run.skippedReadings(), truth.rows());
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (IllegalArgumentException e) {
            log.error("cannot run: {}", e.getMessage());
            return 2;
        } catch (IOException e) {
            log.error("cannot write the ground truth to {}: {}", options.truth(), e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            if (stopping.get()) {
                return 0;
            }
            log.error("simulation stopped: {}", e.getMessage());
            return 1;
        } finally {
            pool.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // The JVM is already shutting down: the hook is running and is satisfied.
            }
        }
    }

    /**
     * {@code sensor-sim gateways}: the fleet's gateway ids, or with {@code --passwords} the accounts file
     * that deploy/mosquitto/make-passwd.sh reads; returns the exit status.
     */
    public static int gateways(List<String> arguments, Map<String, String> env) {
        List<String> rest = new ArrayList<>(arguments);
        boolean passwords = rest.remove("--passwords");
        Path out = null;
        int outAt = rest.indexOf("--out");
        try {
            if (outAt >= 0) {
                if (outAt + 1 >= rest.size()) {
                    throw new IllegalArgumentException("--out needs a file");
                }
                out = Path.of(rest.get(outAt + 1));
                rest.subList(outAt, outAt + 2).clear();
            }
            SimOptions options = SimOptions.fromEnv(SimOptions.overlay(env, rest));
            if (passwords && !options.perGatewayConnections()) {
                throw new IllegalArgumentException("--passwords needs OBS_SIM_GATEWAY_PASSWORD "
                        + "(or OBS_SIM_GATEWAY_PASSWORD_FILE)");
            }
            Fleet fleet = Fleet.generate(options.sim().seed(), options.sim().fields(), ReferenceData.load());
            StringBuilder text = new StringBuilder();
            for (String gateway : fleet.gateways()) {
                text.append(gateway);
                if (passwords) {
                    text.append(' ').append(options.gatewayPassword());
                }
                text.append('\n');
            }
            if (out == null) {
                System.out.print(text);
            } else {
                // The file holds a secret: readable by its owner only, written whole or not at all.
                Path temporary = Files.createTempFile(out.toAbsolutePath().getParent(), ".gateways", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temporary, text, StandardCharsets.UTF_8);
                Files.move(temporary, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                System.err.println("wrote " + fleet.gateways().size() + " gateways to " + out);
            }
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.err.println("run with --help for the options");
            return 2;
        } catch (IOException | UnsupportedOperationException e) {
            System.err.println("cannot write " + out + ": " + e.getMessage());
            return 2;
        }
    }

    /** {@code sensor-sim register}: the fleet's fields and sensors through the API; returns the exit status. */
    public static int register(List<String> arguments, Map<String, String> env) {
        SimOptions options;
        RegisterConfig config;
        try {
            Map<String, String> merged = SimOptions.overlay(env, arguments);
            options = SimOptions.fromEnv(merged);
            config = RegisterConfig.fromEnv(merged);
        } catch (IllegalArgumentException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.err.println("run with --help for the options");
            return 2;
        }
        Logger log = LoggerFactory.getLogger(SimulatorApp.class);
        Fleet fleet = Fleet.generate(options.sim().seed(), options.sim().fields(), ReferenceData.load());
        log.info("registering {} fields and their sensors (seed {}) with {}", fleet.size(), options.sim().seed(),
                config);
        try {
            int accepted = new FleetRegistrar(config).register(fleet);
            log.info("registered {} fields and {} sensors; the API accepted all {} registrations", fleet.size(),
                    fleet.sensors().size(), accepted);
            return 0;
        } catch (FleetRegistrar.RegistrationException e) {
            log.error("cannot register the fleet: {}", e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("registration interrupted");
            return 1;
        }
    }

    /** The most reports (up to 10) per canonical message that divide the backfill into whole rounds. */
    static int backfillReportsPerRound(long reports) {
        for (int perRound = 10; perRound > 1; perRound--) {
            if (reports % perRound == 0) {
                return perRound;
            }
        }
        return 1;
    }

    private static int replay(SimOptions options, PublisherPool pool, AtomicBoolean stopping, Logger log)
            throws InterruptedException {
        long readings = 0;
        long messages = 0;
        long started = System.nanoTime();
        long reportAt = started + TimeUnit.SECONDS.toNanos(10);
        try (BufferedReader in = Files.newBufferedReader(options.replay(), StandardCharsets.UTF_8)) {
            CsvReplay replay = new CsvReplay(in);
            List<CanonicalBatch> batches;
            while (!stopping.get() && !(batches = replay.next(REPLAY_MESSAGES_PER_ROUND)).isEmpty()) {
                PublishResult result = pool.publish(batches);
                readings += result.readings();
                messages += result.messages();
                if (System.nanoTime() > reportAt) {
                    log.info("replayed {} readings in {} messages; {} readings/s", readings, messages,
                            Math.round(readings / ((System.nanoTime() - started) / 1e9)));
                    reportAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                }
            }
        } catch (NoSuchFileException e) {
            log.error("no file {}", options.replay());
            return 2;
        } catch (IOException e) {
            log.error("cannot read {}: {}", options.replay(), e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            log.error("{}: {}", options.replay(), e.getMessage());
            return 2;
        }
        log.info("replay {}: {} readings in {} messages", stopping.get() ? "stopped" : "complete", readings, messages);
        return 0;
    }
}
