package org.soilobs.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the code and the build say a deployment must match: for every module that builds a container image (it
 * declares the Jib plugin) the image, main class, ports, user, the variables it reads with their defaults; the
 * Kafka topics of {@code org.soilobs.model.Topics} and which of them {@code TopicBootstrap} compacts.
 */
final class CodeFacts {

    /** A variable an app reads; {@code defaultValue} is null when there is none or it is computed. */
    record Variable(String name, boolean defaulted, String defaultValue, List<String> readIn) {

        /** A default that only works when everything runs on one machine (README: "embedded …"). */
        boolean loopbackDefault() {
            return defaultValue != null && isLoopback(defaultValue);
        }
    }

    /** One deployable app. */
    /**
     * @param mqttFilter the topic filter ingest subscribes to ({@code GatewayTopic.FILTER}, shared as
     *     {@code $share/<group>/<filter>}), null for an app without one
     */
    record App(String module, Poms.Jib jib, Map<String, Variable> variables, List<JavaSources.Family> families,
            Set<String> cliOptions, boolean groupConsumer, String mqttFilter) {

        String imageRepository() {
            return repository(jib.image());
        }

        boolean reads(String variable) {
            return variables.containsKey(variable) || family(variable) != null;
        }

        JavaSources.Family family(String variable) {
            for (JavaSources.Family family : families) {
                if (family.pattern().matcher(variable).matches()) {
                    return family;
                }
            }
            return null;
        }

        /** The variable's value: set, or the code's default; null when neither is known. */
        String effective(String variable, Map<String, String> env) {
            if (env.containsKey(variable)) {
                return env.get(variable);
            }
            Variable v = variables.get(variable);
            return v == null ? null : v.defaultValue();
        }

        /** The TCP ports it listens on with this environment: the values of the {@code *_PORT} variables it reads. */
        Set<Integer> listeningPorts(Map<String, String> env) {
            Set<Integer> ports = new TreeSet<>();
            for (String name : variables.keySet()) {
                if (name.endsWith("_PORT")) {
                    String value = effective(name, env);
                    if (value != null && value.matches("\\d+")) {
                        ports.add(Integer.valueOf(value));
                    }
                }
            }
            return ports;
        }

        /** The user id the image runs as ({@code <user>uid:gid</user>}), or null. */
        Integer uid() {
            return jib.user() == null ? null : Integer.valueOf(jib.user().split(":")[0]);
        }
    }

    private final Poms poms;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> topics = new TreeMap<>();
    private final Set<String> compactedTopics = new TreeSet<>();
    private final Set<String> bootstrapTopics = new TreeSet<>();

    private CodeFacts(Path root) {
        poms = Poms.read(root);
        Map<String, JavaSources> sources = new LinkedHashMap<>();
        poms.modules().forEach((id, module) -> sources.put(id, JavaSources.read(module.dir())));
        for (Poms.Module module : poms.modules().values()) {
            if (module.jib() != null) {
                apps.put(module.artifactId(), app(module, sources));
            }
        }
        readTopics(sources);
    }

    static CodeFacts read(Path root) {
        return new CodeFacts(root);
    }

