package dev.tuneforge.app.account;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Keycloak in app tests: a small OpenID Connect provider on a loopback port that
 * serves discovery, its signing key (JWKS), an authorize endpoint that signs in whoever the test
 * names next without a login page, a token endpoint that checks the client secret and the PKCE
 * verifier, and userinfo. The test holds the key, so it decides what the ID token says and who
 * signed it ({@link Forgery}), and it mints back-channel logout tokens. The real Keycloak runs in
 * the launcher's {@code KeycloakSsoIT}.
 */
final class StandInOidcProvider implements AutoCloseable {
  static final String CLIENT_ID = "tuneforge";
  static final String CLIENT_SECRET = "stand-in-client-secret";
  static final String GROUP_CLAIM = "groups";
  static final String ROLE_CLAIM = "tuneforge_roles";

  /** Someone the provider knows: their subject, user name, group and role there. */
  record Person(String subject, String username, String group, String role) {
    static Person member(String username, String group) {
      return new Person(UUID.randomUUID().toString(), username, group, "member");
    }
  }

  /** What is wrong with the ID token the next sign-in gets. */
  enum Forgery {
    NONE,
    /** Signed by a key the provider's JWKS does not hold. */
    OTHER_KEY,
    /** Names another issuer. */
    WRONG_ISSUER,
    /** Made for another client. */
    WRONG_AUDIENCE,
    /** Ran out ten minutes ago. */
    EXPIRED,
    /** Carries a nonce the app did not send (a token replayed from another sign-in). */
    WRONG_NONCE
  }

  private record Pending(Person person, Forgery forgery, String nonce, String challenge) {}

  private final HttpServer server;
  private final String issuer;
  private final RSAKey key = newKey();
  private final RSAKey otherKey = newKey();
  private final JsonMapper json = JsonMapper.builder().build();
  private final Map<String, Pending> codes = new ConcurrentHashMap<>();
  private final Map<String, Person> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, String> sessionIds = new ConcurrentHashMap<>();
  private final Map<String, List<String>> issuedTokens = new ConcurrentHashMap<>();
  private volatile Person next = Person.member("nobody", "none");
  private volatile Forgery nextForgery = Forgery.NONE;

