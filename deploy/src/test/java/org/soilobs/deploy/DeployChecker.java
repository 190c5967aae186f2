package org.soilobs.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares a {@link Deployment} with the {@link CodeFacts} and lists every mismatch, each naming the file and
 * the thing at fault. An empty list means the deployment runs what the build makes, the way the code expects.
 */
final class DeployChecker {

    static final String TOPIC_PARTITIONS = "OBS_TOPIC_PARTITIONS";
    static final String TOPIC_REPLICATION = "OBS_TOPIC_REPLICATION";

    /**
     * An app's login and the variable the server (or its password-file recipe) creates that login from: both
     * sides are set in deploy files, and a typo on one side is a deployment that cannot log in.
     */
    static final Map<String, String> CREDENTIALS = Map.of(
            "OBS_DB_USER", "POSTGRES_USER",
            "OBS_DB_PASSWORD", "POSTGRES_PASSWORD",
            "OBS_MQTT_USERNAME", "MQTT_INGEST_USERNAME",
            "OBS_MQTT_PASSWORD", "MQTT_INGEST_PASSWORD");

    private static final Pattern HOST_PORT = Pattern.compile("^(?:[a-z][a-z0-9+.:-]*://)?([^/:,@]+)(?::(\\d+))?");

    private final CodeFacts code;
    private final List<String> problems = new ArrayList<>();

    private DeployChecker(CodeFacts code) {
        this.code = code;
    }

    /** Mismatches of the build itself, whatever the deployment (Jib settings against the sources). */
    static List<String> checkBuild(CodeFacts code) {
        DeployChecker checker = new DeployChecker(code);
        checker.problems.addAll(code.problems());
        for (CodeFacts.App app : code.apps().values()) {
            Set<Integer> listening = app.listeningPorts(Map.of());
            Set<Integer> exposed = new TreeSet<>(app.jib().ports());
            if (!exposed.equals(listening)) {
                checker.problems.add(app.module() + "/pom.xml: Jib exposes ports " + exposed + ", but " + app.module()
                        + " listens on " + listening + " by default");
            }
            if (app.uid() == null || app.uid() == 0) {
                checker.problems.add(app.module() + "/pom.xml: the image runs as root; set Jib's container user");
            }
        }
        return checker.problems;
    }

    static List<String> check(CodeFacts code, Deployment deployment) {
        DeployChecker checker = new DeployChecker(code);
        checker.run(deployment);
        return checker.problems.stream().map(p -> deployment.name + ": " + p).sorted().toList();
    }

    private void run(Deployment d) {
        problems.addAll(d.problems);
        Map<CodeFacts.App, List<Deployment.Workload>> byApp = new LinkedHashMap<>();
        String namespace = code.imageNamespace();
        for (Deployment.Workload w : d.workloads) {
            CodeFacts.App app = code.appForImage(w.image());
            if (app == null) {
                if (!namespace.isEmpty() && w.image().startsWith(namespace)) {
                    problems.add(w.origin() + ": runs image " + w.image() + ", which no module builds (Jib images: "
                            + code.apps().values().stream().map(a -> a.jib().image()).toList() + ")");
                }
                continue;
            }
            byApp.computeIfAbsent(app, a -> new ArrayList<>()).add(w);
            checkWorkload(d, app, w);
        }
        for (Deployment.PortRef ref : d.portRefs) {
            CodeFacts.App app = code.appForImage(ref.target().image());
            if (app == null) {
                continue;
            }
            Integer port = ref.port().matches("\\d+") ? Integer.valueOf(ref.port())
                    : ref.target().namedPorts().get(ref.port());
            Set<Integer> listening = app.listeningPorts(ref.target().env());
            if (port == null) {
                problems.add(ref.origin() + ": names port " + ref.port() + " of " + ref.target().name()
                        + ", which it does not declare");
            } else if (!listening.contains(port)) {
                problems.add(ref.origin() + ": sends to port " + port + " of " + ref.target().name() + ", but "
                        + app.module() + " listens on " + listening);
            }
        }
        byApp.forEach(this::checkInstanceIdentity);
        checkCredentials(d, byApp);
        checkBrokerAcl(d, byApp);
        checkTopics(d, byApp);
        d.kafkaVersions.forEach((origin, version) -> {
            if (!version.equals(code.kafkaVersion())) {
                problems.add(origin + ": Kafka " + version + ", but the apps are built with Kafka clients "
                        + code.kafkaVersion() + " (root pom kafka.version)");
            }
        });
    }

