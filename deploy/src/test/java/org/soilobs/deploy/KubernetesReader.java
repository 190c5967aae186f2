package org.soilobs.deploy;

import static org.soilobs.deploy.ComposeReader.map;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads Kubernetes manifests through their {@code kustomization.yaml}: the resources it lists, its image
 * overrides and generator files. Knows Strimzi's conventions: a {@code Kafka} named N serves its listeners on
 * the Service {@code N-kafka-bootstrap}; brokers are the {@code KafkaNodePool} replicas with the broker role.
 */
final class KubernetesReader {

    private KubernetesReader() {
    }

    static Deployment read(Path kustomization) {
        Path dir = kustomization.getParent();
        Deployment d = new Deployment("k8s");
        Map<String, Object> kustom = map(ComposeReader.yaml().load(JavaSources.readString(kustomization)));
        Map<String, String> imageTags = new LinkedHashMap<>();
        for (Object o : list(kustom.get("images"))) {
            Map<String, Object> image = map(o);
            String name = String.valueOf(image.get("name"));
            String newName = image.get("newName") == null ? name : String.valueOf(image.get("newName"));
            imageTags.put(name, newName + (image.get("newTag") == null ? "" : ":" + image.get("newTag")));
        }
        for (Object o : list(kustom.get("configMapGenerator"))) {
            for (Object f : list(map(o).get("files"))) {
                String file = String.valueOf(f).contains("=") ? String.valueOf(f).split("=", 2)[1] : String.valueOf(f);
                if (!Files.isRegularFile(dir.resolve(file))) {
                    d.problems.add("kustomization.yaml: configMapGenerator file " + file + " does not exist");
                } else if (Path.of(file).getFileName().toString().equals("acl")) {
                    d.aclFiles.add(dir.resolve(file).normalize());
                }
            }
        }
        List<Map<String, Object>> docs = new ArrayList<>();
        Map<Map<String, Object>, String> originOf = new IdentityHashMap<>();
        for (Object r : list(kustom.get("resources"))) {
            Path file = dir.resolve(String.valueOf(r));
            if (!Files.isRegularFile(file)) {
                d.problems.add("kustomization.yaml: resource " + r + " does not exist");
                continue;
            }
            for (Object doc : ComposeReader.yaml().loadAll(JavaSources.readString(file))) {
                if (doc instanceof Map<?, ?>) {
                    Map<String, Object> m = map(doc);
                    docs.add(m);
                    originOf.put(m, r + " " + m.get("kind") + " " + map(m.get("metadata")).get("name"));
                }
            }
        }
        Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
        Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
        Map<String, Integer> hpaMax = new LinkedHashMap<>();
        for (Map<String, Object> doc : docs) {
            String kind = String.valueOf(doc.get("kind"));
            String name = String.valueOf(map(doc.get("metadata")).get("name"));
            switch (kind) {
                case "ConfigMap" -> configMaps.put(name, strings(map(doc.get("data"))));
                case "Secret" -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    map(doc.get("data")).forEach((k, v) -> values.put(k,
                            new String(Base64.getDecoder().decode(String.valueOf(v)), StandardCharsets.UTF_8)));
                    values.putAll(strings(map(doc.get("stringData"))));
                    secrets.put(name, values);
                }
                case "HorizontalPodAutoscaler" -> {
                    Map<String, Object> target = map(map(doc.get("spec")).get("scaleTargetRef"));
                    hpaMax.put(target.get("kind") + "/" + target.get("name"),
                            (Integer) map(doc.get("spec")).get("maxReplicas"));
                }
                case "Service" -> {
                    Set<Integer> ports = new TreeSet<>();
                    for (Object p : list(map(doc.get("spec")).get("ports"))) {
                        ports.add((Integer) map(p).get("port"));
                    }
                    d.hosts.put(name, ports);
                }
                case "Kafka" -> {
                    Map<String, Object> kafka = map(map(doc.get("spec")).get("kafka"));
                    Set<Integer> ports = new TreeSet<>();
                    for (Object l : list(kafka.get("listeners"))) {
                        ports.add((Integer) map(l).get("port"));
                    }
                    d.hosts.put(name + "-kafka-bootstrap", ports);
                    d.kafkaVersions.put(originOf.get(doc), String.valueOf(kafka.get("version")));
                }
                case "KafkaNodePool" -> {
                    Map<String, Object> spec = map(doc.get("spec"));
                    if (list(spec.get("roles")).contains("broker")) {
                        d.kafkaBrokers += (Integer) spec.get("replicas");
                    }
                }
                case "KafkaTopic" -> {
                    Map<String, Object> spec = map(doc.get("spec"));
                    String topic = spec.get("topicName") == null ? name : String.valueOf(spec.get("topicName"));
                    Object policy = map(spec.get("config")).get("cleanup.policy");
                    d.topics.add(new Deployment.Topic(originOf.get(doc), topic, (Integer) spec.get("partitions"),
                            (Integer) spec.get("replicas"), policy == null ? "delete" : String.valueOf(policy)));
                    if (!d.topicSources.contains("KafkaTopic")) {
                        d.topicSources.add("KafkaTopic");
                    }
                }
                default -> {
                }
            }
        }
        Map<Deployment.Workload, Map<String, Object>> podLabels = new IdentityHashMap<>();
        for (Map<String, Object> doc : docs) {
            String kind = String.valueOf(doc.get("kind"));
            if (!kind.equals("Deployment") && !kind.equals("StatefulSet")) {
                continue;
            }
            String name = String.valueOf(map(doc.get("metadata")).get("name"));
            Map<String, Object> spec = map(doc.get("spec"));
            int replicas = spec.get("replicas") instanceof Integer r ? r : 1;
            int max = hpaMax.getOrDefault(kind + "/" + name, replicas);
            Map<String, Object> template = map(spec.get("template"));
            Map<String, Object> podSpec = map(template.get("spec"));
            Integer podUser = (Integer) map(podSpec.get("securityContext")).get("runAsUser");
            for (Object c : list(podSpec.get("containers"))) {
                Map<String, Object> container = map(c);
                String origin = originOf.get(doc) + " container " + container.get("name");
                Map<String, String> env = env(d, origin, container, configMaps, secrets);
                Set<Integer> ports = new TreeSet<>();
                Map<String, Integer> named = new LinkedHashMap<>();
                for (Object p : list(container.get("ports"))) {
                    Integer port = (Integer) map(p).get("containerPort");
                    ports.add(port);
                    if (map(p).get("name") != null) {
                        named.put(String.valueOf(map(p).get("name")), port);
                    }
                }
                Set<Integer> probePorts = new TreeSet<>();
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    Map<String, Object> p = map(container.get(probe));
                    for (String handler : List.of("httpGet", "tcpSocket", "grpc")) {
                        Object port = map(p.get(handler)).get("port");
                        if (port instanceof Integer i) {
                            probePorts.add(i);
                        } else if (port != null) {
                            Integer resolved = named.get(String.valueOf(port));
                            if (resolved == null) {
                                d.problems.add(origin + ": " + probe + " names port " + port + ", which it does not declare");
                            } else {
                                probePorts.add(resolved);
                            }
                        }
                    }
                }
                Integer user = (Integer) map(container.get("securityContext")).get("runAsUser");
                String image = String.valueOf(container.get("image"));
                image = imageTags.getOrDefault(image, image);
                Deployment.Workload w = new Deployment.Workload(origin, name, kind, image, env,
                        stringList(container.get("command")), stringList(container.get("args")), ports, named,
                        probePorts, user != null ? user : podUser, max);
                d.workloads.add(w);
                podLabels.put(w, map(map(template.get("metadata")).get("labels")));
            }
        }
        for (Map<String, Object> doc : docs) {
            String kind = String.valueOf(doc.get("kind"));
            Map<String, Object> spec = map(doc.get("spec"));
            if (kind.equals("Service")) {
                for (Deployment.Workload w : selected(podLabels, map(spec.get("selector")))) {
                    for (Object p : list(spec.get("ports"))) {
                        Object target = map(p).get("targetPort") == null ? map(p).get("port") : map(p).get("targetPort");
                        d.portRefs.add(new Deployment.PortRef(originOf.get(doc), w, String.valueOf(target)));
                    }
                }
            } else if (kind.equals("NetworkPolicy")) {
                Map<String, Object> selector = map(map(spec.get("podSelector")).get("matchLabels"));
                if (selector.isEmpty()) {
                    continue;
                }
                for (Deployment.Workload w : selected(podLabels, selector)) {
                    for (Object rule : list(spec.get("ingress"))) {
                        for (Object p : list(map(rule).get("ports"))) {
                            d.portRefs.add(new Deployment.PortRef(originOf.get(doc), w, String.valueOf(map(p).get("port"))));
                        }
                    }
                }
            }
        }
        return d;
    }

    private static Map<String, String> env(Deployment d, String origin, Map<String, Object> container,
            Map<String, Map<String, String>> configMaps, Map<String, Map<String, String>> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object o : list(container.get("envFrom"))) {
            Map<String, Object> from = map(o);
            String prefix = from.get("prefix") == null ? "" : String.valueOf(from.get("prefix"));
            for (String source : List.of("configMapRef", "secretRef")) {
                if (from.get(source) == null) {
                    continue;
                }
                String ref = String.valueOf(map(from.get(source)).get("name"));
                Map<String, String> values = (source.equals("configMapRef") ? configMaps : secrets).get(ref);
                if (values == null) {
                    d.problems.add(origin + ": envFrom " + source + " " + ref + " is in no manifest");
                } else {
                    values.forEach((k, v) -> env.put(prefix + k, v));
                }
            }
        }
        for (Object o : list(container.get("env"))) {
            Map<String, Object> var = map(o);
            String name = String.valueOf(var.get("name"));
            if (var.containsKey("value")) {
                env.put(name, String.valueOf(var.get("value")));
                continue;
            }
            Map<String, Object> from = map(var.get("valueFrom"));
            if ("metadata.name".equals(map(from.get("fieldRef")).get("fieldPath"))) {
                env.put(name, Deployment.POD_NAME);
            } else if (from.get("secretKeyRef") != null || from.get("configMapKeyRef") != null) {
                boolean secret = from.get("secretKeyRef") != null;
                Map<String, Object> ref = map(from.get(secret ? "secretKeyRef" : "configMapKeyRef"));
                Map<String, String> values = (secret ? secrets : configMaps).get(String.valueOf(ref.get("name")));
                String value = values == null ? null : values.get(String.valueOf(ref.get("key")));
                if (value == null) {
                    d.problems.add(origin + ": " + name + " refers to key " + ref.get("key") + " of "
                            + (secret ? "Secret " : "ConfigMap ") + ref.get("name") + ", which no manifest holds");
                    value = Deployment.SECRET;
                }
                env.put(name, value);
            } else {
                env.put(name, Deployment.SECRET);
            }
        }
        return env;
    }

    private static List<Deployment.Workload> selected(Map<Deployment.Workload, Map<String, Object>> podLabels,
            Map<String, Object> selector) {
        List<Deployment.Workload> result = new ArrayList<>();
        if (selector.isEmpty()) {
            return result;
        }
        podLabels.forEach((w, labels) -> {
            if (labels.entrySet().containsAll(selector.entrySet())) {
                result.add(w);
            }
        });
        return result;
    }

    private static Map<String, String> strings(Map<String, Object> map) {
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((k, v) -> result.put(k, String.valueOf(v)));
        return result;
    }

    private static List<String> stringList(Object value) {
        return value == null ? null : list(value).stream().map(String::valueOf).toList();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }
}
