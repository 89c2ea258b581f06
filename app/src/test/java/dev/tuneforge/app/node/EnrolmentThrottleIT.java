package dev.tuneforge.app.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.TestClock;
import dev.tuneforge.app.TestDatabase;
import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.protocol.NodeApi;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * Guessing enrolment tokens over real HTTP, each client from its own loopback address: after five
 * unknown tokens the next enrolment from that client answers 429 with Retry-After, even with a real
 * token; after ten it is locked for 15 minutes; other clients enrol; every guess and refusal is in
 * the audit log with the client's address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {TestDatabase.class, TestObjectStorage.class})
class EnrolmentThrottleIT {
  private static final String RESOURCES =
      "{\"device\":\"cpu\",\"deviceName\":\"test\",\"memoryBytes\":1024,\"cpuCores\":2}";

  @LocalServerPort int port;
  @Autowired NodeService nodes;
  @Autowired JdbcClient jdbc;
  @Autowired TestClock clock;

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void guessedTokensDelayThenLockTheClientButNoOtherClient() throws Exception {
    String attacker = "127.0.0.31";
    for (int guess = 1; guess <= 9; guess++) {
      assertThat(enrol(attacker, "tfe_guess" + guess).statusCode())
          .as("guess %d", guess)
          .isEqualTo(403);
      if (guess >= 5 && guess < 9) {
        // Past the growing delay each failure from the fifth on sets.
        clock.advance(Duration.ofMinutes(1));
      }
    }
    HttpResponse<String> delayed = enrol(attacker, nodes.issueEnrolmentTokenForLocalNode());
    assertThat(delayed.statusCode()).as("refused unchecked, real token or not").isEqualTo(429);
    assertThat(Integer.parseInt(delayed.headers().firstValue("Retry-After").orElseThrow()))
        .as("16 s after the ninth failure")
        .isBetween(2, 16);
    assertThat(delayed.body()).contains("Too many failed attempts; try again in");

    clock.advance(Duration.ofMinutes(1));
    assertThat(enrol(attacker, "tfe_guess10").statusCode()).isEqualTo(403);
    HttpResponse<String> locked = enrol(attacker, nodes.issueEnrolmentTokenForLocalNode());
    assertThat(locked.statusCode()).isEqualTo(429);
    assertThat(Integer.parseInt(locked.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(880, 900);
    assertThat(locked.body()).contains("try again in 15 minutes");

    assertThat(enrol("127.0.0.32", nodes.issueEnrolmentTokenForLocalNode()).statusCode())
        .as("another client enrols")
        .isEqualTo(200);
    clock.advance(Duration.ofMinutes(16));
    assertThat(enrol(attacker, nodes.issueEnrolmentTokenForLocalNode()).statusCode())
        .as("after the lock")
        .isEqualTo(200);

    assertThat(
            jdbc.sql(
                    "select detail from audit_record where action = 'NODE_ENROLMENT_FAILED'"
                        + " and client_address = ? order by id")
                .param(attacker)
                .query(String.class)
                .list())
        .as("ten guesses and two refusals, audited")
        .hasSize(12)
        .contains("unknown enrolment token")
        .anySatisfy(detail -> assertThat(detail).startsWith("locked for "))
        .anySatisfy(detail -> assertThat(detail).startsWith("delayed for "));
  }

  private HttpResponse<String> enrol(String from, String token) throws Exception {
    HttpClient http = HttpClient.newBuilder().localAddress(InetAddress.getByName(from)).build();
    String body =
        "{\"token\":\""
            + token
            + "\",\"name\":\"throttled-"
            + UUID.randomUUID()
            + "\",\"resources\":"
            + RESOURCES
            + "}";
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + NodeApi.ENROL))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
