package dev.tuneforge.app.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.protocol.JobResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * What an operator's Prometheus and Kubernetes see: the queue per tenant, finished jobs, probes
 * that answer anyone, and metrics and health details that answer only the scrape credential.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"tuneforge.metrics.password=scrape-secret", "tuneforge.metrics.refresh=200ms"})
@ContextConfiguration(initializers = TestDatabase.class)
class ObservabilityIT {
  private static final Path DASHBOARD =
      Path.of("..", "helm", "tuneforge", "dashboards", "tuneforge.json");
  private static final String SCRAPER = basic("prometheus", "scrape-secret");

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  @Autowired JobLeasing leasing;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void prometheusSeesEachTenantsQueueAndFinishedJobs() {
    TestRows rows = new TestRows(jdbc);
    UUID a = rows.tenant("queue-a");
    UUID b = rows.tenant("queue-b");
    UUID userA = rows.user(a, "a-" + a);
    UUID userB = rows.user(b, "b-" + b);
    UUID model = rows.model("m-" + a);
    UUID versionA = rows.datasetVersion(a, userA, 10, 1000);
    UUID versionB = rows.datasetVersion(b, userB, 10, 1000);
    rows.job(a, userA, model, versionA, "first", "queued");
    rows.job(a, userA, model, versionA, "second", "queued");
    UUID ofB = rows.job(b, userB, model, versionB, "only", "queued");
    rows.job(b, userB, model, versionB, "done", "succeeded");

    scrapedSoon(queued(a, 2), queued(b, 1));

    UUID node = rows.node("cpu", "cpu");
    assertThat(leasing.assign(ofB, node, "n", Instant.now().plusSeconds(60))).isTrue();
    assertThat(leasing.start(node, Instant.now().plusSeconds(60))).isPresent();
    assertThat(leasing.complete(node, ofB, JobResult.failed("out of memory", 3, 192))).isTrue();

    scrapedSoon(
        queued(a, 2),
        queued(b, 0),
        "tuneforge_finetune_duration_seconds_count{application=\"tuneforge\",status=\"failed\"} 1",
        "tuneforge_nodes{application=\"tuneforge\",state=\"idle\"}",
        "tuneforge_dispatch_latency_seconds_count");
  }

  /** The gauges are read from the database every 200 ms here: a few scrapes may pass first. */
  private void scrapedSoon(String... lines) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(get("/actuator/prometheus", SCRAPER).body()).contains(lines));
  }

  @Test
  void theGrafanaDashboardAsksOnlyForSeriesTheAppExposes() throws Exception {
    String dashboard = Files.readString(DASHBOARD);
    String scraped = get("/actuator/prometheus", SCRAPER).body();
    Matcher series = Pattern.compile("([a-z_]+)\\{").matcher(dashboard);
    int asked = 0;
    while (series.find()) {
      asked++;
      assertThat(scraped)
          .as("the dashboard's %s is among the scraped series", series.group(1))
          .contains("\n" + series.group(1) + "{");
    }
    assertThat(asked).isGreaterThanOrEqualTo(8);
  }

  @Test
  void probesAnswerAnyoneButMetricsAndDetailsOnlyTheScraper() {
    assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
    var readiness = get("/actuator/health/readiness", null);
    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains("\"UP\"").doesNotContain("components");

    assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    assertThat(get("/actuator/prometheus", basic("prometheus", "guess")).statusCode())
        .isEqualTo(401);
    assertThat(get("/actuator/prometheus", basic("admin", "admin-password-for-tests")).statusCode())
        .as("an app account, even the platform admin, is no scrape credential")
        .isEqualTo(401);
    assertThat(get("/actuator/health", null).body()).doesNotContain("components");
    assertThat(get("/actuator/health", SCRAPER).body()).contains("\"db\"");
  }

  private String queued(UUID tenant, int count) {
    String name =
        jdbc.sql("select name from tenant where id = ?").param(tenant).query(String.class).single();
    return "tuneforge_finetunes_queued{application=\"tuneforge\",tenant=\"" + name + "\"} " + count;
  }

  private HttpResponse<String> get(String path, String authorization) {
    var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }
}