    private void checkWorkload(Deployment d, CodeFacts.App app, Deployment.Workload w) {
        String where = w.origin() + ": ";
        if (!w.image().equals(app.jib().image())) {
            problems.add(where + "runs image " + w.image() + ", but the build makes " + app.jib().image());
        }
        Map<String, String> env = w.env();
        for (String name : env.keySet()) {
            if (!name.startsWith("OBS_")) {
                continue;
            }
            if (!app.reads(name)) {
                problems.add(where + "sets " + name + ", which " + app.module() + " does not read (it reads "
                        + String.join(", ", app.variables().keySet()) + ")");
                continue;
            }
            JavaSources.Family family = app.variables().containsKey(name) ? null : app.family(name);
            if (family != null && family.listVariable() != null) {
                Matcher m = family.pattern().matcher(name);
                m.matches();
                Set<String> listed = new TreeSet<>();
                for (String source : env.getOrDefault(family.listVariable(), "").split(",")) {
                    listed.add(source.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
                }
                if (!listed.contains(m.group(1))) {
                    problems.add(where + "sets " + name + ", but " + m.group(1) + " is not listed in "
                            + family.listVariable());
                }
            }
        }
        for (CodeFacts.Variable v : app.variables().values()) {
            if (!v.loopbackDefault()) {
                continue;
            }
            String value = env.get(v.name());
            if (value == null) {
                problems.add(where + "does not set " + v.name() + "; " + app.module() + "'s default "
                        + v.defaultValue() + " only reaches its own container (read in "
                        + String.join(", ", v.readIn()) + ")");
            } else if (CodeFacts.isLoopback(value)) {
                problems.add(where + "sets " + v.name() + "=" + value + ", which only reaches its own container");
            }
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name.startsWith("OBS_") && app.variables().containsKey(name)
                    && (name.endsWith("_URL") || name.endsWith("_BOOTSTRAP"))) {
                checkEndpoint(d, where, name, e.getValue());
            }
        }
        Set<Integer> listening = app.listeningPorts(env);
        for (Integer port : w.ports()) {
            if (!listening.contains(port)) {
                problems.add(where + "declares port " + port + ", but " + app.module() + " listens on "
                        + (listening.isEmpty() ? "no port" : listening.toString()));
            }
        }
        for (Integer port : w.probePorts()) {
            if (!listening.contains(port)) {
                problems.add(where + "health check talks to port " + port + ", but " + app.module() + " listens on "
                        + (listening.isEmpty() ? "no port" : listening.toString()));
            }
        }
        if (!listening.isEmpty() && w.probePorts().isEmpty()) {
            problems.add(where + app.module() + " listens on " + listening + " but has no health check");
        }
        if (!listening.isEmpty() && !w.kind().equals("service") && w.ports().isEmpty()) {
            problems.add(where + app.module() + " listens on " + listening + " but declares no containerPort");
        }
        if (w.entrypoint() != null) {
            problems.add(where + "overrides the image's entrypoint with " + w.entrypoint() + "; the image runs "
                    + app.jib().mainClass() + " with " + app.jib().jvmFlags());
        }
        if (w.args() != null) {
            if (app.cliOptions().isEmpty()) {
                problems.add(where + "passes arguments " + w.args() + ", but " + app.jib().mainClass() + " takes none");
            } else {
                for (String arg : w.args()) {
                    String option = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                    if (option.startsWith("--") && !app.cliOptions().contains(option)) {
                        problems.add(where + "passes option " + option + ", which " + app.module()
                                + " does not know (" + String.join(" ", app.cliOptions()) + ")");
                    }
                }
            }
        }
        if (w.runAsUser() != null && app.uid() != null && !w.runAsUser().equals(app.uid())) {
            problems.add(where + "runs as user " + w.runAsUser() + ", but the image is built for user " + app.uid());
        }
    }

