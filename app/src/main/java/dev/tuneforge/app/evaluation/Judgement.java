package dev.tuneforge.app.evaluation;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/**
 * The judge's two verdicts on one example, base first and tuned first, what they come to after
 * position swapping, the judge's raw answers and the tokens the two calls took.
 */
@Entity
@Table(name = "judgement")
public class Judgement {
  private static final int MAX_ANSWER = 2000;

  @Id private UUID id;
  @TenantId private UUID tenantId;
  private UUID runId;
  private int exampleIndex;

  @Enumerated(EnumType.STRING)
  private JudgeVerdict baseFirst;

  @Enumerated(EnumType.STRING)
  private JudgeVerdict tunedFirst;

  @Enumerated(EnumType.STRING)
  private Preference preference;

  private String baseFirstAnswer;
  private String tunedFirstAnswer;
  private long promptTokens;
  private long completionTokens;

  protected Judgement() {}

  Judgement(
      UUID runId,
      int exampleIndex,
      String baseFirstAnswer,
      String tunedFirstAnswer,
      long promptTokens,
      long completionTokens) {
    this.id = UUID.randomUUID();
    this.runId = runId;
    this.exampleIndex = exampleIndex;
    this.baseFirst = JudgeVerdict.parse(baseFirstAnswer);
    this.tunedFirst = JudgeVerdict.parse(tunedFirstAnswer);
    this.preference = Preference.swapped(baseFirst, tunedFirst);
    this.baseFirstAnswer = clip(baseFirstAnswer);
    this.tunedFirstAnswer = clip(tunedFirstAnswer);
    this.promptTokens = promptTokens;
    this.completionTokens = completionTokens;
  }

  private static String clip(String answer) {
    return answer.length() <= MAX_ANSWER ? answer : answer.substring(0, MAX_ANSWER - 1) + "…";
  }

  /** The two orders did not prefer the same model (one of them may have called it a tie). */
  public boolean ordersDisagree() {
    return Preference.baseFirst(baseFirst) != Preference.tunedFirst(tunedFirst);
  }

  public int getExampleIndex() {
    return exampleIndex;
  }

  public JudgeVerdict getBaseFirst() {
    return baseFirst;
  }

  public JudgeVerdict getTunedFirst() {
    return tunedFirst;
  }

  public Preference getPreference() {
    return preference;
  }

  public String getBaseFirstAnswer() {
    return baseFirstAnswer;
  }

  public String getTunedFirstAnswer() {
    return tunedFirstAnswer;
  }

  public long getPromptTokens() {
    return promptTokens;
  }

  public long getCompletionTokens() {
    return completionTokens;
  }

  public UUID getTenantId() {
    return tenantId;
  }
}
