package org.soilobs.streams.check;

import java.time.Instant;
import java.util.function.Function;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.soilobs.model.Reading;
import org.soilobs.streams.serde.Decoded;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decode check at the entrance of a job: a record that did not decode, has no value, or is not keyed
 * by its reading's sensor becomes a {@code malformed_record} dead letter with its original bytes.
 *
 * <p>The key is checked because de-duplication keeps its state per partition and relies on every copy of
 * a reading landing in the partition of its sensor.
 */
public final class CheckDecoded<T> implements FixedKeyProcessor<String, Decoded<T>, Outcome<T>> {

    private static final Logger LOG = LoggerFactory.getLogger(CheckDecoded.class);

    private final Function<T, Reading> readingOf;
    private FixedKeyProcessorContext<String, Outcome<T>> context;

    public CheckDecoded(Function<T, Reading> readingOf) {
        this.readingOf = readingOf;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Outcome<T>> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, Decoded<T>> record) {
        Decoded<T> decoded = record.value();
        String key = record.key();
        if (decoded == null) {
            context.forward(record.withValue(malformed(record, null, "record has no value")));
        } else if (!decoded.isOk()) {
            context.forward(record.withValue(malformed(record, decoded.payload(), decoded.problem())));
        } else if (!readingOf.apply(decoded.value()).sensor().equals(key)) {
            String detail = "record key " + (key == null ? "null" : '"' + key + '"')
                    + " is not the reading's sensor \"" + readingOf.apply(decoded.value()).sensor() + '"';
            context.forward(record.withValue(malformed(record, decoded.payload(), detail)));
        } else {
            context.forward(record.withValue(Outcome.accepted(decoded.value())));
        }
    }

    private Outcome<T> malformed(FixedKeyRecord<String, Decoded<T>> record, byte[] payload, String detail) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        LOG.debug("malformed record on {} under key {}: {}", topic, record.key(), detail);
        return Outcome.rejected(Rejections.of(
                Rejections.MALFORMED_RECORD, detail, topic, Instant.ofEpochMilli(record.timestamp()), payload));
    }
}
