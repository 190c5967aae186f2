package org.soilobs.streams.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Placement;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;

class CarbonProgressTest {

    private static final Placement FRANCE = new Placement("FRA", "155", "150");
    private static final Placement GERMANY = new Placement("DEU", "155", "150");
    private static final Instant DAY = Instant.parse("2026-11-20T00:00:00Z");

    @TempDir
    Path stateDir;

    private static Field field(String id, Placement placement, double areaHa, double bulkDensity, double coarse) {
        return new Field(id, 2.0, 47.0, areaHa, "cropland", bulkDensity, coarse, 30, placement);
    }

    private static Stats good(double... values) {
        Stats stats = Stats.empty();
        for (int i = 0; i < values.length; i++) {
            stats = stats.merge(Stats.of(values[i], DAY.plusSeconds(3600L * (i + 1)), List.of("G")));
        }
        return stats;
    }

    private static AggregateKey stockKey(Level level, String area, Instant day) {
        return new AggregateKey(level, area, Quantity.SOC_STOCK, Resolution.DAY, day);
    }

    @Test
    void publishesTheDailyStockOfAFieldAtEveryLevel() {
        Field fr = field("fr-1", FRANCE, 10, 1.3, 0);
        Field de = field("de-1", GERMANY, 30, 1.45, 0);
        try (CarbonDriver carbon = new CarbonDriver(stateDir)) {
            carbon.register(fr);
            carbon.register(de);
            carbon.day(fr, Quantity.SOC, DAY, good(14, 16));
            carbon.day(de, Quantity.SOC, DAY, good(6.5));

            Map<AggregateKey, Aggregate> stocks = carbon.stocks();

            // DESIGN §6: 15 g/kg × 1.3 × 30 cm = 58.5 t C/ha; 6.5 g/kg × 1.45 × 30 cm = 28.275 t C/ha
            assertThat(stocks.get(stockKey(Level.FIELD, "fr-1", DAY)).stats().mean()).isCloseTo(58.5, within(1e-9));
            assertThat(stocks.get(stockKey(Level.FIELD, "de-1", DAY)).stats().mean()).isCloseTo(28.275, within(1e-9));
            assertThat(stocks.get(stockKey(Level.COUNTRY, "FRA", DAY)).stats().areaWeightedMean())
                    .isCloseTo(58.5, within(1e-9));
            // area-weighted over fields: (10 × 58.5 + 30 × 28.275) / 40 = 35.83125, never a mean of means
            for (Level level : List.of(Level.SUBREGION, Level.REGION, Level.WORLD)) {
                Aggregate area = stocks.get(stockKey(level, FRANCE.codeAt(level), DAY));
                assertThat(area.stats().areaWeightedMean()).as(level.id()).isCloseTo(35.83125, within(1e-9));
                assertThat(area.stats().areaHa()).isEqualTo(40.0);
            }
            assertThat(stocks.get(stockKey(Level.WORLD, "001", DAY)).members()).isEqualTo(1);
        }
    }

    @Test
    void usesTheDaysMeasuredBulkDensityOverTheRegisteredOneAndReplacesALateCorrection() {
        Field fr = field("fr-1", FRANCE, 10, 1.3, 0.1);
        try (CarbonDriver carbon = new CarbonDriver(stateDir)) {
            carbon.register(fr);
            carbon.day(fr, Quantity.SOC, DAY, good(15));
            // registered: 15 × 1.3 × 30 × 0.9 × 0.1 = 52.65
            assertThat(carbon.stocks().get(stockKey(Level.FIELD, "fr-1", DAY)).stats().mean()).isCloseTo(52.65, within(1e-9));

            carbon.day(fr, Quantity.BULK_DENSITY, DAY, good(1.2));
            // measured that day: 15 × 1.2 × 30 × 0.9 × 0.1 = 48.6
            assertThat(carbon.stocks().get(stockKey(Level.COUNTRY, "FRA", DAY)).stats().areaWeightedMean())
                    .isCloseTo(48.6, within(1e-9));

            carbon.day(fr, Quantity.SOC, DAY, good(15, 17));
            // a later reading of the same day replaces the day: 16 × 1.2 × 30 × 0.9 × 0.1 = 51.84
            Map<AggregateKey, Aggregate> stocks = carbon.stocks();
            assertThat(stocks.get(stockKey(Level.WORLD, "001", DAY)).stats().areaWeightedMean()).isCloseTo(51.84, within(1e-9));
            assertThat(stocks.get(stockKey(Level.WORLD, "001", DAY)).stats().count()).isEqualTo(2);
        }
    }

