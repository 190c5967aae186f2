package org.soilobs.ingest.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.soilobs.ingest.Samples;
import org.soilobs.ingest.Samples.Expected;
import org.soilobs.ingest.Samples.Sample;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;

/** Every sample of {@code ../shared/samples/} lands as the readings or the reasons worked out for it. */
class PayloadSamplesTest {

    private final PayloadDecoding decoding = PayloadDecoding.allFormats(Samples.registry(),
            PayloadDecoding.DEFAULT_MAX_PAYLOAD_BYTES, CanonicalDecoder.DEFAULT_FUTURE_TOLERANCE);

    static List<Sample> samples() {
        return Samples.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    void eachSampleGivesItsReadingsOrItsReasons(Sample sample) {
        DecodeResult result = decoding.decode(new IncomingMessage("test", sample.topic(), sample.gateway(),
                sample.bytes(), Samples.RECEIVED));

        assertThat(result.rejections()).extracting(Rejection::reason).containsExactlyElementsOf(sample.rejections());
        if (sample.wholeMessage()) {
            assertThat(result.rejections()).extracting(Rejection::index).containsExactly(-1);
        }
        assertThat(result.readings()).hasSameSizeAs(sample.readings());
        for (int i = 0; i < sample.readings().size(); i++) {
            assertIsExpected(result.readings().get(i), sample.readings().get(i), sample.gateway());
        }
    }

    static void assertIsExpected(Reading reading, Expected expected, String gateway) {
        assertThat(reading.gateway()).isEqualTo(gateway);
        assertThat(reading.sensor()).isEqualTo(expected.sensor());
        assertThat(reading.field()).isEqualTo(expected.field());
        assertThat(reading.quantity()).isEqualTo(expected.quantity());
        assertThat(reading.value()).as("%s of %s", expected.quantity(), expected.sensor())
                .isCloseTo(expected.value(), within(1e-9));
        assertThat(reading.time()).isEqualTo(expected.time());
        assertThat(reading.depthTopCm()).isEqualTo(expected.top());
        assertThat(reading.depthBottomCm()).isEqualTo(expected.bottom());
        assertThat(reading.seq()).isEqualTo(expected.seq());
    }

    @Test
    void everySampleFileIsATestCase() throws IOException {
        Path shared = Path.of("src/test/resources/samples");
        try (Stream<Path> files = Files.list(shared)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(name -> name.endsWith(".json")))
                    .containsExactlyInAnyOrderElementsOf(Samples.all().stream().map(Sample::file).toList());
        }
    }
}
