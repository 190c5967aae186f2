package org.soilobs.api.admin;

/** Where registrations go: the compacted registry topics, from which ingest, streams and the sink learn them. */
public interface Registry extends AutoCloseable {

    /**
     * Publishes one registration and waits for the broker's acknowledgement.
     *
     * @throws RegistryUnavailableException when the broker does not acknowledge in time
     */
    void publish(String topic, String key, byte[] value);

    @Override
    void close();
}
