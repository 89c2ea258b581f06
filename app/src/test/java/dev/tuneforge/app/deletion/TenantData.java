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
 * judge run, usage, served tokens, a generation in flight with a chunk, estimates, a generation
 * job, a teacher run, token lengths, a merge, an API key, OpenAI metadata and an idempotency key, a
 * webhook with a delivery, a staged and a model upload (each an unfinished multipart upload), and
 * objects under the tenant's prefix.
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

  /**
   * One row in each feature's tables, as SQL with named parameters: {@code :tenant}, {@code :user},
   * {@code :username}, {@code :model}, {@code :version}, {@code :queued}, {@code :running}, {@code
   * :node}, ids of rows others refer to, and the keys of two unfinished uploads.
   */
  private static final String ROWS =
      """
      insert into job_event (tenant_id, job_id, at, type, message)
        values (:tenant, :running, now(), 'log', 'step 5');
      insert into evaluation (job_id, tenant_id, status, kind, examples, decoding, max_new_tokens,
          seconds, generated_tokens, generations_key, created_at)
        values (:running, :tenant, 'succeeded', 'extraction', 1, 'greedy', 8, 1, 8, 'k', now());
      insert into teacher_endpoint (id, tenant_id, name, base_url, model, api_key_ciphertext,
          api_key_last_four, created_by, created_at)
        values (:endpoint, :tenant, 'teacher', 'https://teacher.example', 'm', 'x', 'abcd', :user,
          now());
      insert into teacher_run (id, tenant_id, endpoint_id, name, teacher_model, domain,
          extraction_schema, categories, subtopics_per_category, documents_per_subtopic,
          temperature, seed, status, created_by, created_by_username, created_at)
        values (:teacherRun, :tenant, :endpoint, 'run', 'm', 'receipts', '{}', 1, 1, 1, 0.5, 1,
          'QUEUED', :user, :username, now());
      insert into teacher_item (id, tenant_id, run_id, stage, ordinal, status, updated_at)
        values (gen_random_uuid(), :tenant, :teacherRun, 'CATEGORIES', 0, 'PENDING', now());
      insert into judge_run (id, tenant_id, job_id, endpoint_id, endpoint_name, judge_model,
          prompt_id, status, examples_total, created_by, created_by_username, created_at)
        values (:judgeRun, :tenant, :running, :endpoint, 'teacher', 'm', 'p', 'SUCCEEDED', 1,
          :user, :username, now());
      insert into judgement (id, tenant_id, run_id, example_index, base_first, tuned_first,
          preference, base_first_answer, tuned_first_answer, prompt_tokens, completion_tokens)
        values (gen_random_uuid(), :tenant, :judgeRun, 0, 'A', 'B', 'TUNED', 'a', 'b', 1, 1);
      insert into token_charge (id, tenant_id, kind, run_id, job_id, endpoint_name, model, user_id,
          username, prompt_tokens, completion_tokens, price_per_1k_prompt,
          price_per_1k_completion, cost, charged_at)
        values (gen_random_uuid(), :tenant, 'judge', :judgeRun, :running, 'teacher', 'm', :user,
          :username, 1, 1, 0.001, 0.002, 0.000003, now());
      insert into usage_record (id, tenant_id, job_id, job_name, user_id, base_model_id,
          base_model_name, node_id, node_name, node_class, price_per_gpu_hour, kind, started_at)
        values (gen_random_uuid(), :tenant, :running, 'running', :user, :model, 'm', :node, 'n',
          'cpu', 1, 'training', now());
      insert into served_tokens (id, tenant_id, model, base_model_id, job_id, node_id, node_name,
          caller, prompt_tokens, completion_tokens, price_per_1k, cost, served_at)
        values (gen_random_uuid(), :tenant, 'm', :model, :running, :node, 'n', :username, 1, 1, 0,
          0, now());
      insert into generation_request (id, tenant_id, base_model, request, state, taken_by,
          created_at, pickup_deadline, taken_at, touched_at)
        values (:generation, :tenant, 'models/m/', '{}', 'taken', :node, now(), now(), now(),
          now() + interval '1 day');
      insert into generation_chunk (generation_id, idx, tenant_id, chunk, created_at)
        values (:generation, 0, :tenant, '{}', now());
      insert into job_estimate (tenant_id, job_id, node_class, base_model_params, method, steps,
          trained_tokens, evaluation_examples, generated_tokens, seconds, cost, currency, basis,
          created_at)
        values (:tenant, :queued, 'cpu', 1, 'lora', 1, 1, 0, 0, 1, 0, 'USD', 'test', now());
      insert into generation_job (id, tenant_id, dataset_name, document_kind, fields, row_count,
          seed, noise, status, created_by, created_by_username, created_at)
        values (gen_random_uuid(), :tenant, 'synthetic', 'receipt', '[]', 1, 1, 0, 'QUEUED', :user,
          :username, now());
      insert into dataset_token_lengths (id, tenant_id, dataset_version_id, base_model_id,
          base_model_name, max_length, status, created_at)
        values (gen_random_uuid(), :tenant, :version, :model, 'm', 512, 'QUEUED', now());
      insert into merged_export (id, tenant_id, job_id, status, created_by, created_at)
        values (gen_random_uuid(), :tenant, :running, 'queued', :user, now());
      insert into openai_job_metadata (job_id, tenant_id, metadata) values (:queued, :tenant, '{}');
      insert into openai_idempotency_key (id, tenant_id, idempotency_key, endpoint, request_hash,
          response_status, response_body, created_at)
        values (gen_random_uuid(), :tenant, 'k', 'jobs', 'h', 200, '{}', now());
      insert into api_key (id, tenant_id, user_id, name, prefix, secret_hash, created_at)
        values (gen_random_uuid(), :tenant, :user, 'ci', 'tf_x', md5(:username), now());
      insert into webhook_endpoint (id, tenant_id, url, events, secret, created_by, created_at,
          secret_set_at)
        values (:webhook, :tenant, 'https://hooks.example', 'fine_tuning.job.succeeded', 's', :user,
          now(), now());
      insert into webhook_delivery (id, tenant_id, endpoint_id, event_type, payload, status,
          created_at)
        values (gen_random_uuid(), :tenant, :webhook, 'fine_tuning.job.succeeded', '{}',
          'pending', now());
      insert into staged_upload (id, tenant_id, file_name, size_bytes, part_size, object_key,
          upload_id, created_by, created_at)
        values (gen_random_uuid(), :tenant, 'big.jsonl', 10, 10, :stagedKey, :stagedUpload, :user,
          now());
      insert into model_upload (id, owner_tenant_id, object_prefix, name, created_by, created_at,
          last_active_at)
        values (:upload, :tenant, :uploadPrefix, 'uploaded', :user, now(), now());
      insert into model_upload_file (model_upload_id, name, size_bytes, part_size,
          multipart_upload_id)
        values (:upload, 'model.safetensors', 10, 10, :modelUpload)
      """;

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
            "update fine_tune_job set node_id = ?, lease_expires_at = now() + interval '1 hour',"
                + " last_checkpoint_step = 5 where id = ?")
        .params(node, running)
        .update();
    String stagedKey = ObjectKeys.stagedUpload(tenant, UUID.randomUUID(), "big.jsonl");
    String uploadPrefix = ObjectKeys.tenantModel(tenant, UUID.randomUUID());
    Map<String, Object> values = new LinkedHashMap<>();
    values.putAll(
        Map.of(
            "tenant", tenant,
            "user", user,
            "username", username,
            "model", model,
            "version", version,
            "queued", queued,
            "running", running,
            "node", node));
    for (String id :
        new String[] {"endpoint", "teacherRun", "judgeRun", "webhook", "upload", "generation"}) {
      values.put(id, UUID.randomUUID());
    }
    values.put("stagedKey", stagedKey);
    values.put("stagedUpload", multipart.create(stagedKey));
    values.put("uploadPrefix", uploadPrefix);
    values.put("modelUpload", multipart.create(uploadPrefix + "model.safetensors"));
    for (String statement : ROWS.split(";\n")) {
      jdbc.sql(statement).params(values).update();
    }
    for (String key :
        new String[] {
          ObjectKeys.datasetVersion(tenant, UUID.randomUUID(), 1) + "train.jsonl",
          ObjectKeys.jobCheckpoint(tenant, running, 5) + "adapter_model.safetensors",
          ObjectKeys.jobAdapter(tenant, running, UUID.randomUUID()) + "adapter_config.json",
          ObjectKeys.jobEvaluation(tenant, running, null) + "generations.jsonl",
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
   * foreign key to {@code tenant}; but the tables that keep a deleted tenant's rows by design (the
   * append-only audit log).
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
        .filter(table -> !TenantTables.KEPT.contains(table.getKey()))
        .collect(
            Collectors.toMap(
                Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
  }
}
