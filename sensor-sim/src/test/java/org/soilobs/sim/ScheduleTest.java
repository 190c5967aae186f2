package org.soilobs.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    private static final Instant ORIGIN = Instant.parse("2026-01-01T00:00:00Z");
    // 4 fields, each every 2 s: field i reports at i × 0.5 s + k × 2 s.
    private static final Simulator.Schedule SCHEDULE = new Simulator.Schedule(ORIGIN, 2.0, 4);

    @Test
    void spreadsTheFieldsEvenlyOverATick() {
        List<Instant> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.addAll(SCHEDULE.due(i, ORIGIN.minusNanos(1), ORIGIN.plusMillis(1999)));
        }
        assertThat(all).containsExactlyInAnyOrder(ORIGIN, ORIGIN.plusMillis(500), ORIGIN.plusMillis(1000),
                ORIGIN.plusMillis(1500));
    }

    @Test
    void reportsEachTickOnceAcrossConsecutiveWindows() {
        List<Instant> ticks = new ArrayList<>();
        Instant last = ORIGIN.minusNanos(1);
        for (int step = 1; step <= 100; step++) {
            Instant now = ORIGIN.plusMillis(step * 70L);
            ticks.addAll(SCHEDULE.due(1, last, now));
            last = now;
        }
        // 7 s: field 1 reports at 0.5, 2.5, 4.5 and 6.5 s.
        assertThat(ticks).containsExactly(ORIGIN.plusMillis(500), ORIGIN.plusMillis(2500), ORIGIN.plusMillis(4500),
                ORIGIN.plusMillis(6500));
    }

    @Test
    void countsWhatFallsDue() {
        assertThat(SCHEDULE.countDue(ORIGIN.minusNanos(1), ORIGIN.plusSeconds(10).minusNanos(1))).isEqualTo(20);
        assertThat(SCHEDULE.countDue(ORIGIN.plusSeconds(10), ORIGIN.plusSeconds(10))).isZero();
    }

    @Test
    void reportsNothingBeforeTheOrigin() {
        assertThat(SCHEDULE.due(0, ORIGIN.minusSeconds(10), ORIGIN.minusNanos(1))).isEmpty();
    }
}
