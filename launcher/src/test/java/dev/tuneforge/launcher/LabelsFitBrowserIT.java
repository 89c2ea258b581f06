package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.tuneforge.launcher.PlatformTestSupport.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.evaluation.EvaluationService;
import dev.tuneforge.app.evaluation.JudgePrompt;
import dev.tuneforge.app.finetune.FineTuneJob;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.app.teacher.TeacherService;
import dev.tuneforge.protocol.EvaluationExample;
import dev.tuneforge.protocol.EvaluationSummary;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.PromptMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * At 1280 × 800 in chromium, no field label of the new fine-tune form (advanced options open) or of
 * the evaluation page is cut off or runs past its field or the window: each label's box is measured
 * against the room it has. The evaluation page shows the LLM judge, off, with its prompt.
 */
class LabelsFitBrowserIT {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Every visible labelled Vaadin field whose label part is narrower than its text (ellipsis) or
   * whose label reaches past the field or the window: "label text (id)".
   */
  private static final String CLIPPED_LABELS =
      """
      () => [...document.querySelectorAll('[has-label]')]
        .filter(field => field.getClientRects().length > 0)
        .filter(field => {
          const part = field.shadowRoot && field.shadowRoot.querySelector('[part~="label"]');
          const label = field.querySelector(':scope > label[slot="label"]') || part;
          if (!part || !label) return false;
          const box = label.getBoundingClientRect();
          const room = field.getBoundingClientRect();
          return part.scrollWidth > part.clientWidth + 1
            || label.scrollWidth > label.clientWidth + 1
            || box.right > room.right + 1
            || box.right > window.innerWidth;
        })
        .map(field => field.label + ' (' + (field.id || field.localName) + ')')
      """;

  /** Every visible grid whose columns are wider than the grid, so that some are cut off: ids. */
  private static final String CUT_GRIDS =
      """
      () => [...document.querySelectorAll('vaadin-grid')]
        .filter(grid => grid.getClientRects().length > 0)
        .filter(grid => {
          const table = grid.shadowRoot && grid.shadowRoot.querySelector('#table');
          return table && table.scrollWidth > table.clientWidth + 1;
        })
        .map(grid => grid.id || 'grid')
      """;

  @TempDir static Path data;

  @RegisterExtension
  static final BrowserPlatform env = new BrowserPlatform(s -> s.withStartNode(false));

  @Test
  void noLabelOfTheFineTuneFormOrTheEvaluationPageIsClippedAt1280By800() throws IOException {
    ApplicationContext app = env.platform().context();
    SignedInUser member = PlatformTestSupport.memberOfNewTenant(app, "Labels Co", "lena");
    FineTuneJob job = evaluatedJob(app, member);
    as(
        member,
        () ->
            app.getBean(TeacherService.class)
                .addEndpoint("judge", "https://judge.example.com/v1", "judge-model", "sk-x"));

    // Generous waits: the build machine is shared and a cold Vaadin page can take seconds.
    com.microsoft.playwright.assertions.PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    Page page =
        env.browser()
            .newContext(new Browser.NewContextOptions().setViewportSize(1280, 800))
            .newPage();
    page.setDefaultTimeout(30_000);
    BrowserSupport.signIn(page, env.platform().baseUrl(), "lena", "correct-horse-1");

    page.navigate(env.platform().baseUrl() + "/finetunes/new");
    assertThat(page.locator("#launch-finetune")).isVisible();
    page.getByText("Advanced training options").click();
    assertThat(page.locator("#early-stopping-metric")).isVisible();
    page.locator("#retention-check").click();
    assertThat(clipped(page)).as("clipped labels on the new fine-tune form").isEmpty();
    assertThat(evaluate(page, CUT_GRIDS)).as("grids cut off on the form").isEmpty();
    BrowserSupport.screenshot(page, "new-finetune-1280.png");

    page.navigate(env.platform().baseUrl() + "/finetunes/" + job.getId() + "/evaluation");
    assertThat(page.locator("#examples-grid")).isVisible();
    assertThat(page.locator("#judge-status")).hasText("Not judged.");
    assertThat(page.locator("#judge-prompt")).containsText(JudgePrompt.SYSTEM);
    assertThat(page.locator("#judge-start")).isDisabled();
    assertThat(clipped(page)).as("clipped labels on the evaluation page").isEmpty();
    assertThat(evaluate(page, CUT_GRIDS)).as("grids cut off on the evaluation page").isEmpty();
    BrowserSupport.screenshot(page, "evaluation-1280.png");

    // The measurement sees a clipped label: the same select, squeezed.
    page.evaluate(
        "() => { Object.assign(document.querySelector('#judge-endpoint').style,"
            + " {minWidth: '0', width: '40px'}); }");
    assertThat(clipped(page)).containsExactly("Judge with (judge-endpoint)");
  }

  private static List<String> clipped(Page page) {
    return evaluate(page, CLIPPED_LABELS);
  }

  @SuppressWarnings("unchecked")
  private static List<String> evaluate(Page page, String script) {
    // Fonts and the form's layout settle after the first paint.
    page.waitForTimeout(500);
    return (List<String>) page.evaluate(script);
  }

  /**
   * A job of the member's whose evaluation, six made-up receipts, is stored as a node leaves it.
   */
  private static FineTuneJob evaluatedJob(ApplicationContext app, SignedInUser member)
      throws IOException {
    FineTuneJob job = PlatformTestSupport.queuedJob(app, member, data, "labels-receipts");
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String expected = "{\"company\":\"Shop " + i + "\",\"total\":\"" + i + ".00\"}";
      lines.add(
          JSON.writeValueAsString(
              new EvaluationExample(
                  i,
                  List.of(new PromptMessage("user", "receipt " + i)),
                  expected,
                  "{\"company\":\"Shop\"}",
                  expected,
                  4,
                  12,
                  "eos",
                  "eos",
                  null,
                  null,
                  null,
                  null)));
    }
    String prefix = ObjectKeys.jobEvaluation(job.getTenantId(), job.getId(), job.getLeaseId());
    ObjectStorage storage = app.getBean(ObjectStorage.class);
    Path generations = data.resolve("generations.jsonl");
    Files.writeString(generations, String.join("\n", lines) + "\n");
    storage.put(prefix + JobFolder.GENERATIONS, generations, "application/json");
    Path summary = data.resolve("summary.json");
    Files.writeString(
        summary,
        JSON.writeValueAsString(new EvaluationSummary(6, "greedy", 64, null, null, 2, 96, null)));
    storage.put(prefix + JobFolder.SUMMARY, summary, "application/json");
    as(member, () -> app.getBean(EvaluationService.class).ingest(job.getId())).orElseThrow();
    return job;
  }
}
