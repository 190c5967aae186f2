package org.soilobs.streams.carbon;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Objects;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Placement;
import org.soilobs.model.Stats;

/**
 * What one field-day change produces: either the day's {@code soc_stock} statistics or the field's new
 * progress (null when the field no longer has a usable month).
 *
 * @param stockKey the field-level {@code soc_stock} key; null for a progress update
 * @param stock area-weighted stock statistics of the day; null for a progress update
 */
public record FieldUpdate(AggregateKey stockKey, Placement placement, Stats stock, FieldProgress progress) {

    public FieldUpdate {
        Objects.requireNonNull(placement, "placement");
        if ((stockKey == null) != (stock == null) || (stockKey != null && progress != null)) {
            throw new IllegalArgumentException("a field update is a stock or a progress, not both");
        }
    }

    public static FieldUpdate stock(AggregateKey key, Placement placement, Stats stock) {
        return new FieldUpdate(Objects.requireNonNull(key, "key"), placement, Objects.requireNonNull(stock, "stock"), null);
    }

    public static FieldUpdate progress(Placement placement, FieldProgress progress) {
        return new FieldUpdate(null, placement, null, progress);
    }

    @JsonIgnore
    public boolean isStock() {
        return stockKey != null;
    }
}
