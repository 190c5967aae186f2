package org.soilobs.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * Memory and CPU of processes from Linux's {@code /proc}: resident sizes from {@code status}, CPU ticks
 * from {@code stat}, and the process tree of PostgreSQL (its postmaster and the postmaster's children).
 */
public final class ProcStats {

    /** {@code sysconf(_SC_CLK_TCK)}: 100 on every Linux architecture the JDK runs on. */
    static final long TICKS_PER_SECOND = 100;
    private static final Path PROC = Path.of("/proc");

    /** CPU of one process: its own ticks and those of its children it has reaped. */
    public record Cpu(int pid, int ppid, long ownTicks, long reapedChildTicks) {
    }

    private ProcStats() {
    }

    /** A {@code kB} line of {@code /proc/<pid>/status} (e.g. {@code VmHWM}) in bytes. */
    static OptionalLong statusBytes(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Parses {@code /proc/<pid>/stat}. The command name (field 2) is in parentheses and may hold spaces
     * and parentheses itself, so the fields are counted from the last ')'.
     */
    static Cpu parseStat(String stat) {
        int pid = Integer.parseInt(stat.substring(0, stat.indexOf(' ')).trim());
        String[] rest = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        // rest[0] is field 3 (state): field n is rest[n - 3].
        int ppid = Integer.parseInt(rest[1]);
        long utime = Long.parseLong(rest[11]);
        long stime = Long.parseLong(rest[12]);
        long cutime = Long.parseLong(rest[13]);
        long cstime = Long.parseLong(rest[14]);
        return new Cpu(pid, ppid, utime + stime, cutime + cstime);
    }

    /** This JVM's resident size now ({@code VmRSS}) and at its peak ({@code VmHWM}), in bytes. */
    public static long[] selfRssAndPeak() {
        String status = read(PROC.resolve("self/status"));
        if (status == null) {
            return new long[] {0, 0};
        }
        return new long[] {statusBytes(status, "VmRSS").orElse(0), statusBytes(status, "VmHWM").orElse(0)};
    }

    /**
     * Resets this process's peak resident size to its current one ({@code echo 5 > /proc/self/clear_refs}),
     * so that a later {@code VmHWM} covers only what follows.
     *
     * @return whether the kernel allowed it
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(PROC.resolve("self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** The postmaster's pid, from the first line of {@code postmaster.pid} in its data directory. */
    public static OptionalLong postmasterPid(Path dataDir) {
        String text = read(dataDir.resolve("postmaster.pid"));
        if (text == null || text.isBlank()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(text.lines().findFirst().orElseThrow().trim()));
    }

    /** The process and its direct children (PostgreSQL's backends and workers). */
    public static List<Cpu> tree(long root) {
        List<Cpu> tree = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String stat = read(entry.resolve("stat"));
                if (stat == null) {
                    continue;
                }
                Cpu cpu = parseStat(stat);
                if (cpu.pid() == root || cpu.ppid() == root) {
                    tree.add(cpu);
                }
            }
        } catch (IOException e) {
            return tree;
        }
        return tree;
    }

    /**
     * CPU nanoseconds the tree has used: each live process's own time, plus what the root has reaped
     * from children that ended (backends of closed connections).
     */
    public static long treeCpuNanos(long root, List<Cpu> tree) {
        long ticks = 0;
        for (Cpu cpu : tree) {
            ticks += cpu.ownTicks() + (cpu.pid() == root ? cpu.reapedChildTicks() : 0);
        }
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /** Summed resident size of the processes, in bytes. */
    public static long treeRss(List<Cpu> tree) {
        long bytes = 0;
        for (Cpu cpu : tree) {
            String status = read(PROC.resolve(cpu.pid() + "/status"));
            if (status != null) {
                bytes += statusBytes(status, "VmRSS").orElse(0);
            }
        }
        return bytes;
    }

    /**
     * Summed proportional set size ({@code Pss} of {@code smaps_rollup}): shared memory (PostgreSQL's
     * shared buffers) divided among the processes mapping it, so the sum does not count it once per backend.
     */
    public static long treePss(List<Cpu> tree) {
        long bytes = 0;
        for (Cpu cpu : tree) {
            String rollup = read(PROC.resolve(cpu.pid() + "/smaps_rollup"));
            if (rollup != null) {
                bytes += statusBytes(rollup, "Pss").orElse(0);
            }
        }
        return bytes;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
