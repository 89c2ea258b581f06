package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestNodeApi;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.NodeApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every presigned URL of a lease, download and upload, is valid for the lease's duration plus
 * {@code tuneforge.nodes.url-slack}, as its signature says; fresh input URLs go only to the node
 * that holds the job's lease now.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class LeaseUrlsIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern SIGNED_AT = Pattern.compile("[?&]X-Amz-Date=(\\d{8}T\\d{6}Z)");
  private static final Pattern VALID_FOR = Pattern.compile("[?&]X-Amz-Expires=(\\d+)");

  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JobLeasing leasing;
  @Autowired LeaseFactory leases;
  @Autowired NodeProperties properties;
  @Autowired ObjectStorage storage;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;
  @Autowired Scheduler scheduler;
  @TempDir Path dir;
  private LeaseFixture fixture;

  @BeforeEach
  void dispatchAlone() throws Exception {
    fixture = new LeaseFixture(port, nodes, leasing, properties, storage, jdbc, clock, scheduler);
    fixture.begin();
  }

  @AfterEach
  void dispatchAgain() throws Exception {
    fixture.end();
  }

  @Test
  void everyUrlOfALeaseExpiresWithTheLeasePlusTheSlack() throws Exception {
    UUID node = fixture.enrol("urls").id();
    UUID job = fixture.queuedJob("lease-urls").id();
    assertThat(properties.urlSlack()).as("the default slack").isEqualTo(Duration.ofMinutes(2));

    Instant until = fixture.leaseUntil();
    Lease lease = leases.build(fixture.take(job, node), until);

    List<String> urls = new ArrayList<>(lease.inputs().values());
    urls.addAll(lease.outputs().values());
    urls.addAll(
        leases
            .checkpointUploads(
                leasing.runningOn(node, job).orElseThrow(), 3, List.of("adapter_model.safetensors"))
            .values());
    assertThat(lease.inputs()).containsKey(JobFolder.TRAINING_DATA);
    assertThat(lease.outputs()).containsKey(JobFolder.ADAPTER + "adapter_model.safetensors");
    for (String url : urls) {
      assertThat(url).contains("X-Amz-Expires=" + properties.urlValidity().toSeconds() + "&");
      assertThat(expiry(url))
          .as("%s runs out with the lease plus the slack", url)
          .isCloseTo(until.plus(properties.urlSlack()), within(5, ChronoUnit.SECONDS));
    }
  }

  @Test
  void theHolderGetsFreshInputUrlsAndNoOtherNodeDoes() throws Exception {
    TestNodeApi api = fixture.api();
    LeaseFixture.Node holderNode = fixture.enrol("holder");
    String holder = holderNode.bearer();
    String other = fixture.enrol("other").bearer();
    UUID job = fixture.queuedJob("fresh-inputs").id();
    String datasetKey = fixture.datasetObject(job, "{\"text\":\"fresh\"}\n", dir);
    Lease lease = leases.build(fixture.take(job, holderNode.id()), fixture.leaseUntil());

    HttpResponse<String> fresh = api.post(NodeApi.forJob(NodeApi.INPUTS, job), holder, "");
    assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
    JsonNode freshUrls = JSON.readTree(fresh.body()).path("urls");
    assertThat(freshUrls.propertyNames())
        .as("keyed as the lease's inputs")
        .containsExactlyElementsOf(lease.inputs().keySet());
    String dataUrl = freshUrls.path(JobFolder.TRAINING_DATA).asString();
    assertThat(dataUrl).contains(datasetKey);
    assertThat(expiry(dataUrl))
        .isCloseTo(Instant.now().plus(properties.urlValidity()), within(5, ChronoUnit.SECONDS));
    assertThat(get(dataUrl)).isEqualTo("{\"text\":\"fresh\"}\n");

    HttpResponse<String> notHolder = api.post(NodeApi.forJob(NodeApi.INPUTS, job), other, "");
    assertThat(notHolder.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(notHolder.body()).path("error").asString())
        .contains("holds no lease of job " + job);
    assertThat(notHolder.body()).doesNotContain("X-Amz");

    UUID unknown = UUID.randomUUID();
    HttpResponse<String> unknownJob = api.post(NodeApi.forJob(NodeApi.INPUTS, unknown), holder, "");
    assertThat(unknownJob.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(unknownJob.body()).path("error").asString())
        .contains("holds no lease of job " + unknown);

    assertThat(api.post(NodeApi.forJob(NodeApi.INPUTS, job), null, "").statusCode())
        .as("no credential")
        .isEqualTo(401);
  }

  /** When a URL signed with SigV4 runs out: its signing time plus its validity. */
  static Instant expiry(String url) {
    Matcher signed = SIGNED_AT.matcher(url);
    Matcher valid = VALID_FOR.matcher(url);
    assertThat(signed.find()).as("X-Amz-Date in %s", url).isTrue();
    assertThat(valid.find()).as("X-Amz-Expires in %s", url).isTrue();
    return LocalDateTime.parse(signed.group(1), DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
        .toInstant(ZoneOffset.UTC)
        .plusSeconds(Long.parseLong(valid.group(1)));
  }

  static String get(String url) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200
        ? response.body()
        : "HTTP " + response.statusCode() + errorCode(response.body());
  }

  /** The S3 error code in an error answer's body (" NoSuchKey"), to tell failures apart. */
  private static String errorCode(String body) {
    int start = body.indexOf("<Code>");
    int end = body.indexOf("</Code>");
    return start < 0 || end < start ? "" : " " + body.substring(start + 6, end);
  }
}
