package dev.tuneforge.launcher.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The chart as {@code helm template} renders it, parsed into Kubernetes' own model: a field the API
 * does not know, or a value of the wrong type, fails here as it would fail at install.
 */
record RenderedChart(List<HasMetadata> manifests) {
  static final Path CHART = Path.of("..", "helm", "tuneforge");
  static final Path PRODUCTION = Path.of("..", "helm", "examples", "production.yaml");

  /**
   * The oldest Kubernetes the chart supports (Chart.yaml kubeVersion), as helm template assumes.
   */
  static final String KUBERNETES_VERSION = "1.27.0";

  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  static RenderedChart render(UnaryOperator<TemplateCommand> values) {
    String yaml =
        values
            .apply(
                new Helm(CHART)
                    .template()
                    .withName("tf")
                    .withNamespace("tuneforge")
                    .withKubeVersion(KUBERNETES_VERSION))
            .call();
    List<HasMetadata> manifests = new ArrayList<>();
    for (String document : yaml.split("(?m)^---\\s*$")) {
      if (document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
        continue;
      }
      HasMetadata manifest = KUBERNETES.unmarshal(document, HasMetadata.class);
      String what = manifest.getKind() + " " + manifest.getMetadata().getName();
      if (manifest instanceof GenericKubernetesResource) {
        throw new AssertionError(what + " is of a kind the Kubernetes API does not have");
      }
      List<String> unknown = new ArrayList<>();
      unknownFields(manifest, manifest.getKind(), unknown);
      if (!unknown.isEmpty()) {
        throw new AssertionError(what + " has fields the Kubernetes API does not know: " + unknown);
      }
      manifests.add(manifest);
    }
    return new RenderedChart(manifests);
  }

  <T extends HasMetadata> List<T> all(Class<T> kind) {
    return manifests.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  Container appContainer() {
    List<Deployment> apps = all(Deployment.class);
    if (apps.size() != 1) {
      throw new AssertionError("expected one app Deployment, got " + apps.size());
    }
    return apps.getFirst().getSpec().getTemplate().getSpec().getContainers().getFirst();
  }

  List<Container> nodeContainers() {
    return all(StatefulSet.class).stream()
        .map(pool -> pool.getSpec().getTemplate().getSpec().getContainers().getFirst())
        .toList();
  }

  static List<String> envNames(Container container) {
    return container.getEnv().stream().map(EnvVar::getName).toList();
  }

  /**
   * Fabric8's model keeps what it cannot map in {@code additionalProperties} instead of failing;
   * any entry there is a misspelt or misplaced field.
   */
  private static void unknownFields(Object value, String path, List<String> unknown) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
      return;
    }
    if (value instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        unknownFields(item, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : value.getClass().getMethods()) {
      String name = getter.getName();
      if (!name.startsWith("get")
          || getter.getParameterCount() != 0
          || Modifier.isStatic(getter.getModifiers())
          || name.equals("getClass")) {
        continue;
      }
      Object field;
      try {
        field = getter.invoke(value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (field == null) {
        continue;
      }
      if (name.equals("getAdditionalProperties")) {
        ((Map<?, ?>) field).keySet().forEach(k -> unknown.add(path + "." + k));
      } else {
        unknownFields(field, path + "." + decapitalize(name.substring(3)), unknown);
      }
    }
  }

  private static String decapitalize(String name) {
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
