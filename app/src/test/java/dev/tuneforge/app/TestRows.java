package dev.tuneforge.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Rows tests need (tenants, members, models, dataset versions, jobs, nodes), written with SQL as
 * the owning features would have written them, and running work as a signed-in member.
 */
public final class TestRows {
  private final JdbcClient jdbc;

  public TestRows(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public UUID tenant(String name) {
    UUID id = UUID.randomUUID();
    jdbc.sql("insert into tenant (id, name, created_at) values (?, ?, now())")
        .params(id, name + "-" + id)
        .update();
    return id;
  }

  public UUID user(UUID tenant, String name) {
    UUID user = UUID.randomUUID();
    jdbc.sql(
            "insert into app_user (id, tenant_id, username, display_name, password_hash, role, created_at) values (?, ?, ?, ?, 'x', 'MEMBER', now())")
        .params(user, tenant, name, name)
        .update();
    return user;
  }

  public UUID model(String name) {
    UUID model = UUID.randomUUID();
    jdbc.sql(
            "insert into base_model (id, name, architecture, description, object_prefix, parameters, created_at) values (?, ?, 'LlamaForCausalLM', '', 'models/x/', 1, now())")
        .params(model, name)
        .update();
    return model;
  }

  /** A dataset version of {@code rows} rows and {@code bytes} bytes. */
  public UUID datasetVersion(UUID tenant, UUID user, int rows, long bytes) {
    UUID dataset = UUID.randomUUID();
    UUID version = UUID.randomUUID();
    jdbc.sql(
            "insert into dataset (id, tenant_id, name, created_by, created_at) values (?, ?, ?, ?, now())")
        .params(dataset, tenant, "d-" + dataset, user)
        .update();
    jdbc.sql(
            "insert into dataset_version (id, tenant_id, dataset_id, version, file_name, format, object_key, row_count, size_bytes, sha256, created_at)"
                + " values (?, ?, ?, 1, 'f', 'chat-jsonl', 'k', ?, ?, 'x', now())")
        .params(version, tenant, dataset, rows, bytes)
        .update();
    return version;
  }

  public UUID job(UUID tenant, UUID user, UUID model, UUID version, String name, String status) {
    UUID job = UUID.randomUUID();
    jdbc.sql(
            "insert into fine_tune_job (id, tenant_id, name, created_by, base_model_id, dataset_version_id, status, method, lora_r,"
                + " lora_alpha, lora_dropout, target_modules, epochs, learning_rate, batch_size, max_seq_length, seed, max_steps, created_at)"
                + " values (?, ?, ?, ?, ?, ?, ?, 'lora', 8, 16, 0, 'q_proj', 2, 0.0002, 2, 512, 42, 0, now())")
        .params(job, tenant, name, user, model, version, status)
        .update();
    return job;
  }

  public UUID node(String device, String deviceName) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "insert into training_node (id, name, credential_hash, device, device_name, memory_bytes, cpu_cores, state, last_heartbeat_at, enrolled_at)"
                + " values (?, ?, ?, ?, ?, 1, 1, 'idle', now() - interval '1 hour', now())")
        .params(id, "node-" + id.toString().substring(0, 6), id.toString(), device, deviceName)
        .update();
    return id;
  }

  /**
   * A new tenant called {@code name-…} with one member, whose username starts with {@code name}.
   */
  public SignedInUser member(String name) {
    UUID tenant = tenant(name);
    String username = name + "-" + UUID.randomUUID().toString().substring(0, 8);
    return new SignedInUser(
        user(tenant, username), tenant, username, username, Role.MEMBER, "x", true);
  }

  /** The format recorded for the version of the tenant's dataset called {@code dataset}. */
  public String datasetFormat(UUID tenant, String dataset) {
    return jdbc.sql(
            "select v.format from dataset_version v join dataset d on d.id = v.dataset_id"
                + " where d.tenant_id = ? and d.name = ?")
        .params(tenant, dataset)
        .query(String.class)
        .single();
  }

  /** Asserts that a refused upload left the tenant no object, dataset or version. */
  public void assertNoDatasetStored(ObjectStorage storage, UUID tenant) {
    assertThat(storage.list(ObjectKeys.tenantPrefix(tenant))).as("objects").isEmpty();
    for (String table : List.of("dataset_version", "dataset")) {
      assertThat(
              jdbc.sql("select count(*) from " + table + " where tenant_id = ?")
                  .param(tenant)
                  .query(Long.class)
                  .single())
          .as(table)
          .isZero();
    }
  }

  /** Runs {@code work} with {@code user} signed in. */
  public static <T> T as(SignedInUser user, Supplier<T> work) {
    SecurityContext context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(user, null, user.getAuthorities()));
    SecurityContextHolder.setContext(context);
    try {
      return work.get();
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  /** Runs {@code work} signed in as the member {@code user} of {@code tenant}. */
  public static <T> T signedIn(UUID user, UUID tenant, String username, Supplier<T> work) {
    return as(new SignedInUser(user, tenant, username, username, Role.MEMBER, "x", true), work);
  }
}
