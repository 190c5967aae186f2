package org.soilobs.ingest.decode;

import java.util.List;
import org.soilobs.model.Reading;
import org.soilobs.model.Rejection;

/**
 * What one message decoded into: the accepted readings and a rejection for everything else.
 *
 * <p>Either the whole message was rejected (exactly one rejection, index -1, no readings) or every
 * reading of the batch is accounted for exactly once, as a reading or as a rejection carrying its
 * index. An empty batch gives an empty result.
 */
public record DecodeResult(List<Reading> readings, List<Rejection> rejections) {

    private static final DecodeResult EMPTY = new DecodeResult(List.of(), List.of());

    public DecodeResult {
        readings = List.copyOf(readings);
        rejections = List.copyOf(rejections);
    }

    public static DecodeResult empty() {
        return EMPTY;
    }

    public static DecodeResult rejected(Rejection rejection) {
        return new DecodeResult(List.of(), List.of(rejection));
    }

    public boolean isEmpty() {
        return readings.isEmpty() && rejections.isEmpty();
    }
}
