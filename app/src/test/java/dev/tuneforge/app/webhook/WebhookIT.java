package dev.tuneforge.app.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.finetune.FineTuneService;
import dev.tuneforge.app.finetune.JobLeasing;
import dev.tuneforge.protocol.JobResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.test.context.ContextConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks on real PostgreSQL, sent over real HTTP to receivers on loopback (allowed here as an
 * administrator would allow a host): a receiver verifies each delivery as docs/usage.md says, a
 * failing one is retried after growing delays (the test moves the app's clock), a private address
 * nobody allowed is refused with its reason, and one tenant never sees another's endpoints or
 * deliveries.
 */
@SpringBootTest(
    properties = {
      "tuneforge.outbound.allow-http=true",
      "tuneforge.outbound.allowed-hosts=127.0.0.1"
    })
@ContextConfiguration(initializers = TestDatabase.class)
class WebhookIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Autowired WebhookService webhooks;
  @Autowired WebhookSender sender;
  @Autowired FineTuneService fineTunes;
  @Autowired JobLeasing leasing;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;

  private final List<HttpServer> receivers = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    receivers.forEach(server -> server.stop(0));
    clock.reset();
  }

  @Test
  void aReceiverVerifiesEachSignedDeliveryAndARotatedSecretReplacesTheOldOne() throws Exception {
    Team a = new Team("hooks-a");
    Receiver receiver = receiver(200);
    WebhookService.Registered registered =
        a.call(
            () ->
                webhooks.register(
                    receiver.url(),
                    EnumSet.of(
                        WebhookEvent.FINE_TUNE_SUCCEEDED, WebhookEvent.FINE_TUNE_CANCELLED)));
    assertThat(registered.secret()).startsWith("whsec_");

    UUID job = a.job("queued");
    succeed(job);

    Received first = receiver.awaitRequests(1).getFirst();
    assertThat(verifies(first, registered.secret()))
        .as("signed with the endpoint's secret")
        .isTrue();
    JsonNode body = JSON.readTree(first.body());
    assertThat(body.get("type").asString()).isEqualTo("fine_tuning.job.succeeded");
    assertThat(body.get("data").get("id").asString()).isEqualTo(job.toString());
    assertThat(body.get("data").get("status").asString()).isEqualTo("succeeded");
    assertThat(first.headers().get("Tuneforge-Event")).isEqualTo("fine_tuning.job.succeeded");
    await()
        .untilAsserted(
            () ->
                assertThat(a.call(() -> webhooks.deliveries()))
                    .singleElement()
                    .satisfies(
                        d -> {
                          assertThat(d.getStatus()).isEqualTo(WebhookDelivery.DELIVERED);
                          assertThat(d.getAttempts()).isEqualTo(1);
                          assertThat(d.getResponseStatus()).isEqualTo(200);
                          assertThat(d.getResponseExcerpt()).isEqualTo("ok");
                        }));

    String rotated = a.call(() -> webhooks.rotateSecret(registered.endpoint().getId()));
    UUID cancelled = a.job("queued");
    a.call(
        () -> {
          fineTunes.cancel(cancelled);
          return null;
        });
    Received second = receiver.awaitRequests(2).get(1);
    assertThat(JSON.readTree(second.body()).get("type").asString())
        .isEqualTo("fine_tuning.job.cancelled");
    assertThat(verifies(second, rotated)).as("signed with the new secret").isTrue();
    assertThat(verifies(second, registered.secret())).as("not with the old one").isFalse();
    assertThat(verifies(withBody(second, second.body().replace("cancelled", "succeeded")), rotated))
        .as("a changed body does not verify")
        .isFalse();
  }

  @Test
  void aFailingReceiverIsRetriedAfterGrowingDelaysUntilItAnswers() throws Exception {
    Team a = new Team("hooks-retry");
    Receiver receiver = receiver(500, 503, 200);
    WebhookService.Registered registered =
        a.call(() -> webhooks.register(receiver.url(), EnumSet.of(WebhookEvent.FINE_TUNE_FAILED)));
    UUID job = a.job("queued");
    fail(job);

    receiver.awaitRequests(1);
    WebhookDelivery afterFirst = a.awaitDelivery(d -> d.getAttempts() == 1);
    assertThat(afterFirst.getStatus()).isEqualTo(WebhookDelivery.PENDING);
    assertThat(afterFirst.getResponseStatus()).isEqualTo(500);
    assertThat(afterFirst.getError()).isEqualTo("the endpoint answered 500");
    assertThat(delay(afterFirst)).isEqualTo(Duration.ofSeconds(30));

    sender.deliverDue();
    assertThat(receiver.requests).as("not sent again before it is due").hasSize(1);

    clock.advance(Duration.ofSeconds(31));
    sender.deliverDue();
    receiver.awaitRequests(2);
    WebhookDelivery afterSecond = a.awaitDelivery(d -> d.getAttempts() == 2);
    assertThat(afterSecond.getResponseStatus()).isEqualTo(503);
    assertThat(delay(afterSecond)).as("twice the first delay").isEqualTo(Duration.ofSeconds(60));

    clock.advance(Duration.ofSeconds(61));
    sender.deliverDue();
    List<Received> all = receiver.awaitRequests(3);
    WebhookDelivery delivered = a.awaitDelivery(d -> d.getAttempts() == 3);
    assertThat(delivered.getStatus()).isEqualTo(WebhookDelivery.DELIVERED);
    assertThat(delivered.getResponseStatus()).isEqualTo(200);
    assertThat(delivered.getNextAttemptAt()).isNull();
    assertThat(all)
        .as("every attempt carries the same event, freshly signed")
        .allSatisfy(
            r -> {
              assertThat(r.body()).isEqualTo(all.getFirst().body());
              assertThat(verifies(r, registered.secret())).isTrue();
            });
    assertThat(all.stream().map(r -> r.headers().get("Tuneforge-Delivery")).distinct()).hasSize(1);
  }

  @Test
  void aPrivateAddressNobodyAllowedIsRefusedWithItsReasonAndOnlyAdminsRegister() {
    Team a = new Team("hooks-private");
    assertThatThrownBy(
            () ->
                a.call(
                    () ->
                        webhooks.register(
                            "http://10.1.2.3/hook", EnumSet.of(WebhookEvent.EVALUATION_READY))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "The URL points inside the platform's own network; an administrator must allow"
                + " 10.1.2.3 first");
    assertThatThrownBy(
            () ->
                a.call(
                    () ->
                        webhooks.register(
                            "http://169.254.169.254/latest",
                            EnumSet.of(WebhookEvent.EVALUATION_READY))))
        .hasMessageContaining("an administrator must allow 169.254.169.254 first");
    assertThat(a.call(() -> webhooks.endpoints())).as("nothing stored").isEmpty();

    SignedInUser member =
        new SignedInUser(
            new TestRows(jdbc).user(a.tenant, "m-" + a.tenant),
            a.tenant,
            "m",
            "m",
            Role.MEMBER,
            "x",
            true);
    assertThatThrownBy(
            () ->
                TestRows.as(
                    member,
                    () ->
                        webhooks.register(
                            "http://127.0.0.1:9/hook", EnumSet.of(WebhookEvent.EVALUATION_READY))))
        .isInstanceOf(AccessDeniedException.class);
  }

  @Test
  void oneTenantNeverSeesAnothersEndpointsOrDeliveries() throws Exception {
    Team a = new Team("hooks-tenant-a");
    Team b = new Team("hooks-tenant-b");
    Receiver receiverA = receiver(200);
    Receiver receiverB = receiver(200);
    UUID endpointA =
        a.call(
                () ->
                    webhooks.register(
                        receiverA.url(), EnumSet.of(WebhookEvent.FINE_TUNE_SUCCEEDED)))
            .endpoint()
            .getId();
    b.call(() -> webhooks.register(receiverB.url(), EnumSet.of(WebhookEvent.FINE_TUNE_SUCCEEDED)));

    succeed(a.job("queued"));
    receiverA.awaitRequests(1);
    a.awaitDelivery(d -> d.getStatus().equals(WebhookDelivery.DELIVERED));

    assertThat(b.call(() -> webhooks.endpoints()))
        .extracting(WebhookEndpoint::getUrl)
        .containsExactly(receiverB.url());
    assertThat(b.call(() -> webhooks.deliveries())).isEmpty();
    assertThat(b.call(() -> webhooks.deliveries(endpointA))).isEmpty();
    assertThat(b.call(() -> webhooks.find(endpointA))).isEmpty();
    assertThatThrownBy(() -> b.call(() -> webhooks.rotateSecret(endpointA)))
        .hasMessage("No such webhook endpoint");
    assertThatThrownBy(
            () ->
                b.call(
                    () -> {
                      webhooks.remove(endpointA);
                      return null;
                    }))
        .hasMessage("No such webhook endpoint");
    assertThat(receiverB.requests).as("B's endpoint hears nothing of A's job").isEmpty();
    assertThat(a.call(() -> webhooks.endpoints())).hasSize(1);
  }

  /** The procedure of docs/usage.md: HMAC-SHA256 of "t.body" with the secret, compared as hex. */
  private static boolean verifies(Received request, String secret) throws Exception {
    String header = request.headers().get("Tuneforge-Signature");
    Map<String, String> parts = new java.util.HashMap<>();
    for (String part : header.split(",")) {
      int eq = part.indexOf('=');
      parts.put(part.substring(0, eq), part.substring(eq + 1));
    }
    long timestamp = Long.parseLong(parts.get("t"));
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    byte[] expected =
        mac.doFinal((timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8));
    boolean fresh = Math.abs(Instant.now().getEpochSecond() - timestamp) <= 300;
    return fresh
        && MessageDigest.isEqual(
            HexFormat.of().formatHex(expected).getBytes(StandardCharsets.US_ASCII),
            parts.get("v1").getBytes(StandardCharsets.US_ASCII));
  }

  private static Received withBody(Received request, String body) {
    return new Received(request.headers(), body);
  }

  private static Duration delay(WebhookDelivery delivery) {
    return Duration.between(delivery.getLastAttemptAt(), delivery.getNextAttemptAt());
  }

  private void succeed(UUID job) {
    UUID node = start(job);
    assertThat(leasing.complete(node, job, JobResult.succeeded(10, 640))).isTrue();
  }

  private void fail(UUID job) {
    UUID node = start(job);
    assertThat(leasing.complete(node, job, JobResult.failed("out of memory", 3, 192))).isTrue();
  }

  private UUID start(UUID job) {
    UUID node = new TestRows(jdbc).node("cpu", "cpu");
    assertThat(leasing.assign(job, node, "n", clock.instant().plusSeconds(600))).isTrue();
    assertThat(leasing.start(node, clock.instant().plusSeconds(600))).isPresent();
    return node;
  }

  private Receiver receiver(int... statuses) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    Receiver receiver = new Receiver(server, statuses);
    server.createContext("/hook", receiver::handle);
    server.start();
    receivers.add(server);
    return receiver;
  }

  private record Received(Map<String, String> headers, String body) {}

  /** Answers with the given statuses in turn (the last one from then on), recording requests. */
  private static final class Receiver {
    final List<Received> requests = new CopyOnWriteArrayList<>();
    private final HttpServer server;
    private final Deque<Integer> statuses = new ArrayDeque<>();

    Receiver(HttpServer server, int... statuses) {
      this.server = server;
      for (int status : statuses) {
        this.statuses.add(status);
      }
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    synchronized void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.getFirst()));
      requests.add(
          new Received(
              headers,
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      int status = statuses.size() > 1 ? statuses.poll() : statuses.getFirst();
      byte[] answer = (status == 200 ? "ok" : "busy").getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    }

    List<Received> awaitRequests(int count) {
      await().atMost(Duration.ofSeconds(30)).until(() -> requests.size() >= count);
      return List.copyOf(requests);
    }
  }

  /** A tenant with its admin, who does everything here. */
  private final class Team {
    final UUID tenant;
    final SignedInUser admin;

    Team(String name) {
      TestRows rows = new TestRows(jdbc);
      tenant = rows.tenant(name);
      UUID user = rows.user(tenant, name + "-admin-" + tenant);
      jdbc.sql("update app_user set role = 'TENANT_ADMIN' where id = ?").param(user).update();
      admin = new SignedInUser(user, tenant, name, name, Role.TENANT_ADMIN, "x", true);
    }

    <T> T call(java.util.function.Supplier<T> work) {
      return TestRows.as(admin, work);
    }

    UUID job(String status) {
      TestRows rows = new TestRows(jdbc);
      UUID model = rows.model("m-" + UUID.randomUUID());
      UUID version = rows.datasetVersion(tenant, admin.userId(), 10, 1000);
      return rows.job(tenant, admin.userId(), model, version, "job", status);
    }

    WebhookDelivery awaitDelivery(java.util.function.Predicate<WebhookDelivery> condition) {
      return await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> call(() -> webhooks.deliveries()).stream().filter(condition).findFirst(),
              java.util.Optional::isPresent)
          .orElseThrow();
    }
  }
}
