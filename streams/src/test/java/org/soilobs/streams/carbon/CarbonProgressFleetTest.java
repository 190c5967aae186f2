package org.soilobs.streams.carbon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.soilobs.carbon.FieldTrend;
import org.soilobs.carbon.MonthPoint;
import org.soilobs.carbon.SocStock;
import org.soilobs.model.Aggregate;
import org.soilobs.model.AggregateKey;
import org.soilobs.model.Field;
import org.soilobs.model.Level;
import org.soilobs.model.Progress;
import org.soilobs.model.Progress.Status;
import org.soilobs.model.Quantity;
import org.soilobs.model.Resolution;
import org.soilobs.model.Stats;
import org.soilobs.reference.ReferenceData;
import org.soilobs.sim.Fleet;
import org.soilobs.sim.SimulatedField;

/**
 * A simulated fleet through the carbon job: eighteen months of daily SOC from the simulator for six fields in six
 * countries (one field only for the last six months). Each field's published trend must be the one the
 * science gives on the same data, and every area's rate Σ ΔT / Σ T₀ over its fields, recomputed here.
 */
class CarbonProgressFleetTest {

    private static final LocalDate FROM = LocalDate.parse("2024-07-01");
    private static final LocalDate TO = LocalDate.parse("2025-12-31");
    private static final LocalDate YOUNG_FROM = LocalDate.parse("2025-07-01");

    @TempDir
    Path stateDir;

    @Test
    void publishesEachFieldsTrendAndStockWeightedRatesAtEveryLevel() {
        SimulatedFleet sim = new SimulatedFleet();
        List<SimulatedField> members = Fleet.generate(SimulatedFleet.SEED, 6, ReferenceData.load()).members();
        Map<String, Map<String, MonthDays>> expectedMonths = new HashMap<>();
        Map<String, Double> lastDayStock = new HashMap<>();
        try (CarbonDriver carbon = new CarbonDriver(stateDir)) {
            members.forEach(member -> carbon.register(member.field()));
            for (LocalDate day = FROM; !day.isAfter(TO); day = day.plusDays(1)) {
                for (int i = 0; i < members.size(); i++) {
                    SimulatedField member = members.get(i);
                    if (!sim.reports(member, day) || (i == members.size() - 1 && day.isBefore(YOUNG_FROM))) {
                        continue;
                    }
                    Field field = member.field();
                    double soc = sim.soc(member, day);
                    carbon.day(field, Quantity.SOC, day.atStartOfDay(ZoneOffset.UTC).toInstant(),
                            Stats.of(soc, SimulatedFleet.noon(day), List.of("G")));
                    double stock = soc * SocStock.factor(field.bulkDensity(), field.depthCm(), field.coarseFraction());
                    String month = day.toString().substring(0, 7);
                    Map<String, MonthDays> months = expectedMonths.computeIfAbsent(field.id(), f -> new TreeMap<>());
                    months.put(month, months.getOrDefault(month, MonthDays.empty()).with(day, stock));
                    if (day.equals(TO)) {
                        lastDayStock.put(field.id(), stock);
                    }
                }
            }
            Map<String, Progress> progress = carbon.progress();
            Map<AggregateKey, Aggregate> stocks = carbon.stocks();

            Map<String, List<Progress>> fieldsByArea = new HashMap<>();
            int covered = 0;
            for (SimulatedField member : members) {
                Field field = member.field();
                List<MonthPoint> points = new ArrayList<>();
                expectedMonths.get(field.id()).forEach((month, days) -> points.add(days.point(month)));
                FieldTrend expected = FieldTrend.of(points);
                Progress published = progress.get("field/" + field.id());

                assertThat(published.status()).as(field.id()).isEqualTo(expected.status());
                assertThat(published.points()).isEqualTo(expected.points());
                if (expected.hasTrend()) {
                    assertThat(published.rate()).isCloseTo(expected.rate(), within(1e-12));
                    assertThat(published.rateLow()).isCloseTo(expected.rateLow(), within(1e-12));
                    assertThat(published.rateHigh()).isCloseTo(expected.rateHigh(), within(1e-12));
                    double truth = SimulatedFleet.trueRate(member.soil(), points.get(0));
                    covered += published.rateLow() <= truth && truth <= published.rateHigh() ? 1 : 0;
                } else {
                    assertThat(published.rate()).isNull();
                }
                for (Level level : List.of(Level.COUNTRY, Level.SUBREGION, Level.REGION, Level.WORLD)) {
                    fieldsByArea.computeIfAbsent(CarbonProgress.key(level, field.placement().codeAt(level)),
                            key -> new ArrayList<>()).add(published);
                }
            }
            System.out.printf("fleet through the job: %d of 5 field intervals contain the true rate%n", covered);
            assertThat(progress.get("field/" + members.get(5).field().id()).status()).isEqualTo(Status.INSUFFICIENT_DATA);

            assertThat(fieldsByArea).hasSizeGreaterThan(8);
            for (Map.Entry<String, List<Progress>> area : fieldsByArea.entrySet()) {
                double deltaT = 0;
                double baselineT = 0;
                double stockT = 0;
                int withTrend = 0;
                for (Progress field : area.getValue()) {
                    deltaT += field.deltaTPerYear();
                    baselineT += field.baselineStockT();
                    stockT += field.stockT();
                    withTrend += field.fieldsWithTrend();
                }
                Progress published = progress.get(area.getKey());
                assertThat(published.fields()).as(area.getKey()).isEqualTo(area.getValue().size());
                assertThat(published.fieldsWithTrend()).isEqualTo(withTrend);
                assertThat(published.stockT()).isCloseTo(stockT, within(1e-9 * stockT));
                if (withTrend == 0) {
                    assertThat(published.rate()).as(area.getKey()).isNull();
                } else {
                    assertThat(published.rate()).as(area.getKey()).isCloseTo(deltaT / baselineT, within(1e-15));
                }
            }

            // the world's SOC stock on the last day: area-weighted over the fields that reported that day
            double weighted = 0;
            double area = 0;
            for (SimulatedField member : members) {
                Double stock = lastDayStock.get(member.id());
                if (stock != null) {
                    weighted += member.field().areaHa() * stock;
                    area += member.field().areaHa();
                }
            }
            Aggregate world = stocks.get(new AggregateKey(Level.WORLD, Level.WORLD_CODE, Quantity.SOC_STOCK,
                    Resolution.DAY, TO.atStartOfDay(ZoneOffset.UTC).toInstant()));
            assertThat(world.stats().areaWeightedMean()).isCloseTo(weighted / area, within(1e-9));
        }
    }
}
