package org.soilobs.sim;

/**
 * What one {@link MqttGatewayPublisher#publish} call delivered.
 *
 * @param messages messages PUBACKed with success by the broker, each counted once however often it was sent
 * @param readings readings in those messages, valid or not
 * @param resent sends repeated after a failure or a lost connection (each may reach the broker twice)
 * @param refused messages the broker PUBACKed with an error reason code (e.g. not authorised): not
 *     delivered, and not retried
 */
public record PublishResult(long messages, long readings, long resent, long refused) {
}
