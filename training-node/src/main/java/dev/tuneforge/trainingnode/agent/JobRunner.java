package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.Gpu;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import dev.tuneforge.protocol.JobResult;
import dev.tuneforge.protocol.Lease;
import dev.tuneforge.protocol.MergedFiles;
import dev.tuneforge.trainingnode.jobprocess.MergeJobMain;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Works one lease from files in to result out. Every way a job can go wrong ends in a {@link
 * JobResult}: a failed job is the user's news, never the agent's crash. A job stopped on the app's
 * request reports {@code stopped} once its last checkpoint is uploaded, and uploads no other
 * output.
 */
final class JobRunner {
  private static final int TAIL_LINES = 15;
  static final String MERGE_MAIN = MergeJobMain.class.getName();

  private final NodeOptions options;
  private final AppClient app;
  private final Transfers transfers;
  private final CurrentJob current;
  private final @Nullable Gpu gpu;

  JobRunner(
      NodeOptions options,
      AppClient app,
      Transfers transfers,
      CurrentJob current,
      @Nullable Gpu gpu) {
    this.options = options;
    this.app = app;
    this.transfers = transfers;
    this.current = current;
    this.gpu = gpu;
  }

  JobResult run(Lease lease, EventRelay relay) throws InterruptedException {
    Path jobDir = options.workDir().resolve("jobs").resolve(lease.jobId().toString());
    try {
      return runIn(jobDir, lease, relay);
    } finally {
      removeInputs(lease, jobDir);
    }
  }

