package dev.tuneforge.app.audit;

import dev.tuneforge.app.account.ClientAddress;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes audit records and reads them for admins: a tenant admin reads their tenant's, a platform
 * admin every record; anyone else nothing. Records are only ever inserted (the database refuses
 * anything else, see V042).
 */
@Service
public class AuditLog {
  private static final int FETCH_SIZE = 500;
  private static final int MAX_TEXT = 500;

  private final JdbcClient jdbc;
  private final JdbcClient streaming;
  private final TransactionTemplate readOnly;
  private final Clock clock;

  AuditLog(
      JdbcClient jdbc,
      DataSource dataSource,
      PlatformTransactionManager transactions,
      Clock clock) {
    this.jdbc = jdbc;
    // PostgreSQL sends rows in batches only inside a transaction and with a fetch size; the CSV
    // export reads that way, so that a long log never sits in memory whole.
    JdbcTemplate batches = new JdbcTemplate(dataSource);
    batches.setFetchSize(FETCH_SIZE);
    this.streaming = JdbcClient.create(new NamedParameterJdbcTemplate(batches));
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
    this.clock = clock;
  }

  /** Records an action of the signed-in user (or the system) from the current request's client. */
  void record(AuditAction action, @Nullable UUID tenantId, String target, String detail) {
    Optional<SignedInUser> user = CurrentUser.get();
    record(
        action,
        tenantId,
        user.map(SignedInUser::userId).orElse(null),
        user.map(SignedInUser::username).orElse("system"),
        target,
        detail,
        ClientAddress.current());
  }

  void record(
      AuditAction action,
      @Nullable UUID tenantId,
      @Nullable UUID actorId,
      String actorName,
      String target,
      String detail,
      String clientAddress) {
    jdbc.sql(
            """
            INSERT INTO audit_record (occurred_at, tenant_id, actor_id, actor_name, action, target,
                                      detail, client_address)
            VALUES (:at, :tenant, :actorId, :actor, :action, :target, :detail, :address)
            """)
        .param("at", clock.instant().atOffset(ZoneOffset.UTC))
        .param("tenant", tenantId)
        .param("actorId", actorId)
        .param("actor", cut(actorName))
        .param("action", action.name())
        .param("target", cut(target))
        .param("detail", cut(detail))
        .param("address", cut(clientAddress))
        .update();
  }

  /** The newest records the caller may read that match, {@code limit} from {@code offset}. */
  public List<AuditEntry> find(AuditFilter filter, int offset, int limit) {
    Query query = query(filter);
    return jdbc.sql(
            query.sql + " ORDER BY a.occurred_at DESC, a.id DESC LIMIT :limit OFFSET :offset")
        .paramSource(query.params.addValue("limit", limit).addValue("offset", offset))
        .query((row, n) -> entry(row))
        .list();
  }

  /** How many records the caller may read match. */
  public int count(AuditFilter filter) {
    Query query = query(filter);
    return jdbc.sql("SELECT count(*) FROM (" + query.sql + ") AS matching")
        .paramSource(query.params)
        .query(Integer.class)
        .single();
  }

  /**
   * Every matching record the caller may read, as CSV (RFC 4180, a header line, newest first),
   * written row by row as the database sends them. Who may read what is decided now, on the
   * caller's thread; the writing may happen on another.
   *
   * @throws AccessDeniedException for a caller who is not an admin
   */
  public Consumer<Writer> csv(AuditFilter filter) {
    Query query = query(filter);
    return out -> writeCsv(query, out);
  }

  private void writeCsv(Query query, Writer out) {
    try {
      AuditCsv.header(out);
      readOnly.executeWithoutResult(
          status ->
              streaming
                  .sql(query.sql + " ORDER BY a.occurred_at DESC, a.id DESC")
                  .paramSource(query.params)
                  .query(
                      (RowCallbackHandler)
                          row -> {
                            try {
                              AuditCsv.line(entry(row), out);
                            } catch (IOException e) {
                              throw new UncheckedIOException(e);
                            }
                          }));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private record Query(String sql, MapSqlParameterSource params) {}

  /** The caller's records that match: all for platform admins, their tenant's for tenant admins. */
  private static Query query(AuditFilter filter) {
    SignedInUser caller =
        CurrentUser.get().orElseThrow(() -> new AccessDeniedException("Sign in to read the log"));
    StringBuilder sql =
        new StringBuilder(
            "SELECT a.*, t.name AS tenant_name FROM audit_record a"
                + " LEFT JOIN tenant t ON t.id = a.tenant_id WHERE TRUE");
    MapSqlParameterSource params = new MapSqlParameterSource();
    if (caller.role() == Role.TENANT_ADMIN && caller.tenantId() != null) {
      sql.append(" AND a.tenant_id = :tenant");
      params.addValue("tenant", caller.tenantId());
    } else if (caller.role() != Role.PLATFORM_ADMIN) {
      throw new AccessDeniedException("Only admins read the audit log");
    }
    if (filter.user() != null && !filter.user().isBlank()) {
      sql.append(" AND lower(a.actor_name) LIKE :user ESCAPE '\\'");
      params.addValue("user", "%" + likeLiteral(filter.user().strip()) + "%");
    }
    if (filter.action() != null) {
      sql.append(" AND a.action = :action");
      params.addValue("action", filter.action().name());
    }
    if (filter.from() != null) {
      sql.append(" AND a.occurred_at >= :from");
      params.addValue("from", filter.from().atOffset(ZoneOffset.UTC));
    }
    if (filter.to() != null) {
      sql.append(" AND a.occurred_at < :to");
      params.addValue("to", filter.to().atOffset(ZoneOffset.UTC));
    }
    return new Query(sql.toString(), params);
  }

  private static String likeLiteral(String text) {
    return text.toLowerCase(Locale.ROOT)
        .replace("\\", "\\\\")
        .replace("%", "\\%")
        .replace("_", "\\_");
  }

  private static AuditEntry entry(ResultSet row) throws SQLException {
    return new AuditEntry(
        row.getLong("id"),
        row.getObject("occurred_at", OffsetDateTime.class).toInstant(),
        row.getObject("tenant_id", UUID.class),
        row.getString("tenant_name"),
        row.getObject("actor_id", UUID.class),
        row.getString("actor_name"),
        AuditAction.valueOf(row.getString("action")),
        row.getString("target"),
        row.getString("detail"),
        row.getString("client_address"));
  }

  private static String cut(String text) {
    String printable = text.replaceAll("\\p{Cntrl}", "?");
    return printable.length() > MAX_TEXT ? printable.substring(0, MAX_TEXT) + "…" : printable;
  }
}
