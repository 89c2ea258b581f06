package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official {@code openai} npm package (fetched by {@code bin/fetch-openai-node}), given only
 * {@code OPENAI_BASE_URL} and {@code OPENAI_API_KEY}, drives the same flow as the Java client in a
 * small Node script: upload the SROIE file, fine-tune and follow the events page by page, list
 * checkpoints, cancel, pause and resume, list models, and read a bad hyperparameter's error.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class OpenAiNodeClientIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private OpenAiPlatform platform;

  @AfterEach
  void stop() {
    if (platform != null) {
      platform.close();
    }
  }

  @Test
  void theNodeClientFineTunesThroughTheOpenAiCompatibleApi() throws Exception {
    Path cache =
        Path.of(
            System.getenv()
                .getOrDefault(
                    "TUNEFORGE_OPENAI_NODE",
                    System.getProperty("user.home") + "/.cache/tuneforge/openai-node"));
    Path node = cache.resolve("node/bin/node");
    boolean fetched =
        Files.isExecutable(node)
            && Files.isRegularFile(cache.resolve("node_modules/openai/package.json"));
    if (!fetched) {
      assertThat("true".equalsIgnoreCase(System.getenv("CI")))
          .as("the OpenAI Node client is fetched by bin/fetch-openai-node")
          .isFalse();
      Assumptions.abort("The OpenAI Node client is not fetched: run bin/fetch-openai-node");
    }
    platform = OpenAiPlatform.start("openai-node");
    OpenAiPlatform.Member member =
        platform.tenantWithMember("initech-" + PlatformTestSupport.suffix());

    Path script = cache.resolve("fine-tune-" + PlatformTestSupport.suffix() + ".mjs");
    try (InputStream in = getClass().getResourceAsStream("/openai-node/fine-tune.mjs")) {
      Files.copy(in, script);
    }
    JsonNode seen;
    try {
      seen = run(node, script, member.key());
    } finally {
      Files.deleteIfExists(script);
    }

    assertThat(seen.path("file").path("id").asString()).startsWith("file-");
    assertThat(seen.path("file").path("status").asString()).isEqualTo("processed");
    JsonNode job = seen.path("job");
    assertThat(job.path("status").asString()).isEqualTo("succeeded");
    String tuned = job.path("fine_tuned_model").asString();
    assertThat(tuned).startsWith("ft:" + DemoModel.NAME + ":" + member.tenant() + ":node:");
    assertThat(job.path("metadata").path("client").asString()).isEqualTo("openai-node");
    List<String> messages =
        seen.path("events").valueStream().map(e -> e.path("message").asString()).toList();
    assertThat(messages).as("all pages, newest first").hasSizeGreaterThan(5);
    assertThat(messages.getFirst()).startsWith("Succeeded after");
    assertThat(seen.path("events").valueStream().map(e -> e.path("type").asString()))
        .contains("metrics", "message");
    assertThat(seen.path("checkpoints").valueStream().map(c -> c.path("step").asInt())).contains(3);
    assertThat(seen.path("cancelled").asString()).isEqualTo("cancelled");
    assertThat(seen.path("paused").asString()).isEqualTo("paused");
    assertThat(seen.path("resumed").asString()).isEqualTo("succeeded");
    assertThat(seen.path("models").valueStream().map(JsonNode::asString))
        .contains(DemoModel.NAME, tuned);
    assertThat(seen.path("badHyperparameter").path("status").asInt()).isEqualTo(400);
    assertThat(seen.path("badHyperparameter").path("param").asString())
        .isEqualTo("hyperparameters.n_epochs");
  }

  private JsonNode run(Path node, Path script, String key)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(node.toString(), script.toString())
            .directory(script.getParent().toFile())
            .redirectErrorStream(true);
    builder.environment().put("OPENAI_BASE_URL", platform.v1());
    builder.environment().put("OPENAI_API_KEY", key);
    builder.environment().put("TRAINING_FILE", PlatformTestSupport.sroieTrainingFile().toString());
    builder.environment().put("MODEL", DemoModel.NAME);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(15, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue())
        .as(
            output
                + "\nNode log:\n"
                + PlatformTestSupport.tail(platform.dataDir.resolve("logs/node.log"), 40))
        .isZero();
    String last = output.strip().lines().reduce((first, second) -> second).orElse("{}");
    return JSON.readTree(last);
  }
}
