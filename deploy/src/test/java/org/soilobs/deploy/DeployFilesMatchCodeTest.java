package org.soilobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * There is no Docker engine or Kubernetes cluster here, so this keeps deploy/ honest instead: every deploy file is
 * parsed and checked against the sources and poms of the apps it runs (see {@link DeployChecker} for the checks).
 */
class DeployFilesMatchCodeTest {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path COMPOSE = ROOT.resolve("deploy/compose/compose.yaml");
    static final Path KUSTOMIZATION = ROOT.resolve("deploy/k8s/kustomization.yaml");
    static final Set<String> DEPLOYABLES = Set.of("ingest", "streams", "sink", "observatory-api", "sensor-sim");

    static CodeFacts code;

    @BeforeAll
    static void readCode() {
        assertThat(ROOT.resolve("deploy/pom.xml")).as("tests run in the deploy module").isRegularFile();
        code = CodeFacts.read(ROOT);
    }

    @Test
    void everyDeployableBuildsAnImageOfItsOwnMainClass() {
        assertThat(code.apps().keySet()).containsExactlyInAnyOrderElementsOf(DEPLOYABLES);
        List<String> problems = DeployChecker.checkBuild(code);
        assertThat(problems).as(DeployChecker.report(problems)).isEmpty();
    }

    @Test
    void theCodeReadsTheVariablesTheChecksRelyOn() {
        // Guards against a scanner that silently finds nothing, which would make every other check pass.
        assertThat(code.apps().get("ingest").variables()).containsKeys("OBS_MQTT_URL", "OBS_INGEST_CLIENT_ID",
                "OBS_KAFKA_BOOTSTRAP", "OBS_LOG_LEVEL");
        assertThat(code.apps().get("ingest").families()).isNotEmpty();
        assertThat(code.apps().get("observatory-api").listeningPorts(java.util.Map.of())).containsExactly(8080);
        assertThat(code.apps().get("streams").variables()).containsKeys(DeployChecker.TOPIC_PARTITIONS,
                DeployChecker.TOPIC_REPLICATION, "OBS_STREAMS_STATE_DIR");
        assertThat(code.apps().get("sink").variables().get("OBS_DB_URL").loopbackDefault()).isTrue();
        assertThat(code.topics()).isNotEmpty();
        assertThat(code.compactedTopics()).isNotEmpty();
    }

    @Test
    void composeRunsWhatTheBuildMakesTheWayTheCodeExpects() {
        Deployment compose = ComposeReader.read(COMPOSE);
        assertThat(appsIn(compose)).containsExactlyInAnyOrderElementsOf(DEPLOYABLES);
        assertThat(compose.aclFiles).as("the broker's ACL, checked against ingest's login").isNotEmpty();
        List<String> problems = DeployChecker.check(code, compose);
        assertThat(problems).as(DeployChecker.report(problems)).isEmpty();
    }

    @Test
    void kubernetesRunsWhatTheBuildMakesTheWayTheCodeExpects() {
        Deployment k8s = KubernetesReader.read(KUSTOMIZATION);
        assertThat(appsIn(k8s)).containsExactlyInAnyOrder("ingest", "streams", "sink", "observatory-api");
        assertThat(k8s.aclFiles).as("the broker's ACL, checked against ingest's login").isNotEmpty();
        List<String> problems = DeployChecker.check(code, k8s);
        assertThat(problems).as(DeployChecker.report(problems)).isEmpty();
    }

    @Test
    void everyManifestIsListedInTheKustomization() throws Exception {
        String kustomization = Files.readString(KUSTOMIZATION);
        try (var files = Files.list(KUSTOMIZATION.getParent())) {
            List<String> unlisted = files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
                    .filter(name -> !kustomization.contains("- " + name))
                    .toList();
            assertThat(unlisted).as("manifests kubectl apply -k would leave out").isEmpty();
        }
    }

    private static Set<String> appsIn(Deployment d) {
        return d.workloads.stream().map(w -> code.appForImage(w.image())).filter(a -> a != null)
                .map(CodeFacts.App::module).collect(Collectors.toSet());
    }
}
