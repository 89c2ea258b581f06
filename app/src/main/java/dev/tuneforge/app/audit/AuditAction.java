package dev.tuneforge.app.audit;

/** What an audit record says happened; stored by name. */
public enum AuditAction {
  SIGN_IN("Signed in"),
  SIGN_IN_FAILED("Sign-in failed or refused"),
  SSO_SIGN_IN_REFUSED("Single sign-on refused"),
  PASSWORD_CHANGE_FAILED("Password change failed or refused"),
  PASSWORD_RESET_REFUSED("Password reset refused"),
  NODE_ENROLMENT_FAILED("Node enrolment failed or refused"),
  DATASET_UPLOADED("Dataset uploaded"),
  DATASET_DELETED("Dataset version deleted"),
  MODEL_ADDED("Base model added"),
  MODEL_RETIRED("Base model retired"),
  FINE_TUNE_LAUNCHED("Fine-tune launched"),
  FINE_TUNE_CANCELLED("Fine-tune cancelled"),
  MERGE_CANCELLED("Merged export cancelled"),
  DOWNLOADED("Downloaded"),
  API_KEY_ISSUED("API key created"),
  API_KEY_REVOKED("API key revoked"),
  TENANT_CREATED("Tenant created"),
  BUDGET_CHANGED("Budget changed"),
  SSO_GROUP_CHANGED("Single sign-on group changed"),
  TENANT_DELETION_SCHEDULED("Tenant deletion scheduled"),
  TENANT_DELETION_UNDONE("Tenant deletion undone"),
  TENANT_DELETED("Tenant deleted"),
  USER_CREATED("User created"),
  USER_ENABLED("User enabled"),
  USER_DISABLED("User disabled"),
  USER_DELETED("User deleted"),
  ROLE_CHANGED("Role changed"),
  PASSWORD_RESET("Password reset"),
  PASSWORD_CHANGED("Password changed"),
  NODE_TOKEN_ISSUED("Enrolment token issued"),
  NODE_ENROLLED("Node enrolled"),
  NODE_REVOKED("Node revoked"),
  NODE_DRAINED("Node drained"),
  NODE_UNDRAINED("Node drain ended"),
  NODE_PRICE_CHANGED("Node price changed"),
  NODE_SERVING_CHANGED("Node serving policy changed");

  private final String label;

  AuditAction(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
