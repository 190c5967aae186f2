package org.soilobs.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads a compose project: {@code compose.yaml} (anchors and merge keys resolved by SnakeYAML), its env files,
 * the topic script(s) ({@code create_topic NAME POLICY …} lines) and Caddyfiles ({@code reverse_proxy} upstreams).
 */
final class ComposeReader {

    private static final Pattern HEALTH_PORT = Pattern.compile(
            "/dev/tcp/[^/\\s]+/(\\d+)|https?://[^/:\\s]+:(\\d+)|nc\\s+-z\\s+\\S+\\s+(\\d+)");
    private static final Pattern CREATE_TOPIC = Pattern.compile("(?m)^\\s*create_topic\\s+(\\S+)\\s+(\\S+)");
    private static final Pattern SCRIPT_NUMBER = Pattern.compile("(?m)^\\s*(PARTITIONS|REPLICATION)=(\\d+)\\s*$");

    private ComposeReader() {
    }

    static Deployment read(Path composeFile) {
        Path dir = composeFile.getParent();
        Deployment d = new Deployment("compose");
        Map<String, Object> compose = map(yaml().load(JavaSources.readString(composeFile)));
        Map<String, Object> services = map(compose.get("services"));
        String file = composeFile.getFileName().toString();
        for (Map.Entry<String, Object> entry : services.entrySet()) {
            String name = entry.getKey();
            Map<String, Object> service = map(entry.getValue());
            d.hosts.put(name, new TreeSet<>());
            if (service.get("hostname") instanceof String host) {
                d.hosts.put(host, new TreeSet<>());
            }
            String origin = file + " service " + name;
            Map<String, String> env = new LinkedHashMap<>();
            for (String envFile : strings(service.get("env_file"))) {
                Path path = dir.resolve(envFile);
                if (!Files.isRegularFile(path)) {
                    d.problems.add(origin + ": env file " + envFile + " does not exist");
                } else {
                    env.putAll(envFile(path));
                }
            }
            env.putAll(environment(service.get("environment")));
            for (String volume : strings(service.get("volumes"))) {
                String source = volume.split(":")[0];
                if ((source.startsWith(".") || source.startsWith("/")) && !Files.exists(dir.resolve(source))) {
                    d.problems.add(origin + ": mounts " + source + ", which does not exist");
                } else if (source.startsWith(".") && volume.split(":")[1].endsWith("/acl")) {
                    d.aclFiles.add(dir.resolve(source).normalize());
                }
            }
            Set<Integer> ports = new TreeSet<>();
            for (String port : strings(service.get("ports"))) {
                String container = port.substring(port.lastIndexOf(':') + 1).replaceAll("/.*", "");
                ports.add(Integer.valueOf(container));
            }
            for (String port : strings(service.get("expose"))) {
                ports.add(Integer.valueOf(port.replaceAll("/.*", "")));
            }
            Set<Integer> probePorts = new TreeSet<>();
            if (service.get("healthcheck") instanceof Map<?, ?> health) {
                Matcher m = HEALTH_PORT.matcher(String.join(" ", strings(health.get("test"))));
                while (m.find()) {
                    for (int g = 1; g <= m.groupCount(); g++) {
                        if (m.group(g) != null) {
                            probePorts.add(Integer.valueOf(m.group(g)));
                        }
                    }
                }
            }
            Integer user = service.get("user") == null ? null
                    : Integer.valueOf(String.valueOf(service.get("user")).split(":")[0]);
            int replicas = 1;
            if (service.get("deploy") instanceof Map<?, ?> deploy && deploy.get("replicas") instanceof Integer r) {
                replicas = r;
            }
            String image = service.get("image") == null ? "" : String.valueOf(service.get("image"));
            d.workloads.add(new Deployment.Workload(origin, name, "service", image, env,
                    command(service.get("entrypoint")), command(service.get("command")), ports, Map.of(), probePorts,
                    user, replicas));
            if (image.startsWith("apache/kafka:") && env.containsKey("KAFKA_NODE_ID")) {
                d.kafkaBrokers++;
                d.kafkaVersions.put(origin, CodeFacts.tag(image));
            }
        }
        for (Path script : JavaSources.files(dir, ".sh")) {
            readTopicScript(d, dir, script);
        }
        for (Path caddyfile : JavaSources.files(dir, "Caddyfile")) {
            readCaddyfile(d, dir, caddyfile);
        }
        return d;
    }

