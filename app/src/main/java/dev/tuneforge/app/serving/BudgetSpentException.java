package dev.tuneforge.app.serving;

/**
 * The tenant's monthly budget is spent: nothing more is served until it is raised or the month
 * ends. The caller gets 429 with OpenAI's {@code insufficient_quota}; the message names the budget.
 */
public class BudgetSpentException extends RuntimeException {
  BudgetSpentException(String message) {
    super(message);
  }
}