    private App app(Poms.Module module, Map<String, JavaSources> sources) {
        Map<String, Variable> variables = new TreeMap<>();
        List<JavaSources.Family> families = new ArrayList<>();
        String mqttFilter = null;
        for (String id : runtimeClosure(module)) {
            JavaSources s = sources.get(id);
            if (s == null) {
                continue;
            }
            mqttFilter = s.constant("GatewayTopic", "FILTER").orElse(mqttFilter);
            s.usages().forEach((name, usages) -> {
                Variable known = variables.get(name);
                boolean defaulted = known != null && known.defaulted();
                String value = known == null ? null : known.defaultValue();
                List<String> where = new ArrayList<>(known == null ? List.of() : known.readIn());
                for (JavaSources.Usage usage : usages) {
                    defaulted |= usage.defaulted();
                    // Of several defaults the loopback one wins: a deployment must set that variable either way.
                    if (value == null || (usage.defaultValue() != null && isLoopback(usage.defaultValue()))) {
                        value = usage.defaultValue() != null ? usage.defaultValue() : value;
                    }
                    if (!where.contains(usage.where())) {
                        where.add(usage.where());
                    }
                }
                variables.put(name, new Variable(name, defaulted, value, List.copyOf(where)));
            });
            families.addAll(s.families());
        }
        JavaSources own = sources.get(module.artifactId());
        Poms.Jib jib = module.jib();
        String where = poms.root().relativize(module.dir().resolve("pom.xml")).toString();
        if (jib.image() == null || jib.image().contains("${")) {
            problems.add(where + ": Jib image name " + jib.image() + " does not resolve");
        }
        if (jib.mainClass() == null) {
            problems.add(where + ": Jib names no main class");
        } else {
            Path file = module.dir().resolve("src/main/java/" + jib.mainClass().replace('.', '/') + ".java");
            if (!Files.isRegularFile(file) || !own.mainClasses().contains(file)) {
                problems.add(where + ": Jib main class " + jib.mainClass() + " is not a class with a main method in "
                        + module.artifactId() + "/src/main/java");
            }
        }
        return new App(module.artifactId(), jib, variables, List.copyOf(families), own.cliOptions(),
                own.groupConsumer(), mqttFilter);
    }

    /** The module and every org.soilobs module it needs at run time, transitively. */
    private List<String> runtimeClosure(Poms.Module module) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(module.artifactId()));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (seen.add(id) && poms.modules().containsKey(id)) {
                todo.addAll(poms.modules().get(id).runtimeModules());
            }
        }
        return List.copyOf(seen);
    }

    private void readTopics(Map<String, JavaSources> sources) {
        for (JavaSources s : sources.values()) {
            s.constantsOf("Topics").forEach(topics::put);
        }
        if (topics.isEmpty()) {
            problems.add("no org.soilobs.model.Topics constants found");
        }
        for (Poms.Module module : poms.modules().values()) {
            for (Path file : JavaSources.files(module.dir().resolve("src/main/java"), "TopicBootstrap.java")) {
                String text = JavaSources.stripComments(JavaSources.readString(file));
                Matcher compact = Pattern.compile("Topics\\.(\\w+)\\s*,\\s*TopicConfig\\.CLEANUP_POLICY_COMPACT")
                        .matcher(text);
                while (compact.find()) {
                    compactedTopics.add(topics.getOrDefault(compact.group(1), compact.group(1)));
                }
                Matcher any = Pattern.compile("Topics\\.(\\w+)").matcher(text);
                while (any.find()) {
                    bootstrapTopics.add(topics.getOrDefault(any.group(1), any.group(1)));
                }
            }
        }
    }

    Map<String, App> apps() {
        return apps;
    }

    /** Problems of the build itself (a Jib main class that does not exist, …). */
    List<String> problems() {
        return problems;
    }

    /** Topic names by constant name. */
    Map<String, String> topics() {
        return topics;
    }

    Set<String> compactedTopics() {
        return compactedTopics;
    }

    /** Topics that streams' TopicBootstrap creates; those it does not compact it creates with "delete". */
    Set<String> bootstrapTopics() {
        return bootstrapTopics;
    }

    String projectVersion() {
        return poms.property("project.version");
    }

    String kafkaVersion() {
        return poms.property("kafka.version");
    }

    App appForImage(String image) {
        String repository = repository(image);
        for (App app : apps.values()) {
            if (app.imageRepository().equals(repository)) {
                return app;
            }
        }
        return null;
    }

    /** Where the images are published: what every app's image name starts with ("ghcr.io/soilobs/"). */
    String imageNamespace() {
        String namespace = null;
        for (App app : apps.values()) {
            String repo = app.imageRepository();
            String ns = repo.substring(0, repo.lastIndexOf('/') + 1);
            namespace = namespace == null ? ns : namespace.equals(ns) ? ns : "";
        }
        return namespace == null ? "" : namespace;
    }

    static String repository(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(0, colon) : image;
    }

    static String tag(String image) {
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash ? image.substring(colon + 1) : "latest";
    }

    static boolean isLoopback(String value) {
        return value.contains("127.0.0.1") || value.contains("localhost") || value.contains("[::1]");
    }
}
