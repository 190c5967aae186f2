package org.soilobs.sim;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the simulator in live mode until stopped (Ctrl-C / SIGTERM). It has no static logger so that it
 * can choose the logging configuration before the first logger exists.
 */
public final class SimulatorApp {

    static final String USAGE = """
            Usage: sensor-sim [--help]

            Simulates a fleet of soil-sensor gateways publishing canonical JSON batches over MQTT 5
            (QoS 1, topic soil/v1/{gateway}/up) at a steady rate, until stopped with Ctrl-C.

            Environment:
              OBS_MQTT_URL       broker URL                           (default %s)
              OBS_SIM_SEED       seed of the fleet and of every value (default %d)
              OBS_SIM_FIELDS     number of fields, one gateway each   (default %d)
              OBS_SIM_RATE       readings per second, whole fleet     (default %.0f)
              OBS_SIM_CLIENT_ID  MQTT client id                       (default soilobs-sim-{seed})
            """.formatted(SimConfig.DEFAULT_MQTT_URL, SimConfig.DEFAULT_SEED, SimConfig.DEFAULT_FIELDS,
            SimConfig.DEFAULT_RATE);

    private SimulatorApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        // The jars on this classpath (HiveMQ's, in tests) bring logback.xml files of their own.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "soilobs-logback.xml");
        }
        List<String> arguments = List.of(args);
        if (arguments.contains("--help") || arguments.contains("-h")) {
            System.out.print(USAGE);
            return;
        }
        if (!arguments.isEmpty()) {
            System.err.println("unknown arguments: " + String.join(" ", arguments));
            System.err.print(USAGE);
            System.exit(2);
        }
        SimConfig config;
        try {
            config = SimConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        Logger log = LoggerFactory.getLogger(SimulatorApp.class);
        log.info("starting with {}", config);
        Simulator simulator;
        try {
            simulator = Simulator.start(config);
        } catch (MqttException e) {
            log.error("cannot connect to {}: {}", SimConfig.mask(config.mqttUrl()), e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            simulator.close();
            stopped.countDown();
        }, "sim-shutdown"));
        stopped.await();
    }
}
