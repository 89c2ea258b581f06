package dev.tuneforge.app.node;

import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A training node was enrolled or an admin changed it ({@code nodeId} null for an enrolment token,
 * which belongs to no node yet).
 */
public record NodeChanged(@Nullable UUID nodeId, String name, Change change, String detail) {

  /** What changed. */
  public enum Change {
    TOKEN_ISSUED,
    ENROLLED,
    REVOKED,
    DRAINED,
    UNDRAINED,
    PRICE,
    SERVING_POLICY
  }
}
