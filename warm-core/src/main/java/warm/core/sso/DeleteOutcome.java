package warm.core.sso;

/** The result of deleting a run's realm; both mean the realm is gone. */
public enum DeleteOutcome {
  /** It existed and was deleted. */
  DELETED,
  /** It did not exist (any more): deletion is idempotent. */
  ABSENT
}