    private static void readTopicScript(Deployment d, Path dir, Path script) {
        String text = JavaSources.readString(script);
        Matcher m = CREATE_TOPIC.matcher(text);
        if (!m.find()) {
            return;
        }
        String origin = dir.relativize(script).toString();
        d.topicSources.add(origin);
        Map<String, Integer> numbers = new LinkedHashMap<>();
        Matcher n = SCRIPT_NUMBER.matcher(text);
        while (n.find()) {
            numbers.put(n.group(1), Integer.valueOf(n.group(2)));
        }
        if (!numbers.containsKey("PARTITIONS") || !numbers.containsKey("REPLICATION")) {
            d.problems.add(origin + ": sets no PARTITIONS=<n> and REPLICATION=<n>");
        }
        m.reset();
        while (m.find()) {
            if (m.group(1).startsWith("$")) {
                continue;
            }
            d.topics.add(new Deployment.Topic(origin, m.group(1), numbers.getOrDefault("PARTITIONS", 0),
                    numbers.getOrDefault("REPLICATION", 0), m.group(2)));
        }
    }

    private static void readCaddyfile(Deployment d, Path dir, Path caddyfile) {
        String origin = dir.relativize(caddyfile).toString();
        for (String line : JavaSources.readString(caddyfile).split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.startsWith("reverse_proxy")) {
                continue;
            }
            for (String token : trimmed.split("\\s+")) {
                Matcher upstream = Pattern.compile("([A-Za-z0-9_.-]+):(\\d+)").matcher(token);
                if (!upstream.matches()) {
                    continue;
                }
                Deployment.Workload target = d.workloads.stream()
                        .filter(w -> w.name().equals(upstream.group(1))).findFirst().orElse(null);
                if (target == null) {
                    d.problems.add(origin + ": upstream " + token + " is no service of the compose file");
                } else {
                    d.portRefs.add(new Deployment.PortRef(origin + " upstream " + token, target, upstream.group(2)));
                }
            }
        }
    }

    static Map<String, String> envFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : JavaSources.readString(file).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains("=")) {
                continue;
            }
            String value = trimmed.substring(trimmed.indexOf('=') + 1);
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            env.put(trimmed.substring(0, trimmed.indexOf('=')).strip(), value);
        }
        return env;
    }

    private static Map<String, String> environment(Object environment) {
        Map<String, String> env = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> map) {
            map.forEach((k, v) -> env.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else {
            for (String entry : strings(environment)) {
                int eq = entry.indexOf('=');
                env.put(eq < 0 ? entry : entry.substring(0, eq), eq < 0 ? "" : entry.substring(eq + 1));
            }
        }
        return env;
    }

    private static List<String> command(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s) {
            return List.of(s.strip().split("\\s+"));
        }
        return strings(value);
    }

    static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A scalar, a list of scalars, or a list of maps (long syntax) reduced to their "source"/"target"/"published" text. */
    static List<String> strings(Object value) {
        List<String> result = new ArrayList<>();
        if (value == null) {
            return result;
        }
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m) {
                    Object path = m.get("path");
                    Object source = m.get("source");
                    Object target = m.get("target");
                    if (path != null) {
                        result.add(String.valueOf(path));
                    } else if (source != null && target != null) {
                        result.add(source + ":" + target);
                    } else if (target != null) {
                        result.add(String.valueOf(target));
                    }
                } else if (item != null) {
                    result.add(String.valueOf(item));
                }
            }
        } else {
            result.add(String.valueOf(value));
        }
        return result;
    }
}
