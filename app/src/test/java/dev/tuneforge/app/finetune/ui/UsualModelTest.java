package dev.tuneforge.app.finetune.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The new fine-tune form preselects a base model only where the choice is no guess: the only model
 * offered, or the one the team's latest fine-tune used.
 */
class UsualModelTest {
  private final UUID demo = UUID.randomUUID();
  private final UUID qwen = UUID.randomUUID();
  private final UUID retired = UUID.randomUUID();

  @Test
  void theOnlyModelOfferedIsPreselected() {
    assertThat(NewFineTuneView.usualModel(List.of(demo), List.of())).isEqualTo(demo);
    assertThat(NewFineTuneView.usualModel(List.of(demo), List.of(retired))).isEqualTo(demo);
  }

  @Test
  void ofSeveralTheLatestFineTunesModelIsPreselectedIfStillOffered() {
    assertThat(NewFineTuneView.usualModel(List.of(demo, qwen), List.of(qwen, demo)))
        .isEqualTo(qwen);
    assertThat(NewFineTuneView.usualModel(List.of(demo, qwen), List.of(retired, demo)))
        .as("the latest job's model is retired: no older job's model instead")
        .isNull();
  }

  @Test
  void ofSeveralWithoutAnyFineTuneNoneIsPreselected() {
    assertThat(NewFineTuneView.usualModel(List.of(demo, qwen), List.of())).isNull();
    assertThat(NewFineTuneView.usualModel(List.of(), List.of(demo))).isNull();
  }
}
