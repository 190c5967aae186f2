package org.soilobs.streams.check;

import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.soilobs.model.Rejection;
import org.soilobs.model.Topics;
import org.soilobs.streams.serde.JsonSerde;

/** The dead letters the streams jobs write, and the one way they reach {@link Topics#READINGS_REJECTED}. */
public final class Rejections {

    /** {@link Rejection#source()} of every dead letter written by streams. */
    public static final String SOURCE = "streams";
    /** Bytes that are not JSON, JSON that is not a valid record, or a record under the wrong key. */
    public static final String MALFORMED_RECORD = "malformed_record";
    /** A reading of a field that is not registered, or whose registration cannot be read. */
    public static final String UNKNOWN_FIELD = "unknown_field";

    private Rejections() {
    }

    public static Rejection of(String reason, String detail, String topic, Instant receivedAt, byte[] payload) {
        return new Rejection(reason, detail, SOURCE, topic, receivedAt, -1,
                Base64.getEncoder().encodeToString(payload == null ? new byte[0] : payload));
    }

    /**
     * Writes the rejected outcomes to the dead-letter topic, keyed as they came, and returns the accepted
     * values.
     */
    public static <T> KStream<String, T> routeRejected(KStream<String, Outcome<T>> outcomes, String name) {
        outcomes.filterNot((key, outcome) -> outcome.isAccepted(), Named.as(name + "-rejected"))
                .mapValues(Outcome::rejection, Named.as(name + "-rejection"))
                .to(Topics.READINGS_REJECTED, Produced.with(Serdes.String(), JsonSerde.of(Rejection.class))
                        .withName(name + "-to-rejected"));
        return outcomes.filter((key, outcome) -> outcome.isAccepted(), Named.as(name + "-accepted"))
                .mapValues(Outcome::value, Named.as(name + "-value"));
    }
}
