package org.soilobs.streams.carbon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.soilobs.carbon.FieldTrend;
import org.soilobs.carbon.MonthPoint;
import org.soilobs.carbon.SocStock;
import org.soilobs.model.Field;
import org.soilobs.reference.ReferenceData;
import org.soilobs.sim.Fleet;
import org.soilobs.sim.SimulatedField;

/**
 * The trend method against the simulator's ground truth at the scale a statistic needs: 400 fields, four
 * years of daily SOC with the simulator's noise and drop-outs, stocks and monthly means as the carbon job
 * makes them ({@link MonthDays}), trends by {@link FieldTrend}. The job itself is checked against the same
 * computation in {@link CarbonProgressFleetTest}; a topology test driver is too slow for 400 × 1 461 days.
 */
class SimulatedTrendCoverageTest {

    private static final LocalDate FROM = LocalDate.parse("2022-01-01");
    private static final LocalDate TO = LocalDate.parse("2025-12-31");

    @Test
    void theRateIntervalContainsTheTrueRateForAtLeastNinetyPercentOfFields() {
        SimulatedFleet sim = new SimulatedFleet();
        Fleet fleet = Fleet.generate(SimulatedFleet.SEED, 400, ReferenceData.load());
        int judged = 0;
        int covered = 0;
        int clamped = 0;
        List<String> misses = new ArrayList<>();
        Map<Double, int[]> byTrend = new TreeMap<>();
        for (SimulatedField member : fleet.members()) {
            if (!SimulatedFleet.unclamped(member.soil(), FROM, TO)) {
                clamped++;
                continue;
            }
            Field field = member.field();
            double factor = SocStock.factor(field.bulkDensity(), field.depthCm(), field.coarseFraction());
            Map<String, MonthDays> months = new TreeMap<>();
            for (LocalDate day = FROM; !day.isAfter(TO); day = day.plusDays(1)) {
                if (sim.reports(member, day)) {
                    String month = day.toString().substring(0, 7);
                    months.put(month, months.getOrDefault(month, MonthDays.empty())
                            .with(day, sim.soc(member, day) * factor));
                }
            }
            List<MonthPoint> points = new ArrayList<>();
            months.forEach((month, days) -> points.add(days.point(month)));
            FieldTrend trend = FieldTrend.of(points);
            assertThat(trend.hasTrend()).as(field.id()).isTrue();

            double truth = SimulatedFleet.trueRate(member.soil(), points.get(0));
            boolean inside = trend.rateLow() <= truth && truth <= trend.rateHigh();
            judged++;
            covered += inside ? 1 : 0;
            byTrend.computeIfAbsent(member.soil().socTrendPerYear(), t -> new int[2])[inside ? 0 : 1]++;
            if (!inside) {
                misses.add(String.format("%s true %.5f CI [%.5f, %.5f]", field.id(), truth, trend.rateLow(),
                        trend.rateHigh()));
            }
        }
        double coverage = (double) covered / judged;
        System.out.printf("trend coverage: %d of %d fields (%.1f %%), %d left out as clamped; by true trend"
                + " (inside, outside): %s%n", covered, judged, 100 * coverage, clamped,
                byTrend.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()[0] + "/" + e.getValue()[1]).toList());

        assertThat(judged).isGreaterThanOrEqualTo(300);
        assertThat(coverage).as("misses: %s", misses).isGreaterThanOrEqualTo(0.90);
    }
}
