package org.soilobs.streams.quality;

import java.util.Objects;
import org.soilobs.model.EnrichedReading;

/**
 * A reading joined with its field, on its way into quality control.
 *
 * @param reading the enriched reading; its flags are replaced by quality control's
 * @param saturation the field's volumetric water content at saturation, m3/m3, when its soil texture is
 *     registered ({@link org.soilobs.model.Field#saturation()}); else null and C03 cannot fire
 */
public record Unjudged(EnrichedReading reading, Double saturation) {

    public Unjudged {
        Objects.requireNonNull(reading, "reading");
    }
}