    @Test
    void ignoresOtherQuantitiesLevelsResolutionsAndUnregisteredFields() {
        Field fr = field("fr-1", FRANCE, 10, 1.3, 0);
        try (CarbonDriver carbon = new CarbonDriver(stateDir)) {
            carbon.register(fr);
            carbon.day(fr, Quantity.VWC, DAY, good(0.3));
            carbon.day(field("nowhere", FRANCE, 10, 1.3, 0), Quantity.SOC, DAY, good(15));
            AggregateKey hourly = new AggregateKey(Level.FIELD, "fr-1", Quantity.SOC, Resolution.HOUR, DAY);
            carbon.aggregatesIn.pipeInput(hourly, new Aggregate(hourly, good(15).weightedByFieldArea(10), 1));

            assertThat(carbon.stocks()).isEmpty();
            assertThat(carbon.progress()).isEmpty();
        }
    }

    @Test
    void rollsProgressUpAsStockWeightedSumsAndMovesAFieldWithItsRegistration() {
        Field gaining = field("fr-1", FRANCE, 10, 1.3, 0);
        Field young = field("fr-2", FRANCE, 50, 1.3, 0);
        Field steady = field("de-1", GERMANY, 90, 1.3, 0);
        try (CarbonDriver carbon = new CarbonDriver(stateDir)) {
            carbon.register(gaining);
            carbon.register(young);
            carbon.register(steady);
            LocalDate start = LocalDate.parse("2023-01-01");
            for (int d = 0; d < 2 * 365; d++) {
                LocalDate date = start.plusDays(d);
                Instant day = date.atStartOfDay(ZoneOffset.UTC).toInstant();
                // ±0.2 g/kg on a 5-day cycle: some spread for the interval, none for the mean
                double wobble = 0.1 * ((d % 5) - 2);
                carbon.day(gaining, Quantity.SOC, day, good(15 * (1 + 0.01 * d / 365.25) + wobble));
                carbon.day(steady, Quantity.SOC, day, good(10 + wobble));
                if (d >= 365 + 200) {
                    carbon.day(young, Quantity.SOC, day, good(12));
                }
            }
            Map<String, Progress> progress = carbon.progress();

            Progress fr1 = progress.get("field/fr-1");
            Progress fr2 = progress.get("field/fr-2");
            Progress de1 = progress.get("field/de-1");
            assertThat(fr1.status()).isEqualTo(Status.ON_TRACK);
            assertThat(fr1.rate()).isCloseTo(0.01 / (1 + 0.01 * 15 / 365.25), within(2e-4));
            assertThat(fr2.status()).isEqualTo(Status.INSUFFICIENT_DATA);
            assertThat(de1.status()).isEqualTo(Status.NOT_ON_TRACK);
            assertThat(de1.rate()).isCloseTo(0, within(1e-4));

            Progress france = progress.get("country/FRA");
            assertThat(france.fields()).isEqualTo(2);
            assertThat(france.fieldsWithTrend()).isEqualTo(1);
            assertThat(france.fieldsByStatus()).containsEntry("on_track", 1).containsEntry("insufficient_data", 1);
            assertThat(france.rate()).isCloseTo(fr1.rate(), within(1e-12));
            assertThat(france.stockT()).isCloseTo(fr1.stockT() + fr2.stockT(), within(1e-9));
            Progress europe = progress.get("region/150");
            assertThat(europe.rate()).isCloseTo((fr1.deltaTPerYear() + de1.deltaTPerYear())
                    / (fr1.baselineStockT() + de1.baselineStockT()), within(1e-15));
            assertThat(europe.fields()).isEqualTo(3);
            assertThat(progress.get("world/001").rate()).isEqualTo(europe.rate());

            // the gaining field is re-registered in Germany: France keeps only the young field
            Field moved = field("fr-1", GERMANY, 10, 1.3, 0);
            carbon.register(moved);
            carbon.day(moved, Quantity.SOC, LocalDate.parse("2024-12-30").atStartOfDay(ZoneOffset.UTC).toInstant(),
                    good(15 * (1 + 0.01 * (2 * 365 - 1) / 365.25)));
            progress = carbon.progress();
            assertThat(progress.get("country/FRA").fields()).isEqualTo(1);
            assertThat(progress.get("country/FRA").status()).isEqualTo(Status.INSUFFICIENT_DATA);
            assertThat(progress.get("country/DEU").fields()).isEqualTo(2);
        }
    }
}
