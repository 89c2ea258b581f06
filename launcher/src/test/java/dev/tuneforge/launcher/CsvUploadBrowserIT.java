package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.tuneforge.app.dataset.split.DatasetSplit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A member uploads SROIE receipts as CSV (OCR text with commas and newlines, answers with quotes in
 * quoted fields), maps its columns in the browser, chooses a seeded random validation split, and
 * sees the quality report and the training and validation counts; then derives a version with
 * personal data redacted. A CSV with an unclosed quote is refused, naming its line. Then a
 * LLaMA-Factory dataset_info.json is uploaded before the pretty-printed JSON array it maps, which
 * is stored row for row, and an array with a row missing its answer is refused, naming the row.
 */
class CsvUploadBrowserIT {
  private static final int ROWS = 40;
  private static final double PERCENT = 20;
  private static final long SEED = 7;

  @TempDir static Path data;
  @RegisterExtension static final BrowserPlatform env = new BrowserPlatform(s -> s);

  @Test
  void aMemberMapsACsvFilesColumnsAndSplitsOffValidationRows() throws IOException {
    Page page = env.browser().newContext().newPage();
    signIn(page, "admin", env.platform().adminPassword());
    BrowserSupport.createTenantAndMember(
        page, env.platform().baseUrl(), "csv-team", "carol", "carol-password");

    signIn(page, "carol", "carol-password");
    page.navigate(env.platform().baseUrl() + "/datasets");

    Path broken =
        Files.writeString(
            data.resolve("broken.csv"),
            "question,answer\r\nWhat is the total?,9.00\r\nAnd the date?,\"never closed\r\n");
    page.locator("#dataset-name input").fill("broken");
    page.locator("#dataset-upload input[type=file]").setInputFiles(broken);
    assertThat(page.locator("#csv-mapping")).isVisible();
    page.locator("#store-dataset").click();
    assertThat(page.locator("#upload-problems")).containsText("Nothing was stored");
    assertThat(page.locator("#upload-problems"))
        .containsText("line 3: a quoted field (column 2) is never closed; the file ends inside it");
    page.locator("#cancel-upload").click();

    Receipts receipts = receiptsCsv();
    page.locator("#dataset-name input").fill("receipts-csv");
    choose(page, "#split-kind", "Random share (seeded)");
    page.locator("#split-percent input").fill(String.valueOf((int) PERCENT));
    page.locator("#split-seed input").fill(String.valueOf(SEED));
    page.locator("#split-seed input").press("Tab");
    page.locator("#dataset-upload input[type=file]").setInputFiles(receipts.file());
    assertThat(page.locator("#pending-upload")).containsText("receipts.csv: choose which columns");
    choose(page, "#csv-user-column", "receipt_text");
    choose(page, "#csv-assistant-column", "expected_fields");
    choose(page, "#csv-system-column", "instruction");
    page.locator("#store-dataset").click();

    int training = ROWS - receipts.validationRows();
    assertThat(receipts.validationRows())
        .as("the seed gives some validation rows")
        .isBetween(3, 15);
    assertThat(page.locator("#upload-split"))
        .hasText(
            "Stored "
                + training
                + " training rows and "
                + receipts.validationRows()
                + " validation rows (split: random 20% (seed 7)).");
    assertThat(page.locator("#upload-report #quality-rows")).hasText(ROWS + " rows");
    assertThat(page.locator("#upload-report #quality-keys-chart")).isVisible();
    Locator grid = page.locator("#datasets-grid");
    assertThat(grid).containsText("receipts-csv");
    assertThat(grid).containsText("random 20% (seed 7)");
    assertThat(grid).not().containsText("broken");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", "csv-upload.png"))
            .setFullPage(true));

    page.locator("vaadin-grid-cell-content", new Page.LocatorOptions().setHasText("receipts-csv"))
        .first()
        .click();
    assertThat(page.locator("#preview-counts"))
        .hasText(
            training
                + " training rows, "
                + receipts.validationRows()
                + " validation rows (split: random 20% (seed 7))");
    assertThat(page.locator("#dataset-preview-validation")).containsText("\"role\":\"system\"");
    assertThat(page.locator("#dataset-preview")).containsText(receipts.firstTrainingCompany());

    page.locator("#derive-redact").click();
    page.locator("#derive-dedupe").click();
    page.locator("#derive-version").click();
    assertThat(grid).containsText("v2");
    assertThat(grid).containsText("v1, personal data redacted, 0 duplicate rows removed");
    assertThat(page.locator("#upload-split"))
        .hasText(
            "Stored "
                + training
                + " training rows and "
                + receipts.validationRows()
                + " validation rows (split: random 20% (seed 7)).");
    assertThat(page.locator("#upload-report #quality-personal-data"))
        .containsText("redacted in the training file");

