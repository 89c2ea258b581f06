package dev.tuneforge.trainingnode.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.tuneforge.chat.ChatDataset;
import dev.tuneforge.chat.ChatEncoder;
import dev.tuneforge.chat.EncodedExample;
import dev.tuneforge.protocol.LoraSettings;
import dev.tuneforge.trainingnode.model.DemoModelWriter;
import dev.tuneforge.trainingnode.model.LlamaModel;
import dev.tuneforge.trainingnode.model.TokenBatch;
import dev.tuneforge.trainingnode.train.Batches;
import dev.tuneforge.trainingnode.train.Trainer;
import dev.tuneforge.trainingnode.train.TrainingSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Packing against padding on SROIE receipts: the padding share of the batches each way, then the
 * same steps (same examples per step) trained each way on the demo model, as real (non-padding)
 * tokens per second and the mean loss, which should agree.
 */
public final class PackingBenchmark {

  static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("train", "../shared/datasets/sroie/train.jsonl"),
          Map.entry("max-length", "1024"),
          Map.entry("batch", "4"),
          Map.entry("steps", "10"),
          Map.entry("hidden", "64"),
          Map.entry("layers", "2"),
          Map.entry("heads", "4"),
          Map.entry("kv-heads", "2"),
          Map.entry("intermediate", "172"),
          Map.entry("seed", "42"),
          Map.entry("threads", "2"));

  private PackingBenchmark() {}

  public static void main(String[] args) throws Exception {
    BenchArgs options = BenchArgs.parse(args, DEFAULTS);
    int threads = options.applyThreads();
    int maxLength = options.integer("max-length");
    int batch = options.integer("batch");
    int steps = options.integer("steps");
    Path modelDir = Files.createTempDirectory("tuneforge-bench-packing");
    DemoModelWriter.builder()
        .optSeed(options.integer("seed"))
        .optHiddenSize(options.integer("hidden"))
        .optLayers(options.integer("layers"))
        .optHeads(options.integer("heads"), options.integer("kv-heads"))
        .optIntermediateSize(options.integer("intermediate"))
        .build()
        .writeTo(modelDir);
    List<EncodedExample> examples;
    long padId;
    try (HuggingFaceTokenizer tokenizer = ChatEncoder.loadTokenizer(modelDir)) {
      examples =
          ChatEncoder.forModel(modelDir, tokenizer, maxLength)
              .encodeAll(ChatDataset.read(Path.of(options.text("train"))));
      padId = ChatEncoder.padTokenId(modelDir, tokenizer);
    }
    List<TokenBatch> padded = new ArrayList<>();
    for (int from = 0; from < examples.size(); from += batch) {
      padded.add(
          Batches.collate(examples.subList(from, Math.min(from + batch, examples.size())), padId));
    }
    // As the trainer packs: each step's examples (here batchSize of them) into rows of maxLength.
    List<TokenBatch> packed = new ArrayList<>();
    for (int from = 0; from < examples.size(); from += batch) {
      packed.addAll(
          Batches.pack(
              examples.subList(from, Math.min(from + batch, examples.size())),
              maxLength,
              batch,
              padId));
    }
    System.out.printf(
        Locale.ROOT,
        "SROIE: %d examples, mean %.0f tokens, longest %d; max length %d, batch %d, %d thread(s)%n",
        examples.size(),
        examples.stream().mapToInt(EncodedExample::length).average().orElseThrow(),
        examples.stream().mapToInt(EncodedExample::length).max().orElseThrow(),
        maxLength,
        batch,
        threads);
    report("padded", padded);
    report("packed", packed);

    LoraSettings lora = new LoraSettings(16, 32, 0, LlamaModel.PROJECTIONS);
    for (boolean packing : new boolean[] {false, true, false, true}) {
      try (LlamaModel model = LlamaModel.load(modelDir, lora, 42)) {
        Trainer trainer =
            Trainer.builder()
                .setModel(model)
                .setExamples(examples, padId)
                .optBatchSize(batch)
                .optMaxSteps(steps)
                .optLearningRate(5e-3)
                .optSeed(42)
                .optPacking(packing ? maxLength : 0)
                .build();
        long started = System.nanoTime();
        TrainingSummary summary = trainer.train();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "  %s training: %d steps in %.1f s, %.0f real tokens/s, mean loss %.4f%n",
            packing ? "packed" : "padded",
            summary.steps(),
            seconds,
            summary.trainedTokens() / seconds,
            summary.losses().stream().mapToDouble(Double::doubleValue).average().orElseThrow());
      }
    }
  }

  private static void report(String what, List<TokenBatch> batches) {
    long cells = batches.stream().mapToLong(b -> (long) b.batchSize() * b.length()).sum();
    long real = batches.stream().mapToLong(TokenBatch::realTokens).sum();
    System.out.printf(
        Locale.ROOT,
        "  %s: %d rows in %d micro-batches, %d token positions, padding %.1f %%%n",
        what,
        batches.stream().mapToInt(TokenBatch::batchSize).sum(),
        batches.size(),
        cells,
        100.0 * (cells - real) / cells);
  }
}