    private void checkEndpoint(Deployment d, String where, String name, String value) {
        if (value.equals(Deployment.SECRET)) {
            return;
        }
        String rest = value.startsWith("jdbc:") ? value.substring("jdbc:".length()) : value;
        for (String part : rest.split(",")) {
            Matcher m = HOST_PORT.matcher(part.strip());
            if (!m.find()) {
                problems.add(where + name + "=" + value + " names no host");
                continue;
            }
            String host = m.group(1);
            String shortHost = host.contains(".") && !d.hosts.containsKey(host) ? host.substring(0, host.indexOf('.'))
                    : host;
            if (!d.hosts.containsKey(shortHost)) {
                problems.add(where + name + " points at " + host + ", which is no service of this deployment");
                continue;
            }
            Set<Integer> served = d.hosts.get(shortHost);
            if (m.group(2) != null && !served.isEmpty() && !served.contains(Integer.valueOf(m.group(2)))) {
                problems.add(where + name + " points at port " + m.group(2) + " of " + host + ", which serves "
                        + served);
            }
        }
    }

    private void checkCredentials(Deployment d, Map<CodeFacts.App, List<Deployment.Workload>> byApp) {
        CREDENTIALS.forEach((login, server) -> {
            for (Deployment.Workload infra : d.workloads) {
                String expected = infra.env().get(server);
                if (expected == null || expected.equals(Deployment.SECRET)) {
                    continue;
                }
                byApp.forEach((app, workloads) -> {
                    for (Deployment.Workload w : workloads) {
                        String actual = w.env().get(login);
                        if (actual != null && !actual.equals(Deployment.SECRET) && !actual.equals(expected)) {
                            problems.add(w.origin() + ": " + login + " differs from " + server + " of "
                                    + infra.name() + ": the login would be refused");
                        }
                    }
                });
            }
        });
    }

    /** The broker's ACL must let an app's MQTT login read the filter the app subscribes to. */
    private void checkBrokerAcl(Deployment d, Map<CodeFacts.App, List<Deployment.Workload>> byApp) {
        byApp.forEach((app, workloads) -> {
            if (app.mqttFilter() == null) {
                return;
            }
            for (Deployment.Workload w : workloads) {
                String user = w.env().get("OBS_MQTT_USERNAME");
                if (user == null || user.equals(Deployment.SECRET)) {
                    continue;
                }
                for (java.nio.file.Path acl : d.aclFiles) {
                    if (!MosquittoAcl.grantsRead(JavaSources.readString(acl), user, app.mqttFilter())) {
                        problems.add(acl.getFileName() + " (" + acl.getParent().getFileName() + "): grants " + user
                                + " no read on " + app.mqttFilter() + ", which " + app.module()
                                + " subscribes to; " + w.name() + " logs in as " + user);
                    }
                }
            }
        });
    }

    /** Instances of one app that must not share an identity: MQTT sessions, static group membership. */
    private void checkInstanceIdentity(CodeFacts.App app, List<Deployment.Workload> workloads) {
        for (String variable : app.variables().keySet()) {
            if (!variable.endsWith("_CLIENT_ID") && !variable.endsWith("_INSTANCE_ID")) {
                continue;
            }
            Map<String, List<String>> holders = new TreeMap<>();
            int instances = 0;
            for (Deployment.Workload w : workloads) {
                instances += w.maxInstances();
                String value = app.effective(variable, w.env());
                if (value == null) {
                    continue;
                }
                if (value.equals(Deployment.POD_NAME)) {
                    if (!w.kind().equals("StatefulSet")) {
                        problems.add(w.origin() + ": " + variable + " is the pod's name, which changes with every "
                                + "restart of a " + w.kind() + ": use a StatefulSet, whose pod names are stable");
                    }
                    continue;
                }
                if (w.maxInstances() > 1) {
                    problems.add(w.origin() + ": its " + w.maxInstances() + " replicas all use " + variable + "="
                            + value);
                }
                holders.computeIfAbsent(value, v -> new ArrayList<>()).add(w.name());
            }
            if (instances > 1) {
                holders.forEach((value, names) -> {
                    if (names.size() > 1) {
                        problems.add(String.join(" and ", names) + " share " + variable + "=" + value
                                + " (each instance needs its own)");
                    }
                });
            }
        }
    }

