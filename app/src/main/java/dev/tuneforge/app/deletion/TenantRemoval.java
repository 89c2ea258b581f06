package dev.tuneforge.app.deletion;

import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.tenancy.Tenant;
import dev.tuneforge.app.tenancy.TenantContext;
import dev.tuneforge.app.tenancy.TenantDeleted;
import dev.tuneforge.app.tenancy.TenantService;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes tenants whose grace period is over: first every object under the tenant's prefix (and its
 * unfinished multipart uploads), then, in one transaction, every row of it in every table ({@link
 * TenantTables}), its accounts' sign-in counts, its events still waiting for listeners, and the
 * tenant itself. A failure leaves the tenant scheduled; the next run starts again, and deleting
 * what is already gone is harmless.
 */
@Component
class TenantRemoval {
  private static final Logger log = LoggerFactory.getLogger(TenantRemoval.class);

  private final TenantService tenants;
  private final ObjectStorage storage;
  private final MultipartStorage multipart;
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  TenantRemoval(
      TenantService tenants,
      ObjectStorage storage,
      MultipartStorage multipart,
      JdbcClient jdbc,
      TransactionTemplate transactions,
      ApplicationEventPublisher events,
      Clock clock) {
    this.tenants = tenants;
    this.storage = storage;
    this.multipart = multipart;
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.events = events;
    this.clock = clock;
  }

  /** Removes every tenant whose grace period is over; how many were removed. */
  int removeDue() {
    List<Tenant> due = tenants.dueForRemoval(clock.instant());
    for (Tenant tenant : due) {
      remove(tenant.getId(), tenant.getName());
    }
    return due.size();
  }

  private void remove(UUID tenantId, String name) {
    TenantContext.runAsSystem(
        () -> {
          abortUploads(tenantId);
          String prefix = ObjectKeys.tenantPrefix(tenantId);
          int objects = storage.list(prefix).size();
          storage.deleteAll(prefix);
          int rows = transactions.execute(status -> deleteRows(tenantId, name));
          log.info("Removed tenant '{}' ({}): {} rows, {} objects", name, tenantId, rows, objects);
        });
  }

  private void abortUploads(UUID tenantId) {
    String prefix = ObjectKeys.tenantPrefix(tenantId);
    List<Map.Entry<String, String>> recorded =
        jdbc.sql(
                """
                select object_key, upload_id from staged_upload where tenant_id = :tenant
                union all
                select u.object_prefix || f.name, f.multipart_upload_id
                from model_upload u join model_upload_file f on f.model_upload_id = u.id
                where u.owner_tenant_id = :tenant
                """)
            .param("tenant", tenantId)
            .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2)))
            .list();
    for (Map.Entry<String, String> upload : recorded) {
      if (upload.getKey().startsWith(prefix)) {
        multipart.abort(upload.getKey(), upload.getValue());
      }
    }
    for (MultipartStorage.IncompleteUpload upload : multipart.incompleteUploads(prefix)) {
      multipart.abort(upload.key(), upload.uploadId());
    }
  }

  private int deleteRows(UUID tenantId, String name) {
    Timestamp due =
        jdbc.sql("select deletion_due_at from tenant where id = ? for update")
            .param(tenantId)
            .query(Timestamp.class)
            .optional()
            .orElse(null);
    Instant now = clock.instant();
    if (due == null || due.toInstant().isAfter(now)) {
      return 0;
    }
    int rows =
        jdbc.sql(
                "delete from sign_in_throttle where subject in (select 'account:' || lower(username)"
                    + " from app_user where tenant_id = ?)")
            .param(tenantId)
            .update();
    rows +=
        jdbc.sql(
                "delete from event_publication where completion_date is null"
                    + " and serialized_event like ?")
            .param("%" + tenantId + "%")
            .update();
    for (TenantTables.TenantTable table : new TenantTables(jdbc).inDeletionOrder()) {
      String rowsOfTenant =
          "select %s from " + quoted(table.name()) + " where " + quoted(table.column()) + " = ?";
      for (TenantTables.Dependent dependent : table.dependents()) {
        String referenced = rowsOfTenant.formatted(quoted(dependent.referenced()));
        rows +=
            delete(
                dependent.table(),
                quoted(dependent.column()) + " in (" + referenced + ")",
                tenantId);
      }
      rows += delete(table.name(), quoted(table.column()) + " = ?", tenantId);
    }
    rows += delete(TenantTables.TENANT, "id = ?", tenantId);
    events.publishEvent(new TenantDeleted(tenantId, name, now));
    return rows;
  }

  private int delete(String table, String condition, UUID tenantId) {
    return jdbc.sql("delete from " + quoted(table) + " where " + condition)
        .param(tenantId)
        .update();
  }

  private static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }
}
