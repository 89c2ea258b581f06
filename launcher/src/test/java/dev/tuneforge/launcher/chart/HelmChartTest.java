package dev.tuneforge.launcher.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart in {@code helm/tuneforge}: it lints, renders valid Kubernetes manifests for the
 * default and the production example values, refuses wrong values at install, and sets only
 * settings the app and the node read.
 */
class HelmChartTest {
  /** Read by the JVM itself, not by Spring. */
  private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

  /**
   * Settings every app replica must share and the app cannot default safely: without the secrets
   * key each replica would make its own in its own file and not read the others' ciphertexts.
   */
  private static final Set<String> SHARED_BY_REPLICAS = Set.of("tuneforge.secrets.key");

  private final AppSettings settings = new AppSettings();

  @Test
  void theChartLints() {
    var lint = new Helm(RenderedChart.CHART).lint().strict().call();
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
  }

  @Test
  void defaultValuesRenderTheAppAsReplicatedProbedAndStickyService() {
    RenderedChart chart = RenderedChart.render(template -> template);

    Deployment app = chart.all(Deployment.class).getFirst();
    assertThat(app.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    Container container = chart.appContainer();
    assertThat(container.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/readiness");
    assertThat(container.getLivenessProbe().getHttpGet().getPath())
        .isEqualTo("/actuator/health/liveness");
    assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(chart.all(Ingress.class).getFirst().getMetadata().getAnnotations())
        .containsEntry("nginx.ingress.kubernetes.io/affinity", "cookie");
    assertThat(chart.all(PodDisruptionBudget.class)).hasSize(1);
    assertThat(chart.all(NetworkPolicy.class)).hasSize(2);
    assertThat(chart.all(StatefulSet.class)).as("no node pool unless asked").isEmpty();
  }

  @Test
  void theProductionExampleRendersGpuPoolsWithTheirSchedulingAndEnrolment() {
    RenderedChart chart =
        RenderedChart.render(template -> template.withValuesFile(RenderedChart.PRODUCTION));

    assertThat(chart.all(Deployment.class).getFirst().getSpec().getReplicas()).isEqualTo(3);
    assertThat(chart.all(ConfigMap.class))
        .as("the Grafana dashboard for the sidecar")
        .anySatisfy(map -> assertThat(map.getData().get("tuneforge.json")).contains("\"panels\""));
    StatefulSet gpu =
        chart.all(StatefulSet.class).stream()
            .filter(pool -> pool.getMetadata().getName().endsWith("gpu-h100"))
            .findFirst()
            .orElseThrow();
    var pod = gpu.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers().getFirst().getResources().getLimits())
        .containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(pod.getNodeSelector()).containsKey("nvidia.com/gpu.product");
    assertThat(pod.getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()));
    assertThat(pod.getContainers().getFirst().getArgs()).containsSequence("--device", "cuda");
    var token =
        pod.getContainers().getFirst().getEnv().stream()
            .filter(env -> env.getName().equals("TUNEFORGE_ENROL_TOKEN"))
            .findFirst()
            .orElseThrow();
    assertThat(token.getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("tuneforge-enrol-gpu-h100");
  }

  @Test
  void everyVariableTheChartSetsIsASettingTheAppReads() {
    for (RenderedChart chart :
        List.of(
            RenderedChart.render(template -> template),
            RenderedChart.render(template -> template.withValuesFile(RenderedChart.PRODUCTION)))) {
      assertThat(RenderedChart.envNames(chart.appContainer()))
          .allSatisfy(
              variable ->
                  assertThat(settings.reads(variable) || JVM_VARIABLES.contains(variable))
                      .as("the chart sets %s, which is no setting of the app", variable)
                      .isTrue());
    }
  }

  @Test
  void theChartSetsEverySettingWhoseDefaultOnlySuitsALaptop() {
    List<String> set =
        RenderedChart.envNames(RenderedChart.render(template -> template).appContainer());
    Stream<String> laptopOnly =
        settings.defaults().entrySet().stream()
            .filter(
                setting ->
                    setting.getValue().contains("127.0.0.1")
                        || (!setting.getValue().isBlank()
                            && setting
                                .getKey()
                                .matches(".*(password|username|access-key|secret-key)")))
            .map(setting -> setting.getKey());
    assertThat(Stream.concat(laptopOnly, SHARED_BY_REPLICAS.stream()))
        .isNotEmpty()
        .allSatisfy(
            property ->
                assertThat(AppSettings.variables(property))
                    .as("the app's %s needs a production value from the chart", property)
                    .containsAnyElementsOf(set));
  }

  @Test
  void everyVariableOfTheNodePoolsIsOneTheNodeReads() throws ReflectiveOperationException {
    Class<?> options = Class.forName("dev.tuneforge.trainingnode.agent.NodeOptions");
    Field usage = options.getDeclaredField("USAGE");
    usage.setAccessible(true);
    String documented = (String) usage.get(null);
    List<Container> nodes =
        RenderedChart.render(template -> template.withValuesFile(RenderedChart.PRODUCTION))
            .nodeContainers();
    assertThat(nodes).hasSize(2);
    assertThat(nodes.stream().flatMap(node -> RenderedChart.envNames(node).stream()))
        .allSatisfy(
            variable ->
                assertThat(documented)
                    .as("the chart sets %s, which the training node does not read", variable)
                    .containsPattern("env " + variable + "\\b"));
  }

  @Test
  void wrongValuesFailAtInstallNotAtRuntime() {
    assertThatThrownBy(() -> RenderedChart.render(template -> template.set("app.replicas", "two")))
        .hasMessageContaining("replicas");
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    template -> template.set("postgresql.url", "postgres://db/tuneforge")))
        .hasMessageContaining("url");
    assertThatThrownBy(
            () ->
                RenderedChart.render(
                    template ->
                        template
                            .withValuesFile(RenderedChart.PRODUCTION)
                            .set("nodePools[1].gpus", 0)))
        .as("a CUDA pool without a GPU")
        .hasMessageContaining("gpus");
  }
}
