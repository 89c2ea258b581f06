package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.FileChooser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.app.account.Role;
import dev.tuneforge.app.account.SignedInUser;
import dev.tuneforge.app.catalog.BaseModel;
import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.storage.MultipartStorage;
import dev.tuneforge.app.storage.ObjectKeys;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The platform admin registers a sharded BF16 model folder an operator mirrored into the bucket
 * through the catalogue page, and uploads one from the browser straight to object storage; broken
 * ones are refused with the file named and leave nothing; the admin reads the model's detail:
 * facts, the chat template on an example, memory by method. A team member then finds it on the page
 * and in the new fine-tune form, without the admin's import form. A tenant admin's upload outlives
 * a page reload: the page offers to resume it, and choosing the same folder sends only what storage
 * lacks; another tenant's admin is offered nothing, and a cancelled upload leaves nothing.
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

  @Test
  void aTenantAdminsUploadResumesAfterAReloadAndACancelledOneLeavesNothing() throws IOException {
    ApplicationContext app = env.platform().context();
    SignedInUser alice =
        PlatformTestSupport.userOfNewTenant(app, "resume-team", "alice-admin", Role.TENANT_ADMIN);
    PlatformTestSupport.userOfNewTenant(app, "other-team", "bruno-admin", Role.TENANT_ADMIN);
    Path model = data.resolve("resumable");
    DemoModelWriter.builder()
        .optArchitecture("Qwen2ForCausalLM")
        .optDataType(DataType.BF16)
        .optShards(3)
        .build()
        .writeTo(model);
    List<Path> files;
    try (Stream<Path> listed = Files.list(model)) {
      files = listed.sorted().toList();
    }
    String base = env.platform().baseUrl();
    Page page = env.browser().newContext().newPage();
    BrowserSupport.signIn(page, base, "alice-admin", "correct-horse-1");
    page.navigate(base + "/models");

    // Every file is one part (64 MiB parts): storage takes three, then the page is reloaded.
    startUploadAndReloadAfter(page, "Acme/Resumed-Qwen", model, 3);
    Locator resume = page.locator("#model-upload-resume .resume-model-upload");
    assertThat(resume)
        .containsText("Resume upload of Acme/Resumed-Qwen (3 of " + files.size() + " files, ");
    BrowserSupport.screenshot(page, "catalog-resume-offer.png");

    Page other = env.browser().newContext().newPage();
    BrowserSupport.signIn(other, base, "bruno-admin", "correct-horse-1");
    other.navigate(base + "/models");
    assertThat(other.locator("#model-folder-upload .choose-folder")).isVisible();
    assertThat(other.locator(".resume-model-upload")).hasCount(0);
    other.context().close();

    AtomicInteger resent = new AtomicInteger();
    page.route(
        url -> url.contains("partNumber="),
        route -> {
          if (route.request().method().equals("PUT")) {
            resent.incrementAndGet();
          }
          route.resume();
        });
    FileChooser chooser = page.waitForFileChooser(resume::click);
    chooser.setFiles(model);
    assertThat(page.locator("#import-outcome")).containsText("Registered Acme/Resumed-Qwen", LONG);
    assertThat(page.locator("#model-upload-progress-text")).containsText("100 %");
    page.unrouteAll();
    assertThat(resent.get()).as("parts sent after the reload").isEqualTo(files.size() - 3);
    assertThat(page.locator("#models-grid")).containsText("Acme/Resumed-Qwen");
    assertThat(resume).hasCount(0);
    BaseModel registered =
        PlatformTestSupport.as(
                alice, () -> app.getBean(CatalogService.class).findByName("Acme/Resumed-Qwen"))
            .orElseThrow();
    ObjectStorage storage = app.getBean(ObjectStorage.class);
    for (Path file : files) {
      try (InputStream stored = storage.open(registered.getObjectPrefix() + file.getFileName())) {
        assertThat(stored.readAllBytes())
            .as("%s arrives whole", file.getFileName())
            .isEqualTo(Files.readAllBytes(file));
      }
    }
    assertThat(registered.getDtypes()).containsExactly("BF16");

    startUploadAndReloadAfter(page, "Acme/Cancelled-Qwen", model, 2);
    assertThat(resume).containsText("Resume upload of Acme/Cancelled-Qwen (2 of ");
    page.locator("#model-upload-resume .cancel-pending-upload").click();
    assertThat(page.locator("#model-upload-progress-text"))
        .hasText("Cancelled; nothing was stored.");
    assertThat(resume).hasCount(0);
    String teamModels = ObjectKeys.tenantPrefix(alice.tenantId()) + ObjectKeys.MODELS;
    assertThat(storage.list(teamModels))
        .as("only the registered model's files")
        .allMatch(key -> key.startsWith(registered.getObjectPrefix()));
    assertThat(app.getBean(MultipartStorage.class).incompleteUploads(teamModels))
        .as("unfinished uploads")
        .isEmpty();
    assertThat(uploadRecords(app)).as("upload records").isZero();
  }

  /**
   * Starts uploading {@code folder} as {@code name}, lets storage take {@code parts} parts and
   * refuses the rest, and reloads the page once they are in.
   */
  private static void startUploadAndReloadAfter(Page page, String name, Path folder, int parts) {
    AtomicInteger puts = new AtomicInteger();
    page.route(
        url -> url.contains("partNumber="),
        route -> {
          if (!route.request().method().equals("PUT") || puts.incrementAndGet() <= parts) {
            route.resume();
          } else {
            route.abort();
          }
        });
    page.locator("#import-name input").fill(name);
    page.locator("#import-name input").press("Tab");
    page.locator("#model-folder-upload input[type=file]").setInputFiles(folder);
    ApplicationContext app = env.platform().context();
    page.waitForCondition(
        () -> partsDone(app, name) >= parts, new Page.WaitForConditionOptions().setTimeout(30_000));
    page.reload();
    page.unrouteAll();
  }

  private static long partsDone(ApplicationContext app, String name) {
    return app.getBean(JdbcClient.class)
        .sql(
            "select coalesce(sum(f.parts_done), 0) from model_upload_file f"
                + " join model_upload u on u.id = f.model_upload_id where u.name = ?")
        .param(name)
        .query(Long.class)
        .single();
  }

  private static long uploadRecords(ApplicationContext app) {
    return app.getBean(JdbcClient.class)
        .sql("select count(*) from model_upload")
        .query(Long.class)
        .single();
  }

  private static void mirror(ObjectStorage storage, Path folder, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : files.toList()) {
        storage.put(prefix + file.getFileName(), file, "application/octet-stream");
      }
    }
  }
}
