package org.soilobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatsTest {

    @Test
    void readsCpuTicksFromStatEvenWithParenthesesInTheName() {
        // Fields: pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime …
        String stat = "4242 (postgres: (walwriter) ) S 4100 4100 4100 0 -1 4194368 120 0 0 0 "
                + "15 7 30 12 20 0 1 0 1234 5678 90 18446744073709551615";
        ProcStats.Cpu cpu = ProcStats.parseStat(stat);
        assertThat(cpu.pid()).isEqualTo(4242);
        assertThat(cpu.ppid()).isEqualTo(4100);
        assertThat(cpu.ownTicks()).isEqualTo(22);
        assertThat(cpu.reapedChildTicks()).isEqualTo(42);
    }

    @Test
    void readsKilobyteLinesOfStatusAsBytes() {
        String status = "Name:\tjava\nVmPeak:\t 3000000 kB\nVmHWM:\t 1048576 kB\nVmRSS:\t  524288 kB\n";
        assertThat(ProcStats.statusBytes(status, "VmHWM")).hasValue(1024L * 1024 * 1024);
        assertThat(ProcStats.statusBytes(status, "VmRSS")).hasValue(512L * 1024 * 1024);
        assertThat(ProcStats.statusBytes(status, "VmSwap")).isEmpty();
    }

    @Test
    void aTreeCountsWhatTheRootReapedFromEndedChildren() {
        List<ProcStats.Cpu> tree = List.of(new ProcStats.Cpu(100, 1, 10, 40), new ProcStats.Cpu(101, 100, 5, 99));
        // 10 + 40 reaped by the root + 5: a child's own reaped ticks belong to its children, none here.
        assertThat(ProcStats.treeCpuNanos(100, tree)).isEqualTo(55 * 10_000_000L);
    }
}
