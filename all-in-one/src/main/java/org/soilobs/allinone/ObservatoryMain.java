package org.soilobs.allinone;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Entry point of the one-command run. It has no logger of its own so that it can choose the logging
 * configuration before the first logger exists.
 */
public final class ObservatoryMain {

    private ObservatoryMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "soilobs-logback.xml");
        }
        // Paho and HiveMQ log through java.util.logging; route it into the one logging configuration.
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("""
                    Usage: ./observatory run
                    Starts the whole Soil Health Observatory in one JVM: simulated gateways → MQTT → ingest →
                    Kafka → streams → sink → PostgreSQL → API and map. Unset endpoints (OBS_MQTT_URL,
                    OBS_KAFKA_BOOTSTRAP, OBS_DB_URL) start embedded servers with data under OBS_DATA_DIR.
                    Every setting is an environment variable; see the README's configuration table.
                    Stop with Ctrl-C.""");
            return;
        }
        Launcher.runUntilStopped(ObservatoryConfig.fromEnv(System.getenv()));
    }
}
