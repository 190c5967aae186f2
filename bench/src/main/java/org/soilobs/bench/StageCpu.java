package org.soilobs.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * CPU time of each stage of the stack, which runs in this JVM: every Java thread's CPU time
 * ({@link ThreadMXBean}), grouped by the name the component gives its threads. The rules are checked
 * in order, the first match wins; the names were read from a thread dump of the running stack, and
 * {@link Window#unmatched()} lists any thread no rule names so that a renamed thread shows up.
 * Threads that ended within a window (and the JVM's own GC and JIT threads, which are no Java threads)
 * are in the process's CPU time but in no stage: {@link #OTHER} holds that remainder.
 */
public final class StageCpu {

    public static final String OTHER = "jvm: GC, JIT, housekeeping, ended threads";

    private record Rule(String stage, Pattern pattern) {
    }

    private static final List<Rule> RULES = List.of(
            rule("simulator", "^sim-|bench-sim|soilobs-sim"),
            rule("bench probes", "^bench-|: bench-marker|\\| bench-|^main$|^Keep-Alive-Timer"),
            rule("ingest", "ingest"),
            rule("sink", "^sink|soilobs-sink"),
            // Every streams job's threads and clients carry its application id (soilobs-enrich, -aggregate, -carbon…).
            rule("streams", "soilobs-|StreamThread|StateUpdater"),
            rule("api", "observatory-api|JettyServerThreadPool|^qtp|Javalin|^Scheduler-"),
            rule("connection pool (sink, api)", "^observatory:"),
            rule("mqtt broker", "(?i)hivemq|single-writer|persistence|exodus|threadJobProcessor|extension-task"
                    + "|traffic-shaper|metrics-meter-tick|JNA Cleaner"),
            rule("kafka broker", "(?i)kafka|raft|quorum|controller|broker-|ExpirationReaper|LogDirFailure|coordinator"
                    + "|transaction|TxnMarker|AddPartitionsToTxn|ReplicaFetcher|SensorExpiry|PersisterStateManager"
                    + "|persister-state|client-metrics-reaper|network-partition-metadata|ThrottledChannelReaper"
                    + "|^executor-|share-group"),
            rule(OTHER, "^(Common-Cleaner|Cleaner-|Finalizer|Reference Handler|Notification Thread|Signal Dispatcher"
                    + "|Attach Listener|process reaper|Service Thread|Monitor Deflation|VM |Sweeper)"));

    private static Rule rule(String stage, String regex) {
        return new Rule(stage, Pattern.compile(regex));
    }

    /** The stage a thread of this name belongs to, or null when no rule names it. */
    public static String stageOf(String threadName) {
        for (Rule rule : RULES) {
            if (rule.pattern().matcher(threadName).find()) {
                return rule.stage();
            }
        }
        return null;
    }

    /** Every stage name, in report order. */
    public static List<String> stages() {
        List<String> stages = new java.util.ArrayList<>(RULES.stream().map(Rule::stage).distinct().toList());
        stages.remove(OTHER);
        stages.add("unnamed threads");
        stages.add(OTHER);
        return stages;
    }

    /** CPU nanoseconds per thread id at one moment, with the process's total. */
    public record Snapshot(Map<Long, Long> threadNanos, Map<Long, String> names, long processNanos) {
    }

    /** What happened between two snapshots. */
    public record Window(Map<String, Long> stageNanos, List<String> unmatched) {
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static Snapshot snapshot() {
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            long cpu = THREADS.getThreadCpuTime(ids[i]);
            if (cpu >= 0 && infos[i] != null) {
                nanos.put(ids[i], cpu);
                names.put(ids[i], infos[i].getThreadName());
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new Snapshot(nanos, names, process);
    }

    /** CPU per stage between two snapshots; a thread born in between counts from zero. */
    public static Window between(Snapshot start, Snapshot end) {
        Map<String, Long> stages = new LinkedHashMap<>();
        stages().forEach(stage -> stages.put(stage, 0L));
        TreeSet<String> unmatched = new TreeSet<>();
        long attributed = 0;
        for (Map.Entry<Long, Long> thread : end.threadNanos().entrySet()) {
            long used = thread.getValue() - start.threadNanos().getOrDefault(thread.getKey(), 0L);
            if (used <= 0) {
                continue;
            }
            String name = end.names().get(thread.getKey());
            String stage = stageOf(name);
            if (stage == null) {
                stage = "unnamed threads";
                unmatched.add(name.replaceAll("\\d+", "N"));
            }
            stages.merge(stage, used, Long::sum);
            attributed += used;
        }
        stages.merge(OTHER, Math.max(0, end.processNanos() - start.processNanos() - attributed), Long::sum);
        return new Window(stages, List.copyOf(unmatched));
    }
}