  /**
   * Base models run to gigabytes per job; logs, spec, result and adapter stay for a post-mortem.
   */
  private static void removeInputs(Lease lease, Path jobDir) {
    for (String input : lease.inputs().keySet()) {
      try {
        Path file = Transfers.resolveInside(jobDir, input);
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".part"));
      } catch (IOException | IllegalArgumentException e) {
        Log.warn(
            "could not remove input " + input + " of job " + lease.jobId() + ": " + e.getMessage());
      }
    }
  }

  private JobResult runIn(Path jobDir, Lease lease, EventRelay relay) throws InterruptedException {
    Progress progress = new Progress();
    try {
      Files.createDirectories(jobDir);
      String downloadFailure = downloadInputs(lease, jobDir);
      if (downloadFailure != null) {
        return JobResult.failed(downloadFailure, 0, 0);
      }
      Files.write(
          jobDir.resolve(JobFolder.SPEC),
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(lease.spec()));
      // A job that resumes on this node finds its folder as the stopped or lost run left it.
      Files.deleteIfExists(jobDir.resolve(JobFolder.RESULT));
      Files.deleteIfExists(jobDir.resolve(JobFolder.STOP));
      current.workIn(jobDir);
      if (current.cancelled()) {
        return cancelled(progress);
      }
      if (lease.merge()) {
        return merge(lease, jobDir, relay);
      }
      int exitCode;
      CheckpointUploader checkpoints =
          new CheckpointUploader(app, transfers, lease.jobId(), jobDir, relay);
      try (checkpoints) {
        exitCode = runChild(jobDir, relay, progress, checkpoints);
      }
      if (current.cancelled()) {
        return cancelled(progress);
      }
      JobResult result = outcome(jobDir, exitCode);
      return switch (result.status()) {
        case STOPPED -> stopped(result, checkpoints);
        case FAILED -> result;
        case SUCCEEDED -> {
          String uploadFailure = uploadOutputs(lease, jobDir, relay);
          yield uploadFailure == null
              ? result
              : JobResult.failed(uploadFailure, result.steps(), result.trainedTokens());
        }
      };
    } catch (IOException | RuntimeException e) {
      Log.error("job " + lease.jobId() + " failed on the node: " + e);
      return JobResult.failed(
          "the training node could not run the job: " + e.getMessage(),
          progress.steps,
          progress.tokens);
    }
  }

  /**
   * Merges the adapter into its base in a child JVM ({@value #MERGE_MAIN}), then asks the app for
   * upload URLs for exactly the files it wrote and uploads them. A cancel (the app's heartbeat
   * reply) kills the child; one that comes after the child finished stops the merge before it asks
   * for URLs or before its next file, so a cancelled merge uploads nothing more.
   */
  private JobResult merge(Lease lease, Path jobDir, EventRelay relay)
      throws IOException, InterruptedException {
    Path merged = jobDir.resolve(JobFolder.MERGED_MODEL);
    TrainingChild child = new TrainingChild(options);
    List<String> args =
        lease.maxShardBytes() == null
            ? List.of()
            : List.of(MergeJobMain.MAX_SHARD_BYTES, Long.toString(lease.maxShardBytes()));
    Process process = child.start(jobDir, child.command(jobDir, MERGE_MAIN, args));
    current.attach(process);
    Log.info("merge " + lease.jobId() + ": process " + process.pid() + " started");
    TrainingChild.pump(process, jobDir, relay::add);
    int exitCode = process.waitFor();
    if (current.cancelled()) {
      return mergeCancelled(lease, "while merging");
    }
    JobResult result = outcome(jobDir, exitCode);
    if (result.status() != JobResult.Status.SUCCEEDED) {
      return result;
    }
    List<String> files;
    try (Stream<Path> listed = Files.list(merged)) {
      files =
          listed
              .filter(Files::isRegularFile)
              .map(f -> f.getFileName().toString())
              .sorted()
              .toList();
    }
    if (current.cancelled()) {
      return mergeCancelled(lease, "before uploading the merged model");
    }
    Map<String, String> urls;
    try {
      urls = app.mergedFileUrls(lease.jobId(), new MergedFiles(files)).urls();
    } catch (IOException e) {
      return JobResult.failed(
          "the app gave no upload URLs for the merged model: " + e.getMessage(), 0, 0);
    }
    long bytes = 0;
    for (String file : files) {
      String url = urls.get(file);
      if (url == null) {
        return JobResult.failed("the app gave no upload URL for " + file, 0, 0);
      }
      if (current.cancelled()) {
        return mergeCancelled(lease, "before uploading " + file);
      }
      try {
        bytes += Files.size(merged.resolve(file));
        transfers.upload(merged.resolve(file), URI.create(url));
      } catch (IOException e) {
        return JobResult.failed("could not upload " + file + ": " + e.getMessage(), 0, 0);
      }
    }
    relay.add(
        JobEvent.log("uploaded the merged model: " + files.size() + " files, " + bytes + " bytes"));
    return result;
  }

  private static JobResult mergeCancelled(Lease lease, String when) {
    Log.info("merge " + lease.jobId() + " cancelled " + when);
    return JobResult.failed("cancelled", 0, 0);
  }

  /**
   * Downloads the lease's inputs; storage refusing one (its URL outlived) is asked of the app once
   * more, which signs fresh URLs only while this node holds the lease. Null, or why not.
   */
  private @Nullable String downloadInputs(Lease lease, Path jobDir) throws InterruptedException {
    try {
      long total =
          transfers.downloadAll(
              input -> "input " + input,
              lease.inputs(),
              jobDir,
              () -> app.inputUrls(lease.jobId()));
      Log.info(
          "job "
              + lease.jobId()
              + ": downloaded "
              + lease.inputs().size()
              + " inputs, "
              + total
              + " bytes");
      return null;
    } catch (IOException e) {
      return e.getMessage();
    }
  }

  private int runChild(
      Path jobDir, EventRelay relay, Progress progress, CheckpointUploader checkpoints)
      throws IOException, InterruptedException {
    TrainingChild child = new TrainingChild(options, gpu);
    Process process = child.start(jobDir);
    current.attach(process);
    Log.info("job " + jobDir.getFileName() + ": training process " + process.pid() + " started");
    TrainingChild.pump(
        process,
        jobDir,
        event -> {
          progress.record(event);
          relay.add(event);
          checkpoints.accept(event);
        });
    int exitCode = process.waitFor();
    Log.info("job " + jobDir.getFileName() + ": training process exited with code " + exitCode);
    return exitCode;
  }

  /**
   * result.json is the child's word; without it, the exit code and the log's end are all there is.
   */
  private static JobResult outcome(Path jobDir, int exitCode) {
    Path resultFile = jobDir.resolve(JobFolder.RESULT);
    JobResult written = null;
    if (Files.exists(resultFile)) {
      try {
        written = Json.MAPPER.readValue(Files.readString(resultFile), JobResult.class);
      } catch (IOException | JacksonException e) {
        Log.warn("unreadable " + resultFile + ": " + e.getMessage());
      }
    }
    if (written != null && written.status() != null) {
      if (exitCode == 0 || written.status() != JobResult.Status.SUCCEEDED) {
        return written;
      }
      return JobResult.failed(
          crashReason(jobDir, exitCode), written.steps(), written.trainedTokens());
    }
    if (exitCode == 0) {
      return JobResult.failed("the training process ended without writing a result", 0, 0);
    }
    return JobResult.failed(crashReason(jobDir, exitCode), 0, 0);
  }

  static String crashReason(Path jobDir, int exitCode) {
    String reason = "training process exited with code " + exitCode;
    if (exitCode == 137) {
      reason += " (killed; often the machine ran out of memory)";
    }
    String tail = TrainingChild.logTail(jobDir, TAIL_LINES);
    return tail.isEmpty() ? reason : reason + ":\n" + tail;
  }

  /**
   * A stopped job resumes from the checkpoint it wrote at its last step; should that one not have
   * reached storage, the app still holds an earlier one, and the reason says so.
   */
  private static JobResult stopped(JobResult result, CheckpointUploader checkpoints) {
    if (checkpoints.completed(result.steps())) {
      return result;
    }
    return JobResult.stopped(
        result.reason()
            + "; its checkpoint at step "
            + result.steps()
            + " could not be uploaded, so it resumes from an earlier one",
        result.steps(),
        result.trainedTokens());
  }

  private @Nullable String uploadOutputs(Lease lease, Path jobDir, EventRelay relay)
      throws InterruptedException {
    // The lease's upload URLs live about as long as the lease: fresh ones come now, and only while
    // this node still holds the lease.
    Map<String, String> outputs;
    try {
      outputs = app.outputUrls(lease.jobId()).orElse(lease.outputs());
    } catch (IOException e) {
      return "could not get upload URLs for the outputs: " + e.getMessage();
    }
    for (Map.Entry<String, String> output : outputs.entrySet()) {
      try {
        Path source = Transfers.resolveInside(jobDir, output.getKey());
        // The evaluation's outputs are optional: a job without them still delivers its adapter.
        if (!Files.isRegularFile(source) && output.getKey().startsWith(JobFolder.EVALUATION)) {
          relay.add(
              JobEvent.log(
                  "the job produced no "
                      + output.getKey()
                      + "; the adapter is delivered without it"));
          continue;
        }
        if (!Files.isRegularFile(source)) {
          return "the training run did not produce " + output.getKey();
        }
        transfers.upload(source, URI.create(output.getValue()));
      } catch (IOException | IllegalArgumentException e) {
        return "could not upload " + output.getKey() + ": " + e.getMessage();
      }
    }
    Log.info("job " + lease.jobId() + ": uploaded " + outputs.size() + " outputs");
    return null;
  }

  private static JobResult cancelled(Progress progress) {
    return JobResult.failed("cancelled by user", progress.steps, progress.tokens);
  }

  /** The last metric seen, so a cancelled job still reports how far it got. */
  private static final class Progress {
    private volatile int steps;
    private volatile long tokens;

    void record(JobEvent event) {
      if (event.type() != JobEvent.Type.METRIC) {
        return;
      }
      if (event.step() != null) {
        steps = event.step();
      }
      if (event.tokens() != null) {
        tokens = event.tokens();
      }
    }
  }
}
