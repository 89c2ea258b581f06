package dev.tuneforge.app.deletion;

import dev.tuneforge.app.TestObjectStorage;
import dev.tuneforge.app.TestRows;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A tenant with something in every feature, written as the features write it: a member, a private
 * model, a dataset version, a queued and a running job with events, a checkpoint, an evaluation, a
 * judge run, usage, served tokens, estimates, a generation job, a teacher run, token lengths, a
 * merge, an API key, OpenAI metadata and an idempotency key, a webhook with a delivery, a staged
 * and a model upload (each an unfinished multipart upload), and objects under the tenant's prefix.
 */
final class TenantData {
  /** What one tenant was given. */
  record Tenant(
      UUID id, String name, UUID member, String username, UUID queuedJob, UUID runningJob) {}

  private final JdbcClient jdbc;
  private final TestRows rows;
  private final ObjectStorage storage;
  private final MultipartStorage multipart;
  private final Path dir;

  TenantData(JdbcClient jdbc, ObjectStorage storage, MultipartStorage multipart, Path dir) {
    this.jdbc = jdbc;
    this.rows = new TestRows(jdbc);
    this.storage = storage;
    this.multipart = multipart;
    this.dir = dir;
  }

  Tenant create(String prefix) {
    UUID tenant = rows.tenant(prefix);
    String name =
        jdbc.sql("select name from tenant where id = ?").param(tenant).query(String.class).single();
    String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    UUID user = rows.user(tenant, username);
    UUID model = rows.model(prefix + "-model-" + tenant);
    jdbc.sql("update base_model set owner_tenant_id = ?, object_prefix = ? where id = ?")
        .params(tenant, ObjectKeys.tenantModel(tenant, model), model)
        .update();
    UUID version = rows.datasetVersion(tenant, user, 10, 1000);
    UUID queued = rows.job(tenant, user, model, version, "queued", "queued");
    UUID node = rows.node("cpu", "test CPU");
    UUID running = rows.job(tenant, user, model, version, "running", "running");
    jdbc.sql(
            "update fine_tune_job set node_id = ?, lease_expires_at = now() + interval '1 hour', last_checkpoint_step = 5 where id = ?")
        .params(node, running)
        .update();
    insert(
        "job_event",
        Map.of(
            "tenant_id",
            tenant,
            "job_id",
            running,
            "at",
            now(),
            "type",
            "log",
            "message",
            "step 5"));
    insert(
        "evaluation",
        map(
            "job_id",
            running,
            "tenant_id",
            tenant,
            "status",
            "succeeded",
            "kind",
            "extraction",
            "examples",
            1,
            "decoding",
            "greedy",
            "max_new_tokens",
            8,
            "seconds",
            1.0,
            "generated_tokens",
            8L,
            "generations_key",
            ObjectKeys.jobEvaluation(tenant, running) + "generations.jsonl",
            "created_at",
            now()));
    UUID endpoint = UUID.randomUUID();
    insert(
        "teacher_endpoint",
        map(
            "id",
            endpoint,
            "tenant_id",
            tenant,
            "name",
            "teacher",
            "base_url",
            "https://teacher.example",
            "model",
            "m",
            "api_key_ciphertext",
            "x",
            "api_key_last_four",
            "abcd",
            "created_by",
            user,
            "created_at",
            now()));
    UUID teacherRun = UUID.randomUUID();
    insert(
        "teacher_run",
        map(
            "id",
            teacherRun,
            "tenant_id",
            tenant,
            "endpoint_id",
            endpoint,
            "name",
            "run",
            "teacher_model",
            "m",
            "domain",
            "receipts",
            "extraction_schema",
            "{}",
            "categories",
            1,
            "subtopics_per_category",
            1,
            "documents_per_subtopic",
            1,
            "temperature",
            0.5,
            "seed",
            1L,
            "status",
            "QUEUED",
            "created_by",
            user,
            "created_by_username",
            username,
            "created_at",
            now()));
    insert(
        "teacher_item",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "run_id",
            teacherRun,
            "stage",
            "CATEGORIES",
            "ordinal",
            0,
            "status",
            "PENDING",
            "updated_at",
            now()));
    UUID judgeRun = UUID.randomUUID();
    insert(
        "judge_run",
        map(
            "id",
            judgeRun,
            "tenant_id",
            tenant,
            "job_id",
            running,
            "endpoint_id",
            endpoint,
            "endpoint_name",
            "teacher",
            "judge_model",
            "m",
            "prompt_id",
            "p",
            "status",
            "SUCCEEDED",
            "examples_total",
            1,
            "created_by",
            user,
            "created_by_username",
            username,
            "created_at",
            now()));
    insert(
        "judgement",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "run_id",
            judgeRun,
            "example_index",
            0,
            "base_first",
            "A",
            "tuned_first",
            "B",
            "preference",
            "TUNED",
            "base_first_answer",
            "a",
            "tuned_first_answer",
            "b",
            "prompt_tokens",
            1L,
            "completion_tokens",
            1L));
    insert(
        "usage_record",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "job_id",
            running,
            "job_name",
            "running",
            "user_id",
            user,
            "base_model_id",
            model,
            "base_model_name",
            "m",
            "node_id",
            node,
            "node_name",
            "n",
            "node_class",
            "cpu",
            "price_per_gpu_hour",
            1,
            "kind",
            "training",
            "started_at",
            now()));
    insert(
        "served_tokens",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "model",
            "m",
            "base_model_id",
            model,
            "job_id",
            running,
            "node_id",
            node,
            "node_name",
            "n",
            "caller",
            username,
            "prompt_tokens",
            1L,
            "completion_tokens",
            1L,
            "price_per_1k",
            0,
            "cost",
            0,
            "served_at",
            now()));
    insert(
        "job_estimate",
        map(
            "tenant_id",
            tenant,
            "job_id",
            queued,
            "node_class",
            "cpu",
            "base_model_params",
            1L,
            "method",
            "lora",
            "steps",
            1,
            "trained_tokens",
            1L,
            "evaluation_examples",
            0,
            "generated_tokens",
            0L,
            "seconds",
            1L,
            "cost",
            0,
            "currency",
            "USD",
            "basis",
            "test",
            "created_at",
            now()));
    insert(
        "generation_job",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "dataset_name",
            "synthetic",
            "document_kind",
            "receipt",
            "fields",
            "[]",
            "row_count",
            1,
            "seed",
            1L,
            "noise",
            0.0,
            "status",
            "QUEUED",
            "created_by",
            user,
            "created_by_username",
            username,
            "created_at",
            now()));
    insert(
        "dataset_token_lengths",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "dataset_version_id",
            version,
            "base_model_id",
            model,
            "base_model_name",
            "m",
            "max_length",
            512,
            "status",
            "QUEUED",
            "created_at",
            now()));
    insert(
        "merged_export",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "job_id",
            running,
            "status",
            "queued",
            "created_by",
            user,
            "created_at",
            now()));
    insert("openai_job_metadata", map("job_id", queued, "tenant_id", tenant, "metadata", "{}"));
    insert(
        "openai_idempotency_key",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "idempotency_key",
            "k",
            "endpoint",
            "jobs",
            "request_hash",
            "h",
            "response_status",
            200,
            "response_body",
            "{}",
            "created_at",
            now()));
    insert(
        "api_key",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "user_id",
            user,
            "name",
            "ci",
            "prefix",
            "tf_x",
            "secret_hash",
            UUID.randomUUID().toString().replace("-", ""),
            "created_at",
            now()));
    UUID webhook = UUID.randomUUID();
    insert(
        "webhook_endpoint",
        map(
            "id",
            webhook,
            "tenant_id",
            tenant,
            "url",
            "https://hooks.example",
            "events",
            "fine_tuning.job.succeeded",
            "secret",
            "s",
            "created_by",
            user,
            "created_at",
            now(),
            "secret_set_at",
            now()));
    insert(
        "webhook_delivery",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "endpoint_id",
            webhook,
            "event_type",
            "fine_tuning.job.succeeded",
            "payload",
            "{}",
            "status",
            "pending",
            "created_at",
            now()));

    String stagedKey = ObjectKeys.stagedUpload(tenant, UUID.randomUUID(), "big.jsonl");
    insert(
        "staged_upload",
        map(
            "id",
            UUID.randomUUID(),
            "tenant_id",
            tenant,
            "file_name",
            "big.jsonl",
            "size_bytes",
            10L,
            "part_size",
            10L,
            "object_key",
            stagedKey,
            "upload_id",
            multipart.create(stagedKey),
            "created_by",
            user,
            "created_at",
            now()));
    UUID upload = UUID.randomUUID();
    String uploadPrefix = ObjectKeys.tenantModel(tenant, UUID.randomUUID());
    insert(
        "model_upload",
        map(
            "id",
            upload,
            "owner_tenant_id",
            tenant,
            "object_prefix",
            uploadPrefix,
            "name",
            "uploaded",
            "created_by",
            user,
            "created_at",
            now(),
            "last_active_at",
            now()));
    insert(
        "model_upload_file",
        map(
            "model_upload_id",
            upload,
            "name",
            "model.safetensors",
            "size_bytes",
            10L,
            "part_size",
            10L,
            "multipart_upload_id",
            multipart.create(uploadPrefix + "model.safetensors")));

    for (String key :
        new String[] {
          ObjectKeys.datasetVersion(tenant, UUID.randomUUID(), 1) + "train.jsonl",
          ObjectKeys.jobCheckpoint(tenant, running, 5) + "adapter_model.safetensors",
          ObjectKeys.jobAdapter(tenant, running) + "adapter_config.json",
          ObjectKeys.jobEvaluation(tenant, running) + "generations.jsonl",
          ObjectKeys.tenantModel(tenant, model) + "config.json"
        }) {
      TestObjectStorage.putText(storage, dir, key, "{\"of\":\"" + name + "\"}");
    }
    return new Tenant(tenant, name, user, username, queued, running);
  }

  /** Rows of {@code tenant} per table that has a tenant column, tables in name order. */
  Map<String, Integer> rowCounts(UUID tenant) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Map.Entry<String, String> column : tenantColumns().entrySet()) {
      counts.put(
          column.getKey(),
          jdbc.sql(
                  "select count(*) from \""
                      + column.getKey()
                      + "\" where \""
                      + column.getValue()
                      + "\" = ?")
              .param(tenant)
              .query(Integer.class)
              .single());
    }
    counts.put(
        "tenant",
        jdbc.sql("select count(*) from tenant where id = ?")
            .param(tenant)
            .query(Integer.class)
            .single());
    return counts;
  }

  /**
   * Every column that says which tenant a row belongs to, found in the database's own catalogue
   * (not the removal's code): {@code tenant_id}, {@code owner_tenant_id}, and any column with a
   * foreign key to {@code tenant}.
   */
  Map<String, String> tenantColumns() {
    return jdbc
        .sql(
            """
            select c.table_name, min(c.column_name) from information_schema.columns c
            join information_schema.tables t
              on t.table_schema = c.table_schema and t.table_name = c.table_name
            where c.table_schema = current_schema() and t.table_type = 'BASE TABLE'
              and (c.column_name in ('tenant_id', 'owner_tenant_id')
                or (c.table_name, c.column_name) in (
                  select kcu.table_name, kcu.column_name
                  from information_schema.referential_constraints rc
                  join information_schema.key_column_usage kcu
                    on kcu.constraint_name = rc.constraint_name
                    and kcu.constraint_schema = rc.constraint_schema
                  join information_schema.constraint_column_usage ccu
                    on ccu.constraint_name = rc.constraint_name
                    and ccu.constraint_schema = rc.constraint_schema
                  where ccu.table_name = 'tenant' and kcu.table_name <> 'tenant'))
            group by c.table_name order by c.table_name
            """)
        .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
        .list()
        .stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }

  private void insert(String table, Map<String, Object> values) {
    String columns = String.join(", ", values.keySet());
    String marks = values.keySet().stream().map(c -> "?").collect(Collectors.joining(", "));
    jdbc.sql("insert into " + table + " (" + columns + ") values (" + marks + ")")
        .params(values.values().stream().toList())
        .update();
  }

  private static Map<String, Object> map(Object... pairs) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put((String) pairs[i], pairs[i + 1]);
    }
    return values;
  }

  private static java.sql.Timestamp now() {
    return new java.sql.Timestamp(System.currentTimeMillis());
  }
}
