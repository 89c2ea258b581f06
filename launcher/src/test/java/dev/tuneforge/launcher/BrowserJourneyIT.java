package dev.tuneforge.launcher;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import dev.tuneforge.modelformat.gguf.GgufFile;
import dev.tuneforge.modelformat.gguf.GgufType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The newcomer's journey in a real browser (Debian's chromium) against the whole local platform
 * with its real training node: the admin creates a tenant and a member; the member uploads SROIE
 * receipts, launches a LoRA fine-tune of the demo model, watches it live and downloads the adapter;
 * then exports the merged model (merged on the real node, sharded as the platform is set to) and
 * downloads it, and its logits equal the base's with the adapter beside it, both computed by the
 * independent PyTorch reference; last it downloads the merged model's Q8_0 GGUF and the Ollama
 * Modelfile that names it.
 */
class BrowserJourneyIT {

  @TempDir static Path data;

  /** Small enough that the demo model's merged weights come in several shards, as large ones do. */
  private static final String SHARD_SIZE = "150KB";

  @RegisterExtension
  static final BrowserPlatform env =
      new BrowserPlatform(
          s -> s.withAppProperties(Map.of("tuneforge.nodes.merge-max-shard-size", SHARD_SIZE)));

  @Test
  void aTeamFineTunesTheDemoModelEndToEnd() throws Exception {
    Page admin =
        env.browser()
            .newContext(new Browser.NewContextOptions().setAcceptDownloads(true))
            .newPage();
    signIn(admin, "admin", env.platform().adminPassword());

    BrowserSupport.createTenantAndMember(
        admin, env.platform().baseUrl(), "acme", "alice", "alice-password");

    Page member = admin;
    signIn(member, "alice", "alice-password");
    member.navigate(env.platform().baseUrl() + "/datasets");

    Path bad = data.resolve("broken.jsonl");
    Files.writeString(
        bad,
        "{\"messages\":[{\"role\":\"assistant\",\"content\":\"ok\"}]}\n{\"messages\": oops}\n");
    member.locator("#dataset-name input").fill("broken");
    member.locator("#dataset-upload input[type=file]").setInputFiles(bad);
    assertThat(member.locator("#upload-problems")).containsText("line 2: not valid JSON");
    assertThat(member.locator("#upload-problems")).containsText("Nothing was stored");

    Path receipts = sroieSubset(60);
    member.locator("#dataset-name input").fill("receipts");
    member.locator("#dataset-upload input[type=file]").setInputFiles(receipts);
    assertThat(member.locator("#datasets-grid")).containsText("receipts");
    assertThat(member.locator("#datasets-grid")).containsText("60");
    assertThat(member.locator("#datasets-grid")).not().containsText("broken");
    assertThat(member.locator("#upload-report #quality-keys-chart")).isVisible();
    member.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", "datasets.png"))
            .setFullPage(true));

    member.navigate(env.platform().baseUrl() + "/finetunes/new");
    // The form's first render waits for the catalogue and datasets: slow under load.
    assertThat(member.locator("#base-model input"))
        .hasValue(
            Pattern.compile("tuneforge-demo-llama.*"),
            new LocatorAssertions.HasValueOptions().setTimeout(60_000));
    assertThat(member.locator("#dataset input")).hasValue(Pattern.compile("receipts.*"));
    member.locator("#epochs input").fill("3");
    member.locator("#max-steps input").fill("24");
    member.locator("#max-seq-length input").fill("1024");
    member.locator("#learning-rate input").fill("0.002");
    assertThat(member.locator("#evaluation-max-new-tokens input")).hasValue("256");
    member.locator("#evaluation-max-new-tokens input").fill("64");
    Locator accumulation = member.locator("#gradient-accumulation");
    assertThat(accumulation).not().isVisible();
    member.getByText("Advanced training options").click();
    assertThat(accumulation).containsText("effective batch 4 × 1 = 4");
    accumulation.locator("input").fill("2");
    accumulation.locator("input").press("Tab");
    assertThat(accumulation).containsText("effective batch 4 × 2 = 8");
    accumulation.locator("input").fill("1");
    accumulation.locator("input").press("Tab");
    assertThat(accumulation).containsText("effective batch 4 × 1 = 4");
    // 12 of these 60 rows keep no assistant token within 1024 tokens of the demo model's tokenizer.
    assertThat(member.locator("#max-seq-length"))
        .containsText(
            Pattern.compile("[1-9][0-9]* would lose every assistant token and be skipped"),
            new LocatorAssertions.ContainsTextOptions().setTimeout(120_000));
    member.locator("#launch-finetune").click();
    assertThat(member.locator("#truncation-confirm-text"))
        .containsText("rows have no assistant tokens left after truncation at 1024");
    member.locator("#truncation-launch-anyway").click();

