package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform admin registers a sharded BF16 model folder an operator mirrored into the bucket
 * through the catalogue page, and uploads one from the browser straight to object storage; broken
 * ones are refused with the file named and leave nothing; the admin reads the model's detail:
 * facts, the chat template on an example, memory by method. A team member then finds it on the page
 * and in the new fine-tune form, without the admin's import form.
 */
class CatalogBrowserIT {
  private static final LocatorAssertions.ContainsTextOptions LONG =
      new LocatorAssertions.ContainsTextOptions().setTimeout(30_000);

  @TempDir static Path data;

  @RegisterExtension
  static final BrowserPlatform env = new BrowserPlatform(s -> s.withStartNode(false));

  @Test
  void anAdminRegistersAMirroredFolderThroughThePageAndEveryTeamSeesItsDetail() throws IOException {
    ObjectStorage storage = env.platform().context().getBean(ObjectStorage.class);
    Path model = data.resolve("tiny-qwen");
    DemoModelWriter.builder()
        .optArchitecture("Qwen2ForCausalLM")
        .optDataType(DataType.BF16)
        .optShards(2)
        .build()
        .writeTo(model);
    mirror(storage, model, "mirror/acme/tiny-qwen/");
    Path broken = data.resolve("broken");
    DemoModelWriter.builder().build().writeTo(broken);
    Files.delete(broken.resolve("tokenizer.json"));
    mirror(storage, broken, "mirror/acme/broken/");

    Page page = env.browser().newContext().newPage();
    String base = env.platform().baseUrl();
    BrowserSupport.signIn(page, base, "admin", env.platform().adminPassword());
    page.navigate(base + "/models");
    assertThat(page.locator("#models-grid")).containsText("tuneforge-demo-llama");

    page.locator("#import-name input").fill("Acme/Broken");
    page.locator("#import-prefix input").fill("mirror/acme/broken/");
    page.locator("#import-register").click();
    assertThat(page.locator("#import-outcome")).containsText("Refused: tokenizer.json", LONG);
    assertThat(page.locator("#models-grid")).not().containsText("Acme/Broken");

    page.locator("#import-name input").fill("Acme/Tiny-Qwen");
    page.locator("#import-revision input").fill("main");
    page.locator("#import-display-name input").fill("Tiny Qwen for receipts");
    page.locator("#import-prefix input").fill("mirror/acme/tiny-qwen/");
    page.locator("#import-register").click();
    assertThat(page.locator("#import-outcome"))
        .containsText("Registered Tiny Qwen for receipts", LONG);
    assertThat(page.locator("#models-grid")).containsText("Acme/Tiny-Qwen");
    assertThat(page.locator("#models-grid")).containsText("BF16");
    BrowserSupport.screenshot(page, "catalog.png");

    List<String> modelObjects = storage.list(ObjectKeys.MODELS);
    page.locator("#import-name input").fill("Acme/Broken-Upload");
    page.locator("#import-revision input").fill("");
    page.locator("#import-display-name input").fill("");
    page.locator("#import-display-name input").press("Tab");
    page.locator("#model-folder-upload input[type=file]").setInputFiles(broken);
    assertThat(page.locator("#import-outcome")).containsText("Refused: tokenizer.json", LONG);
    assertThat(storage.list(ObjectKeys.MODELS))
        .as("a refused upload leaves nothing")
        .isEqualTo(modelObjects);

    page.locator("#import-name input").fill("Acme/Uploaded-Qwen");
    // A person's click on the folder button leaves the field, which sends its value; so here.
    page.locator("#import-name input").press("Tab");
    page.locator("#model-folder-upload input[type=file]").setInputFiles(model);
    assertThat(page.locator("#import-outcome")).containsText("Registered Acme/Uploaded-Qwen", LONG);
    assertThat(page.locator("#model-upload-progress-text")).containsText("100 %");
    assertThat(page.locator("#models-grid")).containsText("Acme/Uploaded-Qwen");
    assertThat(storage.list(ObjectKeys.MODELS).size()).isGreaterThan(modelObjects.size());
    BrowserSupport.screenshot(page, "catalog-uploaded.png");

    page.locator("#models-grid").getByText("Acme/Tiny-Qwen").click();
    assertThat(page.locator("#model-title")).hasText("Tiny Qwen for receipts");
    assertThat(page.locator("#model-facts")).containsText("Architecture: Qwen2ForCausalLM");
    assertThat(page.locator("#model-facts")).containsText("Dtype: BF16");
    assertThat(page.locator("#model-template")).containsText("<|im_start|>user");
    assertThat(page.locator("#model-template")).containsText("\"total\": \"9.90\"");
    // ChatML renders no tools: datasets with tool calls are refused for it at launch.
    assertThat(page.locator("#model-tool-support")).containsText("renders no tools");
    assertThat(page.locator("#model-memory")).containsText("LoRA (r 8)");
    assertThat(page.locator("#model-memory")).containsText("Full");
    assertThat(page.locator("#retire-model")).isVisible();
    BrowserSupport.screenshot(page, "catalog-detail.png");

    BrowserSupport.createTenantAndMember(page, base, "catalog-team", "mia", "mia-password");
    BrowserSupport.signIn(page, base, "mia", "mia-password");
    page.navigate(base + "/models");
    assertThat(page.locator("#models-grid")).containsText("Acme/Tiny-Qwen");
    assertThat(page.locator("#import-register")).hasCount(0);
    page.navigate(base + "/finetunes/new");
    page.locator("#base-model input").click();
    assertThat(
            page.locator(
                "vaadin-combo-box-item",
                new Page.LocatorOptions().setHasText("Tiny Qwen for receipts (Qwen2ForCausalLM)")))
        .hasCount(1);
  }

  private static void mirror(ObjectStorage storage, Path folder, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        storage.put(prefix + file.getFileName(), file, "application/octet-stream");
      }
    }
  }
}
