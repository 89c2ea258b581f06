package dev.tuneforge.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import com.openai.models.finetuning.jobs.FineTuningJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The container images as an operator runs them: built by docker/build.sh (or reused while the jars
 * are unchanged), then run with podman, read-only, as user 10001, on the host's loopback: the app
 * image against a real PostgreSQL and S3 serves its sign-in page and readiness, and the CPU node
 * image enrols with a token issued on the app's nodes page and trains a job dispatched by it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ContainerImagesIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String ACCESS_KEY = "tuneforge";
  private static final String SECRET_KEY = "tuneforge-secret-" + PlatformTestSupport.suffix();

  @RegisterExtension
  static final PlatformTestSupport.Failures FAILURES = new PlatformTestSupport.Failures();

  private final List<String> containers = new ArrayList<>();
  private final List<String> volumes = new ArrayList<>();
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final String suffix = PlatformTestSupport.suffix();
  private Podman podman;
  private Path dataDir;

  @BeforeAll
  void buildImages() throws IOException {
    podman = Podman.availableOrSkip();
    dataDir = Files.createTempDirectory("tuneforge-images-");
    long started = System.nanoTime();
    Podman.Result build =
        podman.exec(
            List.of("docker/build.sh", "--skip-maven"),
            Duration.ofMinutes(15),
            Map.of(),
            dataDir.resolve("build.log"));
    assertThat(build.exitCode()).as("docker/build.sh --skip-maven:\n%s", build.output()).isZero();
    System.out.printf(
        "docker/build.sh --skip-maven took %d s:%n%s%n",
        Duration.ofNanos(System.nanoTime() - started).toSeconds(),
        build.output().lines().filter(l -> l.contains(" MB ")).toList());
  }

  @Test
  void theImagesAreSmallLabelledAndCarryTheirSbom() throws IOException {
    Map<String, Long> limits =
        Map.of("tuneforge-base", 150L, "tuneforge-app", 320L, "tuneforge-node", 450L);
    for (Map.Entry<String, Long> limit : limits.entrySet()) {
      String image = "localhost/" + limit.getKey() + ":latest";
      long megabytes =
          Long.parseLong(podman.ok("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000;
      System.out.printf("%-28s %5d MB%n", image, megabytes);
      assertThat(megabytes)
          .as("%s in MB", image)
          .isPositive()
          .isLessThanOrEqualTo(limit.getValue());
      assertThat(podman.ok("image", "inspect", "--format", "{{.Config.User}}", image))
          .isEqualTo("10001:10001");
      JsonNode labels =
          JSON.readTree(podman.ok("image", "inspect", "--format", "{{json .Labels}}", image));
      for (String label : List.of("version", "revision", "source", "created")) {
        assertThat(labels.path("org.opencontainers.image." + label).asString())
            .as(label)
            .isNotBlank();
      }
    }
    assertThat(sbom("localhost/tuneforge-app:latest"))
        .extracting(Component::id)
        .contains(
            "org.springframework.boot:spring-boot",
            "com.vaadin:flow-server",
            "org.quartz-scheduler:quartz");
    List<Component> node = sbom("localhost/tuneforge-node:latest");
    assertThat(node)
        .extracting(Component::id)
        .contains("ai.djl:api", "ai.djl.pytorch:pytorch-engine");
    // Every jar the image's lib/ was made from is a component: name-version[-classifier].jar.
    try (Stream<Path> jars = Files.list(Podman.REPOSITORY.resolve("training-node/target/lib"))) {
      assertThat(jars.map(jar -> jar.getFileName().toString()).toList())
          .isNotEmpty()
          .allSatisfy(
              jar ->
                  assertThat(node)
                      .as("the node's SBOM names %s", jar)
                      .anySatisfy(c -> assertThat(jar).startsWith(c.name() + "-" + c.version())));
    }
  }

  /** A component of a CycloneDX SBOM. */
  private record Component(String group, String name, String version) {
    String id() {
      return group + ":" + name;
    }
  }

  /**
   * The components in the image's /opt/tuneforge/sbom.cdx.json, read by copying it out of a created
   * (never started) container: the images have no shell to cat it with.
   */
  private List<Component> sbom(String image) throws IOException {
    String container = "tf-sbom-" + suffix + "-" + containers.size();
    containers.add(container);
    podman.ok("create", "--name", container, image);
    Path copy = dataDir.resolve(container + ".cdx.json");
    podman.ok("cp", container + ":/opt/tuneforge/sbom.cdx.json", copy.toString());
    JsonNode bom = JSON.readTree(copy.toFile());
    assertThat(bom.path("bomFormat").asString()).isEqualTo("CycloneDX");
    assertThat(bom.path("specVersion").asString()).isNotBlank();
    return bom.path("components")
        .valueStream()
        .map(
            c ->
                new Component(
                    c.path("group").asString(),
                    c.path("name").asString(),
                    c.path("version").asString()))
        .toList();
  }

  @Test
  void theAppImageServesAndTheNodeImageTrainsAJobItDispatched() throws Exception {
    EmbeddedDatabase database =
        EmbeddedDatabase.start(
            dataDir.resolve("postgres"),
            Ports.resolve(0),
            dataDir.resolve("logs/postgres.log"),
            "-");
    parts.add(database);
    S3ProxyServer s3 =
        S3ProxyServer.start(
            Artifacts.s3proxyJar(), dataDir, Ports.resolve(0), ACCESS_KEY, SECRET_KEY, "-");
    parts.add(s3);
    int port = Ports.resolve(0);
    String baseUrl = "http://127.0.0.1:" + port;
    String adminPassword = "admin-" + PlatformTestSupport.suffix();
    String adminKey = "tf_" + (suffix + suffix + suffix + suffix + suffix).replace("-", "");

    Map<String, String> appEnvironment =
        Map.of(
            "SERVER_PORT",
            Integer.toString(port),
            "SPRING_DATASOURCE_URL",
            database.jdbcUrl(),
            "SPRING_DATASOURCE_USERNAME",
            EmbeddedDatabase.USER,
            "SPRING_DATASOURCE_PASSWORD",
            EmbeddedDatabase.PASSWORD,
            "TUNEFORGE_STORAGE_ENDPOINT",
            s3.endpoint(),
            "TUNEFORGE_STORAGE_ACCESS_KEY",
            ACCESS_KEY,
            "TUNEFORGE_STORAGE_SECRET_KEY",
            SECRET_KEY,
            "TUNEFORGE_SECRETS_KEY",
            "secrets-key-" + suffix + suffix + suffix + suffix,
            "TUNEFORGE_BOOTSTRAP_ADMIN_PASSWORD",
            adminPassword,
            "TUNEFORGE_BOOTSTRAP_ADMIN_API_KEY",
            adminKey);
    String app = "tf-app-" + suffix;
    long started = System.nanoTime();
    containers.add(app);
    List<String> appRun = hardened(app, appEnvironment);
    appRun.add("localhost/tuneforge-app:latest");
    podman.ok(appEnvironment, appRun.toArray(String[]::new));
    awaitReady(app, baseUrl + "/actuator/health/readiness");
    long appReady = System.nanoTime();

    AppFromOutside outside =
        new AppFromOutside(baseUrl, adminKey, s3.endpoint(), ACCESS_KEY, SECRET_KEY);
    String token = outside.enrolmentTokenFromTheNodesPage(adminPassword);
    outside.registerDemoModel();
    String memberKey = outside.memberKey("images-" + suffix);

    String node = "tf-node-" + suffix;
    String volume = node + "-state";
    volumes.add(podman.ok("volume", "create", volume));
    Map<String, String> nodeEnvironment =
        Map.of(
            "TUNEFORGE_SERVER", baseUrl,
            "TUNEFORGE_ENROL_TOKEN", token,
            "TUNEFORGE_NODE_NAME", "image-cpu-" + suffix);
    List<String> nodeRun = hardened(node, nodeEnvironment);
    nodeRun.addAll(
        List.of("-v", volume + ":/var/lib/tuneforge-node", "localhost/tuneforge-node:latest"));
    containers.add(node);
    long nodeStarted = System.nanoTime();
    podman.ok(nodeEnvironment, nodeRun.toArray(String[]::new));

    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl + "/v1")
            .apiKey(memberKey)
            .maxRetries(0)
            .build();
    Path rows = dataDir.resolve("receipts.jsonl");
    try (Stream<String> lines = Files.lines(PlatformTestSupport.sroieTrainingFile())) {
      Files.write(rows, lines.limit(12).toList());
    }
    String file =
        client
            .files()
            .create(FileCreateParams.builder().file(rows).purpose(FilePurpose.FINE_TUNE).build())
            .id();
    // Three steps of the demo model: Tuneforge's extensions beside OpenAI's hyperparameters.
    String jobId =
        JSON.readTree(
                outside.send(
                    memberKey,
                    "/v1/fine_tuning/jobs",
                    """
                    {"model": "%s", "training_file": "%s", "method": {"type": "supervised",
                      "supervised": {"hyperparameters": {"n_epochs": 1, "batch_size": 2,
                        "max_steps": 3, "max_sequence_length": 1024, "evaluation_examples": 0}}}}
                    """
                        .formatted(DemoModel.NAME, file)))
            .path("id")
            .asString();
    FineTuningJob job = client.fineTuning().jobs().retrieve(jobId);
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (!List.of("succeeded", "failed", "cancelled").contains(job.status().asString())) {
      if (System.nanoTime() > deadline || !podman.running(node)) {
        fail(
            "The job is "
                + job.status()
                + "; the node's log ends with:\n"
                + podman.logTail(node, 60));
      }
      Ports.sleep(Duration.ofSeconds(1));
      job = client.fineTuning().jobs().retrieve(jobId);
    }
    long trained = System.nanoTime();
    assertThat(job.status()).as(podman.logTail(node, 60)).isEqualTo(FineTuningJob.Status.SUCCEEDED);
    assertThat(outside.adapterKeys())
        .as("the adapter in the bucket")
        .anySatisfy(key -> assertThat(key).endsWith("/adapter/adapter_model.safetensors"))
        .anySatisfy(key -> assertThat(key).endsWith("/adapter/adapter_config.json"));
    assertThat(
            podman.ok(
                "inspect",
                "--format",
                "{{.HostConfig.ReadonlyRootfs}} {{.Config.User}}",
                app,
                node))
        .isEqualTo("true 10001:10001\ntrue 10001:10001");
    System.out.printf(
        "App image ready in %d s; node image enrolled and trained the job in %d s%n",
        Duration.ofNanos(appReady - started).toSeconds(),
        Duration.ofNanos(trained - nodeStarted).toSeconds());
  }

  /**
   * {@code podman run} of an image the way docker/compose.yaml runs it: detached, host network
   * (loopback), read-only root with a /tmp tmpfs, user 10001, no capabilities; the variables reach
   * the container by name only, so no secret shows on a command line.
   */
  private static List<String> hardened(String name, Map<String, String> environment) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "-d",
                "--name",
                name,
                "--network=host",
                "--read-only",
                "--tmpfs",
                "/tmp",
                "--user",
                "10001:10001",
                "--cap-drop=ALL",
                "--security-opt",
                "no-new-privileges"));
    environment.keySet().forEach(variable -> args.addAll(List.of("-e", variable)));
    return args;
  }

  private void awaitReady(String container, String url) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      if (!podman.running(container)) {
        fail(container + " stopped; its log ends with:\n" + podman.logTail(container, 80));
      }
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          assertThat(response.body()).contains("\"UP\"");
          return;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(1000);
    }
    fail(url + " did not answer in 5 min; the log ends with:\n" + podman.logTail(container, 80));
  }

  @AfterAll
  void cleanUp() throws IOException {
    if (podman != null) {
      if (FAILURES.any()) {
        containers.forEach(c -> System.out.println(c + ":\n" + podman.logTail(c, 40)));
      }
      podman.removeQuietly(containers, volumes);
    }
    for (AutoCloseable part : parts.reversed()) {
      try {
        part.close();
      } catch (Exception e) {
        System.err.println("While stopping " + part + ": " + e);
      }
    }
    PlatformTestSupport.closeAndClean(null, dataDir, !FAILURES.any());
  }
}
