package dev.tuneforge.app.account;

/** What a user may do: run the platform, run a team, or work in a team. */
public enum Role {
  PLATFORM_ADMIN,
  TENANT_ADMIN,
  MEMBER
}