    uploadsAJsonArrayWithItsDatasetInfo(page);
    uploadsToolCallsAndPreviewsThemTurnByTurn(page);
  }

  /** Calls and their results stand apart from text in the preview, each with what it names. */
  private static void uploadsToolCallsAndPreviewsThemTurnByTurn(Page page) {
    page.locator("#dataset-name input").fill("weather-tools");
    page.locator("#dataset-upload input[type=file]")
        .setInputFiles(PlatformTestSupport.toolCallFixture());
    assertThat(page.locator("#upload-split"))
        .hasText("Stored 3 training rows; no validation rows.");
    assertThat(page.locator("#upload-report #quality-tool-calls")).containsText("3 rows use tools");

    page.locator("vaadin-grid-cell-content", new Page.LocatorOptions().setHasText("weather-tools"))
        .first()
        .click();
    Locator preview = page.locator("#dataset-preview");
    assertThat(preview.locator(".turn-tools").first()).hasText("tools: get_weather");
    assertThat(preview.locator(".turn-tool-call").first())
        .hasText("assistant calls get_weather {\"city\": \"Paris\"} (call_1)");
    assertThat(preview.locator(".turn-tool-result").first())
        .hasText("tool result (call_1): {\"temp\": 21}");
    assertThat(preview.locator(".turn-assistant").first())
        .hasText("assistant: Paris 21 °C, Berlin 17 °C.");
    page.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", "tool-call-preview.png"))
            .setFullPage(true));
  }

  private static void uploadsAJsonArrayWithItsDatasetInfo(Page page) throws IOException {
    choose(page, "#split-kind", "No validation set");
    Path info =
        Files.writeString(
            data.resolve("dataset_info.json"),
            "{\n  \"orders\": {\n    \"file_name\": \"orders.json\",\n"
                + "    \"columns\": {\"prompt\": \"question\", \"response\": \"answer\"}\n  }\n}\n");
    page.locator("#dataset-upload input[type=file]").setInputFiles(info);
    assertThat(page.locator("#dataset-info"))
        .containsText("orders (orders.json): alpaca; prompt → \"question\", response → \"answer\"");

    StringBuilder rows = new StringBuilder("[\n");
    for (int i = 0; i < 12; i++) {
      rows.append(i == 0 ? "" : ",\n")
          .append("  {\n    \"question\": \"Where is order ")
          .append(i)
          .append("?\",\n    \"answer\": \"Shipped.\",\n    \"meta\": {\"tags\": [\"a\"]}\n  }");
    }
    page.locator("#dataset-name input").fill("orders");
    page.locator("#dataset-upload input[type=file]")
        .setInputFiles(Files.writeString(data.resolve("orders.json"), rows + "\n]\n"));
    assertThat(page.locator("#upload-split"))
        .hasText("Stored 12 training rows; no validation rows.");
    assertThat(page.locator("#datasets-grid")).containsText("orders");

    page.locator("#dataset-name input").fill("orders-broken");
    page.locator("#dataset-upload input[type=file]")
        .setInputFiles(
            Files.writeString(
                data.resolve("orders.json"),
                "[\n  {\"question\": \"q\", \"answer\": \"a\"},\n  {\"question\": \"q\"}\n]\n"));
    assertThat(page.locator("#upload-problems")).containsText("Nothing was stored");
    assertThat(page.locator("#upload-problems"))
        .containsText("row 2 (index 1): missing \"answer\"");
    page.locator("#forget-dataset-info").click();
    assertThat(page.locator("#dataset-info")).isHidden();
  }

  private static void choose(Page page, String select, String item) {
    // Playwright hands the pattern to JavaScript, which has no \Q…\E quoting.
    BrowserSupport.choose(
        page, select, Pattern.compile("^\\s*" + item.replaceAll("\\W", "\\\\$0") + "\\s*$"));
    assertThat(page.locator(select)).containsText(item);
  }

  private record Receipts(Path file, int validationRows, String firstTrainingCompany) {}

  /**
   * The first SROIE receipts as CSV: OCR text (commas, newlines), the answer JSON (quotes, commas)
   * and the instruction, each quoted as RFC 4180 says; records end in CRLF. Counts the validation
   * rows the split must give, from each record's first line.
   */
  private static Receipts receiptsCsv() throws IOException {
    JsonMapper json = JsonMapper.builder().build();
    DatasetSplit.Random split = new DatasetSplit.Random(PERCENT, SEED);
    StringBuilder csv = new StringBuilder("id,instruction,receipt_text,expected_fields\r\n");
    int line = 2;
    int validation = 0;
    String firstTrainingCompany = null;
    List<String> rows =
        Files.readAllLines(PlatformTestSupport.sroieTrainingFile()).subList(0, ROWS);
    for (String row : rows) {
      JsonNode receipt = json.readTree(row);
      JsonNode messages = receipt.get("messages");
      String text = messages.get(1).get("content").asString();
      String answer = messages.get(2).get("content").asString();
      String record =
          String.join(
              ",",
              receipt.get("id").asString(),
              quoted(messages.get(0).get("content").asString()),
              quoted(text),
              quoted(answer));
      if (split.validation(line)) {
        validation++;
      } else if (firstTrainingCompany == null) {
        firstTrainingCompany = json.readTree(answer).get("company").asString();
      }
      csv.append(record).append("\r\n");
      line += 1 + (int) record.chars().filter(c -> c == '\n').count();
    }
    assertThat(csv.toString()).contains("\"\"company\"\"").contains(",\n");
    return new Receipts(
        Files.writeString(data.resolve("receipts.csv"), csv), validation, firstTrainingCompany);
  }

  private static String quoted(String field) {
    return "\"" + field.replace("\"", "\"\"") + "\"";
  }

  private static void signIn(Page page, String username, String password) {
    BrowserSupport.signIn(page, env.platform().baseUrl(), username, password);
  }
}
