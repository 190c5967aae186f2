package org.soilobs.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One deployment description (the compose project, or the Kubernetes manifests) reduced to what the checks
 * compare with the code. Readers fill it; {@link DeployChecker} judges it.
 */
final class Deployment {

    /** An environment value known only when the pod runs: its own name (Kubernetes downward API). */
    static final String POD_NAME = "<pod name>";
    /** An environment value from a Secret that the manifests do not hold. */
    static final String SECRET = "<secret>";

    /**
     * One container of an app or of the infrastructure.
     *
     * @param origin where it is described, for the messages ("compose.yaml service ingest-1")
     * @param kind "service" (compose), "Deployment" or "StatefulSet"
     * @param env the environment it gets, env files and ConfigMaps resolved
     * @param entrypoint the entrypoint (compose) or command (Kubernetes) it overrides, null if it does not
     * @param args the arguments (compose command, Kubernetes args), null if none
     * @param ports ports it declares (compose: container side of ports/expose; Kubernetes: containerPort)
     * @param namedPorts Kubernetes port names
     * @param probePorts ports its health check or probes talk to
     * @param runAsUser the user id it is told to run as, null if not
     * @param maxInstances the autoscaler's maximum, or the replicas without one
     */
    record Workload(String origin, String name, String kind, String image, Map<String, String> env,
            List<String> entrypoint, List<String> args, Set<Integer> ports, Map<String, Integer> namedPorts,
            Set<Integer> probePorts, Integer runAsUser, int maxInstances) {
    }

    /** A reference to a port of a workload from elsewhere: a proxy upstream, a Service, a NetworkPolicy. */
    record PortRef(String origin, Workload target, String port) {
    }

    /** A topic the deployment creates. */
    record Topic(String origin, String name, int partitions, int replicas, String cleanupPolicy) {
    }

    final String name;
    final List<Workload> workloads = new ArrayList<>();
    /** Host names that resolve to something in the deployment, with the ports known to be served there. */
    final Map<String, Set<Integer>> hosts = new LinkedHashMap<>();
    final List<PortRef> portRefs = new ArrayList<>();
    final List<Topic> topics = new ArrayList<>();
    /** Where topics are described (a script, KafkaTopic resources); empty means the deployment has none. */
    final List<String> topicSources = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    /** Mosquitto ACL files the broker is given. */
    final List<Path> aclFiles = new ArrayList<>();
    int kafkaBrokers;
    /** Kafka versions of the brokers, with where each is set. */
    final Map<String, String> kafkaVersions = new LinkedHashMap<>();

    Deployment(String name) {
        this.name = name;
    }
}
