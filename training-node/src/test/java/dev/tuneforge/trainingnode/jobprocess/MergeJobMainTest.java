package dev.tuneforge.trainingnode.jobprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuneforge.modelformat.gguf.GgufFile;
import dev.tuneforge.modelformat.gguf.GgufType;
import dev.tuneforge.modelformat.safetensors.SafeTensors;
import dev.tuneforge.modelformat.safetensors.Tensor;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.generate.LoraFixtures;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TestEngine;
import dev.tuneforge.trainingnode.train.PeftAdapterWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge lease's child writes, beside the merged model, GGUF files of the merged weights (not the
 * base's) and an Ollama Modelfile naming the Q8_0 one.
 */
class MergeJobMainTest {

  static {
    TestEngine.useOneThread();
  }

  @TempDir Path job;

  @Test
  void theMergedModelComesWithGgufFilesAndAModelfile() throws Exception {
    writeBaseAndAdapter(4);
    String events = mergeSucceeds();
    Path merged = job.resolve(JobFolder.MERGED_MODEL);
    assertThat(JobFolder.LOCAL_RUNTIME_FILES)
        .allSatisfy(file -> assertThat(merged.resolve(file)).isNotEmptyFile())
        .allSatisfy(file -> assertThat(JobFolder.isMergedModelFile(file)).isTrue());
    assertThat(events).contains("wrote GGUF (F16, Q8_0, Q4_K_M) and an Ollama Modelfile");
    assertThat(Files.readString(merged.resolve(JobFolder.MODELFILE)))
        .startsWith("FROM ./" + JobFolder.GGUF_Q8_0 + "\n")
        .contains("TEMPLATE \"\"\"", "PARAMETER stop");

    // The values are the merged ones: v_proj has no rotary permutation, and the adapter moved it.
    Map<String, Tensor> mergedWeights = SafeTensors.readFolder(merged);
    Map<String, Tensor> baseWeights = SafeTensors.readFolder(job.resolve(JobFolder.BASE_MODEL));
    String name = "model.layers.1.self_attn.v_proj.weight";
    float[] expected = mergedWeights.get(name).values();
    assertThat(expected).isNotEqualTo(baseWeights.get(name).values());
    GgufFile f16 = GgufFile.read(merged.resolve(JobFolder.GGUF_F16));
    GgufFile q8 = GgufFile.read(merged.resolve(JobFolder.GGUF_Q8_0));
    assertThat(f16.tensor("blk.1.attn_v.weight").type()).isEqualTo(GgufType.F16);
    assertThat(q8.tensor("blk.1.attn_v.weight").type()).isEqualTo(GgufType.Q8_0);
    float[] half = f16.values("blk.1.attn_v.weight");
    float[] quantised = q8.values("blk.1.attn_v.weight");
    float largest = 0;
    for (float value : expected) {
      largest = Math.max(largest, Math.abs(value));
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(half[i]).isEqualTo(Float.float16ToFloat(Float.floatToFloat16(expected[i])));
      assertThat(Math.abs(quantised[i] - expected[i])).isLessThanOrEqualTo(largest / 127 * 0.51f);
    }
    assertThat(f16.metadata()).containsEntry("general.architecture", "llama");
  }

  @Test
  void aModelGgufCannotTakeKeepsItsMergeAndSaysWhy() throws Exception {
    writeBaseAndAdapter(5);
    // A tokenizer neither byte-level BPE nor SentencePiece's.
    Path tokenizer = job.resolve(JobFolder.BASE_MODEL).resolve("tokenizer.json");
    Files.writeString(
        tokenizer, Files.readString(tokenizer).replace("\"ByteLevel\"", "\"Metaspace\""));
    String events = mergeSucceeds();
    Path merged = job.resolve(JobFolder.MERGED_MODEL);
    assertThat(merged.resolve(JobFolder.MODEL_WEIGHTS)).isNotEmptyFile();
    assertThat(JobFolder.LOCAL_RUNTIME_FILES)
        .allSatisfy(file -> assertThat(merged.resolve(file)).doesNotExist());
    assertThat(events)
        .contains("no GGUF export for this model: tokenizer.json: GGUF export needs a byte-level");
  }

  /** Runs the merge child in this JVM; returns its event lines once it succeeded. */
  private String mergeSucceeds() {
    ByteArrayOutputStream events = new ByteArrayOutputStream();
    JobResult result =
        MergeJobMain.run(
            job, Long.MAX_VALUE, new PrintStream(events, true, StandardCharsets.UTF_8));
    assertThat(result.status())
        .as(String.valueOf(result.reason()))
        .isEqualTo(JobResult.Status.SUCCEEDED);
    return events.toString(StandardCharsets.UTF_8);
  }

  private void writeBaseAndAdapter(long seed) throws Exception {
    LoraSettings lora = LoraFixtures.ALL_PROJECTIONS;
    DemoModelWriter.builder().optSeed(seed).build().writeTo(job.resolve(JobFolder.BASE_MODEL));
    try (LlamaModel trained = LlamaModel.load(job.resolve(JobFolder.BASE_MODEL), lora, 3)) {
      LoraFixtures.randomizeLoraB(trained, 8);
      PeftAdapterWriter.write(job.resolve(JobFolder.ADAPTER), lora, "demo", trained.exportLora());
    }
  }
}