    Locator status = member.locator("#job-status");
    assertThat(status).containsText(Pattern.compile("queued|running|succeeded"));
    assertThat(member.locator("#job-summary")).containsText("at most 64 new tokens per answer");
    assertThat(member.locator("#loss-chart"))
        .hasAttribute(
            "data-points",
            Pattern.compile("[1-9][0-9]*"),
            new LocatorAssertions.HasAttributeOptions().setTimeout(240_000));
    assertThat(status)
        .containsText("succeeded", new LocatorAssertions.ContainsTextOptions().setTimeout(420_000));
    assertThat(member.locator("#job-events")).containsText("Succeeded after 24 steps");
    member.screenshot(
        new Page.ScreenshotOptions()
            .setPath(Path.of("target", "screenshots", "finetune-detail.png"))
            .setFullPage(true));

    String href = member.locator("#download-adapter").getAttribute("href");
    com.microsoft.playwright.APIResponse direct =
        member.request().get(env.platform().baseUrl() + href);
    System.out.println(
        "DOWNLOAD "
            + href
            + " -> "
            + direct.status()
            + " "
            + direct.headers()
            + " "
            + direct.body().length);
    Download download = member.waitForDownload(() -> member.locator("#download-adapter").click());
    System.out.println("DOWNLOAD failure: " + download.failure());
    Path adapter = data.resolve("adapter");
    assertThat(unzip(download, adapter))
        .containsExactlyInAnyOrder(
            "adapter_config.json",
            "adapter_model.safetensors",
            "tokenizer.json",
            "tokenizer_config.json",
            "README.md");
    assertThat(Files.readString(adapter.resolve("README.md")))
        .startsWith("---\n")
        .contains("base_model: " + DemoModel.NAME, "library_name: peft");

    member.locator("#export-merged").click();
    assertThat(member.locator("#merged-export-state")).containsText("Merged export");
    assertThat(member.locator("#download-merged"))
        .isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(300_000));
    assertThat(member.locator("#merged-export-state")).hasText("Merged export ready");
    assertThat(member.locator("#export-merged")).not().isVisible();
    Path caseDir = data.resolve("merged");
    List<String> merged =
        unzip(
            member.waitForDownload(() -> member.locator("#download-merged").click()),
            caseDir.resolve("model"));
    assertThat(merged)
        .contains(
            "model.safetensors.index.json",
            "config.json",
            "tokenizer.json",
            "tokenizer_config.json",
            "README.md")
        .doesNotContain("model.safetensors", "adapter_config.json", "model-q8_0.gguf", "Modelfile");
    assertThat(merged.stream().filter(name -> name.matches("model-\\d{5}-of-\\d{5}\\.safetensors")))
        .as("sharded above " + SHARD_SIZE)
        .hasSizeGreaterThan(1);
    MergedLogits.assertEqualToBaseWithAdapter(env.platform(), caseDir, adapter, data);

    // The merged model for Ollama and llama.cpp: the GGUF and the Modelfile that names it.
    Path local = data.resolve("ollama");
    Files.createDirectories(local);
    assertThat(member.locator("#download-gguf-f16")).isVisible();
    assertThat(member.locator("#download-gguf-q4_k_m")).isVisible();
    Download gguf = member.waitForDownload(() -> member.locator("#download-gguf-q8_0").click());
    assertThat(gguf.suggestedFilename()).isEqualTo("model-q8_0.gguf");
    gguf.saveAs(local.resolve("model-q8_0.gguf"));
    Download modelfile =
        member.waitForDownload(() -> member.locator("#download-modelfile").click());
    modelfile.saveAs(local.resolve("Modelfile"));
    GgufFile read = GgufFile.read(local.resolve("model-q8_0.gguf"));
    assertThat(read.metadata()).containsEntry("general.architecture", "llama");
    assertThat(read.tensor("blk.0.attn_q.weight").type()).isEqualTo(GgufType.Q8_0);
    assertThat(Files.readString(local.resolve("Modelfile")))
        .startsWith("FROM ./model-q8_0.gguf\nTEMPLATE \"\"\"");
  }

  private static void signIn(Page page, String username, String password) {
    BrowserSupport.signIn(page, env.platform().baseUrl(), username, password);
  }

  private static Path sroieSubset(int rows) throws IOException {
    List<String> lines =
        Files.readAllLines(PlatformTestSupport.sroieTrainingFile()).subList(0, rows);
    Path subset = data.resolve("sroie-train.jsonl");
    Files.write(subset, lines);
    return subset;
  }

  /** Saves the download, unzips it into {@code dir} and returns its names, none of them empty. */
  private static List<String> unzip(Download download, Path dir) throws IOException {
    Path zip = dir.resolveSibling(dir.getFileName() + ".zip");
    download.saveAs(zip);
    Files.createDirectories(dir);
    List<String> names = new ArrayList<>();
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        names.add(e.getName());
        byte[] bytes = in.readAllBytes();
        assertThat(bytes.length).as(e.getName()).isPositive();
        Files.write(dir.resolve(e.getName()), bytes);
      }
    }
    return names;
  }
}
