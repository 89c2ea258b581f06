package dev.tuneforge.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuneforge.protocol.PromptMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The judge's conventions on hand-made cases: reading its verdicts, position swapping (a judge that
 * always prefers the first answer gives only ties), the rates' bootstrap intervals computed here
 * independently, and the agreement with field F1.
 */
class JudgeTest {

  @Test
  void verdictsAreReadFromJsonAlsoInAFenceAndAnythingElseIsUnreadable() {
    assertThat(JudgeVerdict.parse("{\"winner\": \"A\", \"reason\": \"x\"}"))
        .isEqualTo(JudgeVerdict.A);
    assertThat(JudgeVerdict.parse("```json\n{\"winner\":\"b\"}\n```")).isEqualTo(JudgeVerdict.B);
    assertThat(JudgeVerdict.parse("Sure. {\"winner\": \"Tie\"}")).isEqualTo(JudgeVerdict.TIE);
    assertThat(JudgeVerdict.parse("A is better")).isEqualTo(JudgeVerdict.UNREADABLE);
    assertThat(JudgeVerdict.parse("{\"winner\": \"C\"}")).isEqualTo(JudgeVerdict.UNREADABLE);
    assertThat(JudgeVerdict.parse("{\"winner\": 1}")).isEqualTo(JudgeVerdict.UNREADABLE);
    assertThat(JudgeVerdict.parse("{winner: A}")).isEqualTo(JudgeVerdict.UNREADABLE);
  }

