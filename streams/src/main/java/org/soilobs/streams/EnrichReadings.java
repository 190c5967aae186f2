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
import org.soilobs.streams.quality.Unjudged;
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
    /** Decoded registrations kept, so that the join does not parse a field's JSON for every reading. */
    static final int DECODED_FIELDS = 100_000;
    /** The global store holding the field registry. */
    public static final String FIELDS_STORE = "fields";

    private EnrichReadings() {
    }

    public static Topology build() {
        return build(DEFAULT_DEDUP_RETENTION);
    }

    /**
     * @param dedupRetention how long a reading's identity is remembered after it arrived; also the age
     *     beyond which quality control flags a reading {@link QualityControl#TOO_OLD}, since a copy of it
     *     could no longer be recognised
     */
    public static Topology build(Duration dedupRetention) {
        StreamsBuilder builder = new StreamsBuilder();

        // Registrations are decoded leniently too: an unreadable one must not stop the global thread, and
        // since the store keeps the raw bytes, the same verdict is reached again after a restore.
        DecodingSerde<Field> registrations = DecodingSerde.remembering(Field.class, DECODED_FIELDS);
        GlobalKTable<String, Decoded<Field>> fields = builder.globalTable(Topics.FIELDS,
                Consumed.with(Serdes.String(), registrations)
                        .withTimestampExtractor(new ArrivalTimeExtractor())
                        .withName("fields-source"),
                Materialized.<String, Decoded<Field>, KeyValueStore<Bytes, byte[]>>as(FIELDS_STORE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(registrations));

        KStream<String, Outcome<Reading>> checked = builder
                .stream(Topics.READINGS_RAW, Consumed.with(Serdes.String(), DecodingSerde.of(Reading.class))
                        .withTimestampExtractor(new ArrivalTimeExtractor())
                        .withName("raw-source"))
                .processValues(() -> new CheckDecoded<Reading>(reading -> reading), Named.as("decode-check"));

        KStream<String, Outcome<Unjudged>> enriched = Rejections.routeRejected(checked, "decode")
                .processValues(DropDuplicates.supplier(dedupRetention), Named.as("drop-duplicates"))
                .leftJoin(fields, (sensor, reading) -> reading.field(), EnrichReadings::enrich, Named.as("join-field"));

        Rejections.routeRejected(enriched, "enrich")
                .process(QualityControl.supplier(dedupRetention), Named.as("quality-control"))
                .to(Topics.READINGS_CLEAN, Produced.with(Serdes.String(), JsonSerde.of(EnrichedReading.class))
                        .withName("to-clean"));
        return builder.build();
    }

    static Outcome<Unjudged> enrich(Reading reading, Decoded<Field> registration) {
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
        return Outcome.accepted(new Unjudged(new EnrichedReading(
                reading, field.placement(), field.areaHa(), List.of(EnrichedReading.GOOD)), field.saturation()));
    }

    private static Outcome<Unjudged> unknownField(Reading reading, String detail) {
        return Outcome.rejected(Rejections.of(Rejections.UNKNOWN_FIELD, detail, Topics.READINGS_RAW,
                reading.receivedAt(), JsonSerde.of(Reading.class).serializer().serialize(Topics.READINGS_RAW, reading)));
    }
}
