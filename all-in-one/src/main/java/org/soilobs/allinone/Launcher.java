package org.soilobs.allinone;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the observatory, tells the user where the map is, and stops everything on Ctrl-C or SIGTERM. */
final class Launcher {

    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    private Launcher() {
    }

    static void runUntilStopped(ObservatoryConfig config) throws InterruptedException {
        long startNanos = System.nanoTime();
        Observatory observatory;
        try {
            observatory = Observatory.start(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        } catch (RuntimeException e) {
            LOG.error("The observatory did not start: {}", e.getMessage(), e);
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("Stopping the observatory");
            observatory.close();
            LOG.info("Stopped");
            stopped.countDown();
        }, "observatory-shutdown"));
        LOG.info("Soil Health Observatory running after {} ms", (System.nanoTime() - startNanos) / 1_000_000);
        System.out.printf("%n  Map:  %s/%n  API:  %s/api/v1/layers/country?quantity=vwc%n  MQTT: %s   Kafka: %s%n"
                        + "  Stop with Ctrl-C.%n%n",
                observatory.baseUrl(), observatory.baseUrl(), observatory.env().get("OBS_MQTT_URL"),
                observatory.env().get("OBS_KAFKA_BOOTSTRAP"));
        stopped.await();
    }
}
