package dev.tuneforge.app.audit;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Removes audit records older than {@code tuneforge.audit.retention} (400 days unless set; at least
 * 90). The app cannot delete records itself (V042): it asks the database function {@code
 * delete_expired_audit_records} (V046), which runs as the schema's owner and removes only rows
 * older than the retention it is given, never younger than 90 days.
 */
@Component
class AuditRetention {
  static final Duration MINIMUM = Duration.ofDays(90);
  private static final Logger log = LoggerFactory.getLogger(AuditRetention.class);

  /** How long audit records are kept. */
  @ConfigurationProperties("tuneforge.audit")
  record Properties(@DefaultValue("400d") Duration retention) {
    Properties {
      if (retention.compareTo(MINIMUM) < 0) {
        throw new IllegalArgumentException(
            "tuneforge.audit.retention is at least 90 days, not " + retention);
      }
    }
  }

  private final JdbcClient jdbc;
  private final Duration retention;

  AuditRetention(JdbcClient jdbc, Properties properties) {
    this.jdbc = jdbc;
    this.retention = properties.retention();
  }

  /** Removes the expired records; how many went. */
  long removeExpired() {
    long removed =
        jdbc.sql("select delete_expired_audit_records(?)")
            .param((int) retention.toDays())
            .query(Long.class)
            .single();
    if (removed > 0) {
      log.info("Removed {} audit records older than {} days", removed, retention.toDays());
    }
    return removed;
  }
}
