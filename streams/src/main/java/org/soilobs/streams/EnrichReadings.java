package org.soilobs.streams;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.soilobs.model.EnrichedReading;
import org.soilobs.model.Field;
import org.soilobs.model.Reading;
import org.soilobs.model.Topics;
import org.soilobs.streams.check.CheckDecoded;
import org.soilobs.streams.check.Outcome;
import org.soilobs.streams.check.ArrivalTimeExtractor;
import org.soilobs.streams.check.Rejections;
import org.soilobs.streams.enrich.DropDuplicates;
import org.soilobs.streams.quality.QualityControl;
import org.soilobs.streams.serde.Decoded;
import org.soilobs.streams.serde.DecodingSerde;
import org.soilobs.streams.serde.JsonSerde;

/**
 * The enrichment job: {@code soil.readings.raw} → decode check → de-duplicate → join the field registry →
 * quality control ({@link QualityControl}) → {@code soil.readings.clean}, with everything that cannot go on
 * dead-lettered to {@code soil.readings.rejected}.
 *
 * <p>Quality control runs inside this job rather than as a job of its own: it needs nothing but the
 * enriched reading and the sensor's history, which lives in the same task because both are keyed by
 * sensor, and a separate job would cost one more topic hop and transaction per reading. It sits after
 * de-duplication, so that a redelivered copy never becomes its own neighbour.
 *
 * <p>It runs on arrival time: nothing here is windowed, and clean records keep the raw record's
 * timestamp, so a sensor clock that is years off cannot make a write fail.
 */
public final class EnrichReadings {

    public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofDays(7);
    /** How long quality control waits for a series' next reading before releasing its latest. */
    public static final Duration DEFAULT_QC_HOLD = Duration.ofSeconds(30);
    /** The global store holding the field registry. */
    public static final String FIELDS_STORE = "fields";

    private EnrichReadings() {
    }

    public static Topology build() {
        return build(DEFAULT_DEDUP_RETENTION);
    }

    /** @param dedupRetention how long a reading's identity is remembered after it arrived */
    public static Topology build(Duration dedupRetention) {
        return build(dedupRetention, DEFAULT_QC_HOLD);
    }

    /**
     * @param dedupRetention how long a reading's identity is remembered after it arrived; also the age
     *     beyond which quality control flags a reading {@link QualityControl#TOO_OLD}, since a copy of it
     *     could no longer be recognised
     * @param qcHold how long the latest reading of a series waits for the next, which decides a spike
     */
    public static Topology build(Duration dedupRetention, Duration qcHold) {
        StreamsBuilder builder = new StreamsBuilder();

        // Registrations are decoded leniently too: an unreadable one must not stop the global thread, and
        // since the store keeps the raw bytes, the same verdict is reached again after a restore.
        GlobalKTable<String, Decoded<Field>> fields = builder.globalTable(Topics.FIELDS,
                Consumed.with(Serdes.String(), DecodingSerde.of(Field.class))
                        .withTimestampExtractor(new ArrivalTimeExtractor())
                        .withName("fields-source"),
                Materialized.<String, Decoded<Field>, KeyValueStore<Bytes, byte[]>>as(FIELDS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(DecodingSerde.of(Field.class)));

        KStream<String, Outcome<Reading>> checked = builder
                .stream(Topics.READINGS_RAW, Consumed.with(Serdes.String(), DecodingSerde.of(Reading.class))
                        .withTimestampExtractor(new ArrivalTimeExtractor())
                        .withName("raw-source"))
                .processValues(() -> new CheckDecoded<Reading>(reading -> reading), Named.as("decode-check"));

        KStream<String, Outcome<EnrichedReading>> enriched = Rejections.routeRejected(checked, "decode")
                .processValues(DropDuplicates.supplier(dedupRetention), Named.as("drop-duplicates"))
                .leftJoin(fields, (sensor, reading) -> reading.field(), EnrichReadings::enrich, Named.as("join-field"));

        Rejections.routeRejected(enriched, "enrich")
                .process(QualityControl.supplier(qcHold, dedupRetention), Named.as("quality-control"))
                .to(Topics.READINGS_CLEAN, Produced.with(Serdes.String(), JsonSerde.of(EnrichedReading.class))
                        .withName("to-clean"));
        return builder.build();
    }

    static Outcome<EnrichedReading> enrich(Reading reading, Decoded<Field> registration) {
        if (registration == null) {
            return unknownField(reading, "field \"" + reading.field() + "\" is not registered");
        }
        if (!registration.isOk()) {
            return unknownField(reading, "the registration of field \"" + reading.field() + "\" cannot be read: "
                    + registration.problem());
        }
        Field field = registration.value();
        if (!field.id().equals(reading.field())) {
            return unknownField(reading, "the registration under key \"" + reading.field()
                    + "\" is for field \"" + field.id() + '"');
        }
        return Outcome.accepted(new EnrichedReading(
                reading, field.placement(), field.areaHa(), List.of(EnrichedReading.GOOD)));
    }

    private static Outcome<EnrichedReading> unknownField(Reading reading, String detail) {
        return Outcome.rejected(Rejections.of(Rejections.UNKNOWN_FIELD, detail, Topics.READINGS_RAW,
                reading.receivedAt(), JsonSerde.of(Reading.class).serializer().serialize(Topics.READINGS_RAW, reading)));
    }
}