    private void checkTopics(Deployment d, Map<CodeFacts.App, List<Deployment.Workload>> byApp) {
        if (d.topicSources.isEmpty()) {
            problems.add("creates no topics (a script with create_topic lines, or KafkaTopic resources)");
            return;
        }
        Map<String, String> constantOf = new TreeMap<>();
        code.topics().forEach((constant, topic) -> constantOf.put(topic, constant));
        Map<String, Deployment.Topic> created = new TreeMap<>();
        for (Deployment.Topic t : d.topics) {
            if (created.put(t.name(), t) != null) {
                problems.add(t.origin() + ": creates topic " + t.name() + " twice");
            }
            if (!constantOf.containsKey(t.name())) {
                problems.add(t.origin() + ": creates topic " + t.name()
                        + ", which is no constant of org.soilobs.model.Topics " + constantOf.keySet());
            }
            if (code.compactedTopics().contains(t.name()) && !t.cleanupPolicy().equals("compact")) {
                problems.add(t.origin() + ": " + t.name() + " has cleanup.policy " + t.cleanupPolicy()
                        + ", but TopicBootstrap compacts it (readers want the latest value per key)");
            } else if (code.bootstrapTopics().contains(t.name()) && !code.compactedTopics().contains(t.name())
                    && !t.cleanupPolicy().equals("delete")) {
                problems.add(t.origin() + ": " + t.name() + " has cleanup.policy " + t.cleanupPolicy()
                        + ", but TopicBootstrap creates it with delete");
            }
            if (t.replicas() > d.kafkaBrokers) {
                problems.add(t.origin() + ": " + t.name() + " wants " + t.replicas() + " replicas, but there are "
                        + d.kafkaBrokers + " Kafka brokers");
            }
        }
        constantOf.forEach((topic, constant) -> {
            if (!created.containsKey(topic)) {
                problems.add("topic " + topic + " (Topics." + constant + ") is not created in " + d.topicSources);
            }
        });
        int partitions = d.topics.stream().mapToInt(Deployment.Topic::partitions).min().orElse(0);
        byApp.forEach((app, workloads) -> {
            for (Deployment.Workload w : workloads) {
                compareTopicSetting(app, w, TOPIC_PARTITIONS, d.topics, Deployment.Topic::partitions);
                compareTopicSetting(app, w, TOPIC_REPLICATION, d.topics, Deployment.Topic::replicas);
            }
            if (!app.groupConsumer()) {
                return;
            }
            int threads = 1;
            int instances = 0;
            for (Deployment.Workload w : workloads) {
                instances += w.maxInstances();
                for (String v : app.variables().keySet()) {
                    String value = v.endsWith("_THREADS") ? app.effective(v, w.env()) : null;
                    if (value != null && value.matches("\\d+")) {
                        threads = Math.max(threads, Integer.parseInt(value));
                    }
                }
            }
            if (instances * threads > partitions) {
                problems.add(app.module() + ": up to " + instances + " instances × " + threads + " threads consume "
                        + "topics of " + partitions + " partitions; the consumers beyond " + partitions + " stand idle");
            }
        });
    }

    private void compareTopicSetting(CodeFacts.App app, Deployment.Workload w, String variable,
            List<Deployment.Topic> topics, ToIntFunction<Deployment.Topic> setting) {
        if (!app.variables().containsKey(variable)) {
            return;
        }
        String value = app.effective(variable, w.env());
        for (Deployment.Topic t : topics) {
            if (value != null && value.matches("\\d+") && Integer.parseInt(value) != setting.applyAsInt(t)) {
                problems.add(w.origin() + ": " + variable + "=" + value + " (for the topics it creates and its "
                        + "internal topics), but " + t.origin() + " gives " + t.name() + " " + setting.applyAsInt(t));
                return;
            }
        }
    }

    /** Every mismatch as one readable block, for an assertion message. */
    static String report(List<String> problems) {
        return problems.size() + " mismatch(es) between deploy/ and the code:\n  - "
                + String.join("\n  - ", problems);
    }
}