  @Test
  void aModelWinsOnlyWhenBothOrdersPreferItSoAFirstPositionJudgeGivesTies() {
    // Base shown first, then tuned shown first.
    assertThat(Preference.swapped(JudgeVerdict.B, JudgeVerdict.A)).isEqualTo(Preference.TUNED);
    assertThat(Preference.swapped(JudgeVerdict.A, JudgeVerdict.B)).isEqualTo(Preference.BASE);
    assertThat(Preference.swapped(JudgeVerdict.A, JudgeVerdict.A))
        .as("always the first position")
        .isEqualTo(Preference.TIE);
    assertThat(Preference.swapped(JudgeVerdict.B, JudgeVerdict.B))
        .as("always the second position")
        .isEqualTo(Preference.TIE);
    assertThat(Preference.swapped(JudgeVerdict.B, JudgeVerdict.TIE)).isEqualTo(Preference.TIE);
    assertThat(Preference.swapped(JudgeVerdict.TIE, JudgeVerdict.TIE)).isEqualTo(Preference.TIE);
    assertThat(Preference.swapped(JudgeVerdict.UNREADABLE, JudgeVerdict.A))
        .isEqualTo(Preference.TIE);

    List<Judgement> biased = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      biased.add(judgement(i, "A", "A"));
    }
    JudgeResults results = JudgeWork.results(biased, null);
    assertThat(results.tunedWins()).isZero();
    assertThat(results.baseWins()).isZero();
    assertThat(results.ties()).isEqualTo(10);
    assertThat(results.orderDisagreements()).isEqualTo(10);
    assertThat(results.sentence()).startsWith("No clear preference: wins − losses +0.0 pts");
    assertThat(results.agreement()).as("no exact metric for free text").isNull();
    assertThat(results.agreementSentence()).isNull();
  }

  @Test
  void ratesCarryTheSeededBootstrapsIntervalsAndAgreementWithFieldF1() {
    // 20 examples: the judge prefers tuned in 12, neither in 5, base in 3.
    List<Preference> judged = new ArrayList<>();
    judged.addAll(Collections.nCopies(12, Preference.TUNED));
    judged.addAll(Collections.nCopies(5, Preference.TIE));
    judged.addAll(Collections.nCopies(3, Preference.BASE));
    // Field F1 prefers tuned in the first 10, neither in the next 8, base in the last 2.
    List<Preference> exact = new ArrayList<>();
    exact.addAll(Collections.nCopies(10, Preference.TUNED));
    exact.addAll(Collections.nCopies(8, Preference.TIE));
    exact.addAll(Collections.nCopies(2, Preference.BASE));

    JudgeResults results = JudgeResults.of(judged, exact, 4, 1, 40, 9000, 400);

    assertThat(results.winRate()).isEqualTo(0.6);
    assertThat(results.tieRate()).isEqualTo(0.25);
    assertThat(results.lossRate()).isEqualTo(0.15);
    // Agreement: tuned on 0–9, tie on 12–16 ties of the judge vs F1's 10–17: 12–16 agree (5),
    // base on 18–19 agree (2): 10 + 5 + 2 = 17 of 20.
    assertThat(results.agreement()).isEqualTo(0.85);
    assertThat(results.decisive()).isEqualTo(12);
    assertThat(results.decisiveAgreed()).isEqualTo(12);

    // The same resamples drawn here: 2000 of 20 indices from SplittableRandom(15).
    SplittableRandom random = new SplittableRandom(15);
    double[] wins = new double[2000];
    double[] nets = new double[2000];
    for (int r = 0; r < 2000; r++) {
      int won = 0;
      int lost = 0;
      for (int k = 0; k < 20; k++) {
        int i = random.nextInt(20);
        won += i < 12 ? 1 : 0;
        lost += i >= 17 ? 1 : 0;
      }
      wins[r] = won / 20.0;
      nets[r] = (won - lost) / 20.0;
    }
    Arrays.sort(wins);
    Arrays.sort(nets);
    // Positions ⌊0.025 · 2000⌋ = 50 and ⌈0.975 · 2000⌉ − 1 = 1949.
    assertThat(results.winInterval().low()).isCloseTo(wins[50], within(1e-12));
    assertThat(results.winInterval().high()).isCloseTo(wins[1949], within(1e-12));
    assertThat(results.netInterval().low()).isCloseTo(nets[50], within(1e-12));
    assertThat(results.netInterval().high()).isCloseTo(nets[1949], within(1e-12));
    assertThat(results.netInterval().low()).as("12 wins to 3 losses is clear").isPositive();
    assertThat(results.sentence()).startsWith("The judge prefers the tuned model: wins − losses");
    assertThat(results.rates().getFirst()).startsWith("Tuned wins: 12, 60.0 % (95 % CI ");
    assertThat(results.agreementSentence())
        .startsWith("The judge and field F1 prefer the same model (or neither) on 85.0 %")
        .endsWith(
            "on the 12 examples where field F1 prefers a model, the judge picks that model in 12.");
    assertThat(results.cost())
        .isEqualTo(
            "40 calls to the judge, 9,000 prompt + 400 completion tokens as the endpoint reported them");

    JudgeResults stored =
        JudgeWork.JSON.readValue(JudgeWork.JSON.writeValueAsString(results), JudgeResults.class);
    assertThat(stored).isEqualTo(results);
  }

  @Test
  void fieldF1PrefersTheHigherScoreAndUndefinedIsNeither() {
    assertThat(Preference.byScore(0.5, 1.0)).isEqualTo(Preference.TUNED);
    assertThat(Preference.byScore(1.0, 0.5)).isEqualTo(Preference.BASE);
    assertThat(Preference.byScore(1.0, 1.0)).isEqualTo(Preference.TIE);
    assertThat(Preference.byScore(null, 1.0)).isEqualTo(Preference.TIE);
  }

  @Test
  void thePromptShowsTheRequestTheReferenceAndBothAnswersInTheOrderGiven() {
    String prompt =
        JudgePrompt.user(
            List.of(new PromptMessage("user", "Extract the total")), "{\"t\":1}", "one", "two");
    assertThat(prompt)
        .startsWith("Compare two answers to the same request.")
        .contains("user: Extract the total", "[Reference answer]\n{\"t\":1}")
        .contains("[Answer A]\none\n\n[Answer B]\ntwo")
        .endsWith("{\"winner\": \"A\" or \"B\" or \"tie\", \"reason\": \"one sentence\"}");
    assertThat(JudgePrompt.template()).startsWith("System: " + JudgePrompt.SYSTEM);
  }

  private static Judgement judgement(int index, String baseFirst, String tunedFirst) {
    return new Judgement(
        java.util.UUID.randomUUID(),
        index,
        "{\"winner\": \"" + baseFirst + "\"}",
        "{\"winner\": \"" + tunedFirst + "\"}",
        100,
        5);
  }
}
