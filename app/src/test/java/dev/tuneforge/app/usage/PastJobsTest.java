package dev.tuneforge.app.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.app.dataset.tokens.TokenLengths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The statistics an estimate takes from recent jobs, on hand-made jobs. */
class PastJobsTest {
  private static final double NONE = Double.NaN;

  @Test
  void theMedianOfTheJobsMostLikeTheNewOneStandsAndAnOutlierDoesNotMoveIt() {
    List<PastJobs.Job> jobs =
        List.of(
            new PastJobs.Job(1_000, "lora", 2_000, 100, 10, 20, 64),
            new PastJobs.Job(1_000, "lora", 2_000, 110, 12, 22, 60),
            new PastJobs.Job(1_000, "lora", 2_000, 5, 300, NONE, NONE),
            new PastJobs.Job(1_000, "full", 3_000, 50, 14, NONE, NONE),
            new PastJobs.Job(2_000, "lora", 4_000, 40, 30, 8, 200));

    PastJobs.Speeds lora = PastJobs.speeds(jobs, 1_000, "lora", 2_000);
    assertThat(lora.tokensPerSecond()).as("median of 100, 110 and 5").isEqualTo(100);
    assertThat(lora.overheadSeconds()).isEqualTo(12);
    assertThat(lora.generatedPerSecond()).as("same size only: 20 and 22").isEqualTo(21);
    assertThat(lora.generatedPerExample()).isEqualTo(62);
    assertThat(lora.trainingJobs()).isEqualTo(3);

    assertThat(PastJobs.speeds(jobs, 1_000, "full", 3_000).tokensPerSecond())
        .as("the full fine-tune of the same size")
        .isEqualTo(50);
  }

  @Test
  void withoutAJobOfTheSameSizeOrMethodSpeedsAreScaledByTheWorkPerToken() {
    List<PastJobs.Job> lora = List.of(new PastJobs.Job(1_000, "lora", 2_000, 120, 10, 30, 50));
    assertThat(PastJobs.speeds(lora, 1_000, "full", 3_000).tokensPerSecond())
        .as("full does 3 multiply-adds per weight and token where LoRA does 2")
        .isEqualTo(80);
    assertThat(PastJobs.speeds(lora, 1_000, "full", 2_400).tokensPerSecond())
        .as("a token of the full job that takes 1.2 times the LoRA one's work")
        .isEqualTo(100);
    PastJobs.Speeds bigger = PastJobs.speeds(lora, 3_000, "lora", 6_000);
    assertThat(bigger.tokensPerSecond()).isEqualTo(40);
    assertThat(bigger.generatedPerSecond()).isEqualTo(10);
    assertThat(bigger.generatedPerExample())
        .as("answers' lengths are not carried over from another model")
        .isNaN();
    assertThat(PastJobs.speeds(List.of(), 1_000, "lora", 2_000).tokensPerSecond()).isNaN();
  }

  @Test
  void theSpeedIsTheSteadyStepsAndStartUpIsWhatTheMeteredTimeHoldsBeyondThem() {
    // metered 20 s for 1,000 tokens; after the first step, 900 tokens in 9 s
    PastJobs.Job job =
        PastJobs.job(metered(20, 1_000), new StepSpans.StepSpan(Duration.ofSeconds(9), 900));
    assertThat(job.tokensPerSecond()).isEqualTo(100);
    assertThat(job.overheadSeconds())
        .as("20 s less the 10 s all 1,000 tokens take at the steady speed")
        .isEqualTo(10);

    PastJobs.Job untimed = PastJobs.job(metered(20, 1_000), null);
    assertThat(untimed.tokensPerSecond()).as("the metered speed").isEqualTo(50);
    assertThat(untimed.overheadSeconds()).isNaN();
  }

  @Test
  void rowsLongerThanTheMaximumLengthCountOnlyUpToIt() {
    TokenLengths.Summary summary =
        new TokenLengths.Summary(
            4,
            300,
            150,
            100,
            300,
            300,
            1,
            200,
            20,
            0,
            0,
            Map.of(),
            List.of(new TokenLengths.Bin(0, 128, 2), new TokenLengths.Bin(256, 384, 1)));
    assertThat(DatasetTokens.truncated(summary, 4096)).as("nothing cut").isEqualTo(600);
    assertThat(DatasetTokens.truncated(summary, 200))
        .as("the long row taken at its bin's middle, (256 + 301) / 2, less 200")
        .isEqualTo(600 - 78);
  }

  /** A LoRA job of a 1,000-parameter model, not evaluated, metered {@code seconds} for tokens. */
  private static PastJobs.Metered metered(long seconds, long tokens) {
    return new PastJobs.Metered(
        UUID.randomUUID(), 1_000, "lora", 0, seconds, tokens, 0, 0, 2_000.0);
  }
}
