package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.Gpu;
import dev.tuneforge.protocol.JobEvent;
import dev.tuneforge.protocol.JobFolder;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * One job's training JVM. Each job gets a fresh process because DJL's native engine cannot be
 * unloaded and a crash or OOM in native code must not take the agent down with it.
 */
final class TrainingChild {

  private final NodeOptions options;
  private final @Nullable Gpu gpu;

  TrainingChild(NodeOptions options) {
    this(options, null);
  }

  /**
   * A child pinned to {@code gpu}: the only GPU its engine sees, or the simulated one it stands
   * for.
   */
  TrainingChild(NodeOptions options, @Nullable Gpu gpu) {
    this.options = options;
    this.gpu = gpu;
  }

  List<String> command(Path jobDir) {
    return command(jobDir, options.childMainClass(), List.of());
  }

  /**
   * The command of a child JVM that runs {@code mainClass} with the job folder and {@code args}.
   */
  List<String> command(Path jobDir, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + options.childHeap());
    // a JVM that ran out of heap is useless; ending at once gives a clear exit and log line
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(absoluteClassPath());
    command.add(mainClass);
    command.add(jobDir.toString());
    command.addAll(args);
    return command;
  }

  /**
   * The child starts in the job folder, so relative entries (java -jar from elsewhere) must be made
   * absolute.
   */
  private static String absoluteClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.isBlank())
        .map(entry -> Path.of(entry).toAbsolutePath().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }

  Process start(Path jobDir) throws IOException {
    return start(jobDir, command(jobDir));
  }

  Process start(Path jobDir, List<String> command) throws IOException {
    Process child = startWithInput(jobDir, command);
    child.getOutputStream().close();
    return child;
  }

  /** As {@link #start(Path, List)}, the child's stdin left open for the caller to write. */
  Process startWithInput(Path jobDir, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(jobDir.toFile());
    builder.redirectError(ProcessBuilder.Redirect.appendTo(jobDir.resolve(JobFolder.LOG).toFile()));
    Map<String, String> env = builder.environment();
    String cache = env.get("ENGINE_CACHE_DIR");
    if (cache == null || cache.isBlank()) {
      // DJL unpacks hundreds of MB of natives; a persistent folder means it happens once per node
      env.put("ENGINE_CACHE_DIR", options.workDir().resolve("djl-cache").toString());
    }
    env.putAll(deviceEnvironment());
    return builder.start();
  }

  /**
   * What the child's {@code TrainingDevice} reads: the device; one GPU made the only one its engine
   * sees ({@code CUDA_VISIBLE_DEVICES}); for a simulated GPU the CPU and the GPU's index; the
   * memory limit.
   */
  Map<String, String> deviceEnvironment() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    boolean simulated = !options.simulatedGpus().isEmpty();
    env.put("TUNEFORGE_DEVICE", simulated ? "cpu" : options.device());
    if (gpu != null && simulated) {
      env.put("TUNEFORGE_SIMULATED_GPU", Integer.toString(gpu.index()));
    } else if (gpu != null) {
      env.put("CUDA_VISIBLE_DEVICES", Integer.toString(gpu.index()));
    }
    if (options.childMemoryLimit() > 0) {
      env.put("TUNEFORGE_MEMORY_LIMIT", Long.toString(options.childMemoryLimit()));
    }
    return env;
  }

  /**
   * Reads the child's stdout to its end. JSON lines are events; anything else (a library's banner,
   * a stray println) goes to child.log so a crash report can still show it.
   */
  static void pump(Process child, Path jobDir, Consumer<JobEvent> events) throws IOException {
    try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        OutputStream log =
            Files.newOutputStream(
                jobDir.resolve(JobFolder.LOG),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = lines.readLine()) != null) {
        JobEvent event = parseEvent(line);
        if (event != null) {
          events.accept(event);
        } else if (!line.isBlank()) {
          log.write(("[stdout] " + line + "\n").getBytes(StandardCharsets.UTF_8));
          log.flush();
        }
      }
    }
  }

  static @Nullable JobEvent parseEvent(String line) {
    String trimmed = line.strip();
    if (!trimmed.startsWith("{")) {
      return null;
    }
    try {
      JobEvent event = Json.MAPPER.readValue(trimmed, JobEvent.class);
      return event.type() == null || event.at() == null ? null : event;
    } catch (JacksonException e) {
      return null;
    }
  }

  /** The last lines of child.log, read from the end: a long run's log can be large. */
  static String logTail(Path jobDir, int maxLines) {
    Path log = jobDir.resolve(JobFolder.LOG);
    try (SeekableByteChannel channel = Files.newByteChannel(log)) {
      long size = channel.size();
      int window = (int) Math.min(size, 16 * 1024);
      ByteBuffer buffer = ByteBuffer.allocate(window);
      channel.position(size - window);
      while (buffer.hasRemaining() && channel.read(buffer) > 0) {
        // keep reading until the window is full
      }
      List<String> lines =
          new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
              .lines()
              .filter(l -> !l.isBlank())
              .toList();
      if (window < size && !lines.isEmpty()) {
        lines = lines.subList(1, lines.size());
      }
      return String.join("\n", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
