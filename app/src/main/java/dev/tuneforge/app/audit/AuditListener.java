package dev.tuneforge.app.audit;

import dev.tuneforge.app.account.AccessRefused;
import dev.tuneforge.app.account.AccountChanged;
import dev.tuneforge.app.account.CurrentUser;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.apikey.ApiKeyIssued;
import dev.tuneforge.app.apikey.ApiKeyRevoked;
import dev.tuneforge.app.catalog.ModelAdded;
import dev.tuneforge.app.catalog.ModelRetired;
import dev.tuneforge.app.dataset.DatasetUploaded;
import dev.tuneforge.app.dataset.DatasetVersionDeleted;
import dev.tuneforge.app.export.ArtifactDownloaded;
import dev.tuneforge.app.export.MergedExportCancelled;
import dev.tuneforge.app.finetune.FineTuneCancelled;
import dev.tuneforge.app.finetune.FineTuneLaunched;
import dev.tuneforge.app.node.NodeChanged;
import dev.tuneforge.app.tenancy.TenantChanged;
import dev.tuneforge.app.tenancy.TenantDeleted;
import dev.tuneforge.app.tenancy.TenantDeletionScheduled;
import dev.tuneforge.app.tenancy.TenantDeletionUndone;
import java.util.Objects;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Turns the features' events into audit records, on the thread that published them: inside the
 * action's transaction where it has one (an action rolled back leaves no record), and with the
 * signed-in user and client address of the request that caused it.
 */
@Component
class AuditListener {
  private final AuditLog log;

  AuditListener(AuditLog log) {
    this.log = log;
  }

  @EventListener
  void on(AuthenticationSuccessEvent event) {
    SignedInUser user = CurrentUser.of(event.getAuthentication()).orElse(null);
    if (user == null) {
      return;
    }
    String address =
        event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details
            ? Objects.requireNonNullElse(details.getRemoteAddress(), "")
            : "";
    boolean sso = !(event.getAuthentication().getPrincipal() instanceof SignedInUser);
    log.record(
        AuditAction.SIGN_IN,
        user.tenantId(),
        user.userId(),
        user.username(),
        user.username(),
        sso ? "single sign-on" : "password",
        address);
  }

  /** In a transaction of its own: a failure is recorded even when the attempt's work rolls back. */
  @EventListener
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  void on(AccessRefused event) {
    AuditAction action =
        switch (event.endpoint()) {
          case SIGN_IN -> AuditAction.SIGN_IN_FAILED;
          case SSO_SIGN_IN -> AuditAction.SSO_SIGN_IN_REFUSED;
          case PASSWORD_CHANGE -> AuditAction.PASSWORD_CHANGE_FAILED;
          case PASSWORD_RESET -> AuditAction.PASSWORD_RESET_REFUSED;
          case NODE_ENROLMENT -> AuditAction.NODE_ENROLMENT_FAILED;
        };
    log.record(
        action, event.tenantId(), null, event.who(), event.who(), event.reason(), event.address());
  }

  @EventListener
  void on(AccountChanged event) {
    AuditAction action =
        switch (event.change()) {
          case CREATED -> AuditAction.USER_CREATED;
          case ENABLED -> AuditAction.USER_ENABLED;
          case DISABLED -> AuditAction.USER_DISABLED;
          case DELETED -> AuditAction.USER_DELETED;
          case ROLE -> AuditAction.ROLE_CHANGED;
          case PASSWORD_RESET -> AuditAction.PASSWORD_RESET;
          case PASSWORD_CHANGED -> AuditAction.PASSWORD_CHANGED;
        };
    log.record(action, event.tenantId(), "user " + event.username(), event.detail());
  }

  @EventListener
  void on(DatasetUploaded event) {
    log.record(
        AuditAction.DATASET_UPLOADED,
        event.tenantId(),
        "dataset " + event.name() + " v" + event.version(),
        "file " + event.fileName() + ", version " + event.versionId());
  }

