package org.soilobs.ingest.registry;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.soilobs.model.Sensor;

/** The registered sensors by id; thread-safe. {@link RegistryFollower} keeps it up to date. */
public final class SensorRegistry {

    private final ConcurrentMap<String, Sensor> sensors = new ConcurrentHashMap<>();

    public Optional<Sensor> find(String sensorId) {
        return sensorId == null ? Optional.empty() : Optional.ofNullable(sensors.get(sensorId));
    }

    public void put(Sensor sensor) {
        sensors.put(sensor.id(), sensor);
    }

    /** Removes a sensor; removing one that is not there is fine (a tombstone may be read twice). */
    public void remove(String sensorId) {
        sensors.remove(Objects.requireNonNull(sensorId, "sensorId"));
    }

    public int size() {
        return sensors.size();
    }
}
