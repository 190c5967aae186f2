package org.soilobs.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The machine a run measured: CPU model and cores ({@code /proc/cpuinfo}), memory ({@code /proc/meminfo}),
 * OS ({@code /etc/os-release}), JDK and the JVM's heap limit, and the load average (a busy machine moves
 * every figure).
 */
public record MachineInfo(String cpuModel, int cores, double memoryGiB, String os, String jdk, double maxHeapGiB) {

    public static MachineInfo current() {
        String cpuinfo = read("/proc/cpuinfo");
        String meminfo = read("/proc/meminfo");
        String osRelease = read("/etc/os-release");
        long memory = ProcStats.statusBytes(meminfo, "MemTotal").orElse(0);
        String os = osName(osRelease);
        if (os == null) {
            os = System.getProperty("os.name") + " " + System.getProperty("os.version");
        }
        return new MachineInfo(cpuModel(cpuinfo), Runtime.getRuntime().availableProcessors(), memory / GIB, os
                + " (" + System.getProperty("os.arch") + ", kernel " + System.getProperty("os.version") + ")",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory() / GIB);
    }

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** The first {@code model name} of {@code /proc/cpuinfo} (some ARM kernels have none: "unknown"). */
    static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim().replaceAll("\\s+", " ");
            }
        }
        return "unknown";
    }

    /** {@code PRETTY_NAME} of {@code /etc/os-release}, unquoted. */
    static String osName(String osRelease) {
        for (String line : osRelease.split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
            }
        }
        return null;
    }

    public static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %.1f GiB; %s; %s, heap limit %.1f GiB", cpuModel, cores,
                memoryGiB, os, jdk, maxHeapGiB);
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            return "";
        }
    }
}