  @EventListener
  void on(DatasetVersionDeleted event) {
    log.record(
        AuditAction.DATASET_DELETED,
        event.tenantId(),
        "dataset " + event.name() + " v" + event.version(),
        "version " + event.versionId());
  }

  @EventListener
  void on(ModelAdded event) {
    log.record(
        AuditAction.MODEL_ADDED, event.tenantId(), "model " + event.name(), "" + event.modelId());
  }

  @EventListener
  void on(ModelRetired event) {
    log.record(
        AuditAction.MODEL_RETIRED, event.tenantId(), "model " + event.name(), "" + event.modelId());
  }

  @EventListener
  void on(FineTuneLaunched event) {
    log.record(
        AuditAction.FINE_TUNE_LAUNCHED,
        event.tenantId(),
        "fine-tune " + event.label(),
        "job " + event.jobId());
  }

  @EventListener
  void on(FineTuneCancelled event) {
    log.record(
        AuditAction.FINE_TUNE_CANCELLED,
        event.tenantId(),
        "fine-tune " + event.label(),
        "job " + event.jobId());
  }

  @EventListener
  void on(MergedExportCancelled event) {
    log.record(
        AuditAction.MERGE_CANCELLED,
        event.tenantId(),
        "merged export of fine-tune " + event.label(),
        event.detail() + ", job " + event.jobId());
  }

  @EventListener
  void on(ArtifactDownloaded event) {
    log.record(AuditAction.DOWNLOADED, event.tenantId(), event.file(), "of job " + event.jobId());
  }

  @EventListener
  void on(ApiKeyIssued event) {
    log.record(
        AuditAction.API_KEY_ISSUED,
        event.tenantId(),
        "key " + event.keyName() + " of " + event.owner(),
        "" + event.keyId());
  }

  @EventListener
  void on(ApiKeyRevoked event) {
    log.record(
        AuditAction.API_KEY_REVOKED,
        event.tenantId(),
        "key " + event.keyName() + " of " + event.owner(),
        "" + event.keyId());
  }

  @EventListener
  void on(TenantChanged event) {
    AuditAction action =
        switch (event.change()) {
          case CREATED -> AuditAction.TENANT_CREATED;
          case BUDGET -> AuditAction.BUDGET_CHANGED;
          case SSO_GROUP -> AuditAction.SSO_GROUP_CHANGED;
        };
    log.record(action, event.tenantId(), "tenant " + event.name(), event.detail());
  }

  @EventListener
  void on(TenantDeletionScheduled event) {
    log.record(
        AuditAction.TENANT_DELETION_SCHEDULED,
        event.tenantId(),
        "tenant " + event.name(),
        "removed at " + event.dueAt());
  }

  @EventListener
  void on(TenantDeletionUndone event) {
    log.record(AuditAction.TENANT_DELETION_UNDONE, event.tenantId(), "tenant " + event.name(), "");
  }

  @EventListener
  void on(TenantDeleted event) {
    log.record(
        AuditAction.TENANT_DELETED,
        event.tenantId(),
        "tenant " + event.name(),
        "every row and object removed at " + event.at());
  }

  @EventListener
  void on(NodeChanged event) {
    AuditAction action =
        switch (event.change()) {
          case TOKEN_ISSUED -> AuditAction.NODE_TOKEN_ISSUED;
          case ENROLLED -> AuditAction.NODE_ENROLLED;
          case REVOKED -> AuditAction.NODE_REVOKED;
          case DRAINED -> AuditAction.NODE_DRAINED;
          case UNDRAINED -> AuditAction.NODE_UNDRAINED;
          case PRICE -> AuditAction.NODE_PRICE_CHANGED;
          case SERVING_POLICY -> AuditAction.NODE_SERVING_CHANGED;
        };
    String target =
        event.nodeId() == null ? "enrolment token" : "node " + event.name() + " " + event.nodeId();
    log.record(action, null, target, event.detail());
  }
}
