package dev.tuneforge.trainingnode.jobprocess;

import dev.tuneforge.chat.ChatTemplate;
import dev.tuneforge.modelformat.UnsupportedModelException;
import dev.tuneforge.modelformat.gguf.GgufExport;
import dev.tuneforge.modelformat.gguf.GgufFileType;
import dev.tuneforge.modelformat.gguf.GgufType;
import dev.tuneforge.modelformat.gguf.OllamaModelfile;
import dev.tuneforge.modelformat.safetensors.DataType;
import dev.tuneforge.modelformat.safetensors.SafeTensorsException;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.trainingnode.export.MergedModelExport;
import dev.tuneforge.trainingnode.generate.UnsupportedAdapterException;
import dev.tuneforge.trainingnode.train.CheckpointStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;

/**
 * The child JVM of a merge lease: {@code MergeJobMain <job folder> [--max-shard-bytes N]} merges
 * {@link JobFolder#ADAPTER} into {@link JobFolder#BASE_MODEL}, in the base's dtype, into {@link
 * JobFolder#MERGED_MODEL}, with the {@link JobFolder#LOCAL_RUNTIME_FILES} beside it, printing
 * {@link JobEvent#merge} progress as JSON lines and writing {@link JobFolder#RESULT}, as the
 * training child does.
 */
public final class MergeJobMain {
  public static final String MAX_SHARD_BYTES = "--max-shard-bytes";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private MergeJobMain() {}

  public static void main(String[] args) {
    PrintStream events = System.out;
    System.setOut(System.err);
    if (args.length != 1 && !(args.length == 3 && args[1].equals(MAX_SHARD_BYTES))) {
      System.err.println("usage: MergeJobMain <job folder> [" + MAX_SHARD_BYTES + " N]");
      System.exit(2);
    }
    long maxShardBytes =
        args.length == 3 ? Long.parseLong(args[2]) : MergedModelExport.DEFAULT_MAX_SHARD_BYTES;
    JobResult result = run(Path.of(args[0]), maxShardBytes, events);
    System.exit(result.status() == JobResult.Status.SUCCEEDED ? 0 : 1);
  }

  /** Merges in this JVM, writing events to {@code events}; also writes result.json. */
  public static JobResult run(Path jobDirectory, long maxShardBytes, PrintStream events) {
    JobResult result;
    try {
      Path model = jobDirectory.resolve(JobFolder.BASE_MODEL);
      Path output = jobDirectory.resolve(JobFolder.MERGED_MODEL);
      CheckpointStore.deleteTree(output);
      DataType dataType = MergedModelExport.dataTypeOf(model);
      emit(events, JobEvent.log("merging the adapter into the base model, in " + dataType));
      List<String> files =
          MergedModelExport.builder()
              .setModel(model)
              .setAdapter(jobDirectory.resolve(JobFolder.ADAPTER))
              .setOutput(output)
              .optDataType(dataType)
              .optMaxShardBytes(maxShardBytes)
              .optProgress((done, total, what) -> emit(events, JobEvent.merge(done, total, what)))
              .build()
              .write();
      emit(
          events,
          JobEvent.log(
              String.format(
                  Locale.ROOT,
                  "merged model written: %d weight file%s",
                  files.size(),
                  files.size() == 1 ? "" : "s")));
      writeLocalRuntimeFiles(output, events);
      result = JobResult.succeeded(0, 0);
    } catch (UnsupportedAdapterException
        | UnsupportedModelException
        | SafeTensorsException
        | IllegalArgumentException e) {
      result = JobResult.failed("cannot merge: " + e.getMessage(), 0, 0);
    } catch (IOException e) {
      result = JobResult.failed("the merge failed: " + e.getMessage(), 0, 0);
    } catch (OutOfMemoryError e) {
      result = JobResult.failed("out of memory while merging (" + e.getMessage() + ")", 0, 0);
    } catch (RuntimeException e) {
      e.printStackTrace();
      result = JobResult.failed("internal error: " + e, 0, 0);
    }
    if (result.reason() != null) {
      emit(events, JobEvent.log("failed: " + result.reason()));
    }
    try {
      TrainingJobMain.writeResult(jobDirectory, result);
    } catch (IOException e) {
      return JobResult.failed("could not write " + JobFolder.RESULT + ": " + e.getMessage(), 0, 0);
    }
    return result;
  }

  /**
   * Beside the merged model: GGUF in F16, Q8_0 and Q4_K_M and an Ollama Modelfile for the Q8_0
   * file. A model GGUF export cannot take (an architecture or tokenizer llama.cpp names otherwise)
   * keeps its merged model and says why it has no GGUF.
   */
  static void writeLocalRuntimeFiles(Path merged, PrintStream events) throws IOException {
    String name = "Tuneforge merged model " + merged.toAbsolutePath().getParent().getFileName();
    try {
      GgufExport gguf = GgufExport.read(merged);
      emit(events, JobEvent.log("writing GGUF: " + JobFolder.GGUF_F16));
      gguf.write(merged.resolve(JobFolder.GGUF_F16), GgufType.F16, name);
      emit(events, JobEvent.log("writing GGUF: " + JobFolder.GGUF_Q8_0));
      gguf.write(merged.resolve(JobFolder.GGUF_Q8_0), GgufType.Q8_0, name);
      emit(events, JobEvent.log("writing GGUF: " + JobFolder.GGUF_Q4_K_M));
      gguf.write(merged.resolve(JobFolder.GGUF_Q4_K_M), GgufFileType.Q4_K_M, name);
      Files.writeString(
          merged.resolve(JobFolder.MODELFILE),
          OllamaModelfile.of(JobFolder.GGUF_Q8_0, ChatTemplate.load(merged)));
    } catch (UnsupportedModelException e) {
      for (String file : JobFolder.LOCAL_RUNTIME_FILES) {
        Files.deleteIfExists(merged.resolve(file));
      }
      emit(events, JobEvent.log("no GGUF export for this model: " + e.getMessage()));
      return;
    }
    emit(events, JobEvent.log("wrote GGUF (F16, Q8_0, Q4_K_M) and an Ollama Modelfile"));
  }

  private static void emit(PrintStream events, JobEvent event) {
    events.println(JSON.writeValueAsString(event));
    events.flush();
  }
}