  StandInOidcProvider() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/stand-in";
    String base = URI.create(issuer).getPath();
    server.createContext(base + "/.well-known/openid-configuration", this::discovery);
    server.createContext(base + "/jwks", exchange -> send(exchange, 200, jwks()));
    server.createContext(base + "/authorize", this::authorize);
    server.createContext(base + "/token", this::token);
    server.createContext(base + "/userinfo", this::userInfo);
    server.start();
  }

  String issuer() {
    return issuer;
  }

  /** The app's settings that point it at this provider. */
  Map<String, String> appProperties() {
    return Map.of(
        "tuneforge.identity.oidc.enabled", "true",
        "tuneforge.identity.oidc.provider-name", "Stand-in",
        "tuneforge.identity.oidc.issuer-uri", issuer,
        "tuneforge.identity.oidc.client-id", CLIENT_ID,
        "tuneforge.identity.oidc.client-secret", CLIENT_SECRET);
  }

  /** The next authorization request signs in {@code person}, with an ID token forged so. */
  void nextSignIn(Person person, Forgery forgery) {
    next = person;
    nextForgery = forgery;
  }

  /** The provider's session id ({@code sid}) of the person's latest sign-in. */
  String sessionId(Person person) {
    String sid = sessionIds.get(person.subject());
    if (sid == null) {
      throw new IllegalStateException(person.username() + " has not signed in");
    }
    return sid;
  }

  /** The ID token and the access token of the person's latest sign-in. */
  List<String> tokens(Person person) {
    return issuedTokens.getOrDefault(person.subject(), List.of());
  }

  /** A back-channel logout token for the person's latest session, signed by the provider. */
  String logoutToken(Person person) {
    return sign(logoutClaims(person), key);
  }

  /** The same logout token, signed by a key the provider does not publish. */
  String forgedLogoutToken(Person person) {
    return sign(logoutClaims(person), otherKey);
  }

  private JWTClaimsSet logoutClaims(Person person) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer)
        .audience(CLIENT_ID)
        .subject(person.subject())
        .issueTime(new Date())
        .jwtID(UUID.randomUUID().toString())
        .claim("sid", sessionId(person))
        .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))
        .build();
  }

  private void discovery(HttpExchange exchange) throws IOException {
    Map<String, Object> document = new HashMap<>();
    document.put("issuer", issuer);
    document.put("authorization_endpoint", issuer + "/authorize");
    document.put("token_endpoint", issuer + "/token");
    document.put("userinfo_endpoint", issuer + "/userinfo");
    document.put("jwks_uri", issuer + "/jwks");
    document.put("response_types_supported", List.of("code"));
    document.put("subject_types_supported", List.of("public"));
    document.put("id_token_signing_alg_values_supported", List.of("RS256"));
    document.put("scopes_supported", List.of("openid", "profile", "email"));
    document.put("code_challenge_methods_supported", List.of("S256"));
    document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
    document.put("backchannel_logout_supported", true);
    document.put("backchannel_logout_session_supported", true);
    send(exchange, 200, json.writeValueAsString(document));
  }

  private void authorize(HttpExchange exchange) throws IOException {
    Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
    if (!CLIENT_ID.equals(query.get("client_id"))
        || !"S256".equals(query.get("code_challenge_method"))) {
      send(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    String code = UUID.randomUUID().toString();
    codes.put(
        code,
        new Pending(
            next,
            nextForgery,
            query.getOrDefault("nonce", ""),
            query.getOrDefault("code_challenge", "")));
    exchange
        .getResponseHeaders()
        .add(
            "Location",
            query.get("redirect_uri")
                + "?code="
                + code
                + "&state="
                + java.net.URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8));
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private void token(HttpExchange exchange) throws IOException {
    Map<String, String> body =
        form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    String basic =
        "Basic "
            + Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
    if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      send(exchange, 401, "{\"error\":\"invalid_client\"}");
      return;
    }
    Pending pending = codes.remove(body.getOrDefault("code", ""));
    if (pending == null
        || !pending.challenge().equals(challenge(body.getOrDefault("code_verifier", "")))) {
      send(exchange, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    Person person = pending.person();
    String sid = UUID.randomUUID().toString();
    sessionIds.put(person.subject(), sid);
    String accessToken = UUID.randomUUID().toString();
    accessTokens.put(accessToken, person);
    Map<String, Object> answer = new HashMap<>();
    answer.put("access_token", accessToken);
    answer.put("token_type", "Bearer");
    answer.put("expires_in", 3600);
    answer.put("scope", "openid profile email");
    String idToken = idToken(person, pending, sid);
    issuedTokens.put(person.subject(), List.of(idToken, accessToken));
    answer.put("id_token", idToken);
    send(exchange, 200, json.writeValueAsString(answer));
  }

  private String idToken(Person person, Pending pending, String sid) {
    Forgery forgery = pending.forgery();
    Instant now = Instant.now();
    Instant issued = forgery == Forgery.EXPIRED ? now.minus(Duration.ofMinutes(15)) : now;
    Instant expires =
        forgery == Forgery.EXPIRED ? now.minus(Duration.ofMinutes(10)) : now.plusSeconds(300);
    JWTClaimsSet.Builder claims =
        new JWTClaimsSet.Builder()
            .issuer(forgery == Forgery.WRONG_ISSUER ? "http://127.0.0.1:1/realms/evil" : issuer)
            .audience(forgery == Forgery.WRONG_AUDIENCE ? "another-client" : CLIENT_ID)
            .subject(person.subject())
            .issueTime(Date.from(issued))
            .expirationTime(Date.from(expires))
            .claim("azp", CLIENT_ID)
            .claim("sid", sid)
            .claim(
                "nonce",
                forgery == Forgery.WRONG_NONCE ? "a-nonce-from-elsewhere" : pending.nonce());
    personClaims(person).forEach(claims::claim);
    return sign(claims.build(), forgery == Forgery.OTHER_KEY ? otherKey : key);
  }

  private void userInfo(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    Person person =
        authorization == null || !authorization.startsWith("Bearer ")
            ? null
            : accessTokens.get(authorization.substring("Bearer ".length()));
    if (person == null) {
      send(exchange, 401, "{\"error\":\"invalid_token\"}");
      return;
    }
    Map<String, Object> claims = new HashMap<>(personClaims(person));
    claims.put("sub", person.subject());
    send(exchange, 200, json.writeValueAsString(claims));
  }

  private static Map<String, Object> personClaims(Person person) {
    return Map.of(
        "preferred_username",
        person.username(),
        "name",
        person.username(),
        GROUP_CLAIM,
        List.of("/" + person.group()),
        ROLE_CLAIM,
        List.of(person.role()));
  }

  private String jwks() {
    return new JWKSet(key.toPublicJWK()).toString();
  }

  private static String sign(JWTClaimsSet claims, RSAKey with) {
    JWSHeader header =
        new JWSHeader.Builder(JWSAlgorithm.RS256)
            .keyID(with.getKeyID())
            .type(claims.getClaim("events") == null ? JOSEObjectType.JWT : LOGOUT_TYPE)
            .build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(new RSASSASigner(with));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  private static final JOSEObjectType LOGOUT_TYPE = new JOSEObjectType("logout+jwt");

  /** A fresh RSA key; both keys share one key id, so only the signature tells them apart. */
  private static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(2048).keyID("stand-in").generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String challenge(String verifier) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> values = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return values;
    }
    for (String pair : raw.split("&")) {
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      values.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
