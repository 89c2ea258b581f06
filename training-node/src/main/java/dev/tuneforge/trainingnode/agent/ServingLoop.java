package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationFiles;
import dev.tuneforge.protocol.GenerationPoll;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.protocol.HeartbeatReply;
import dev.tuneforge.trainingnode.jobprocess.ServingCommand;
import dev.tuneforge.trainingnode.jobprocess.ServingOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;

/**
 * Serving beside the job slots: long-polls the app for generation requests while the admin's policy
 * allows, downloads their base model and adapter into {@link ServedFiles}, hands them to the
 * serving child JVM ({@code ServingMain}) and relays its chunks to the app as they come. Its own
 * thread and HTTP calls, so heartbeats and training never wait for it. Under {@code when_idle} it
 * takes no requests while a job runs and, once its generations have finished, stops the child so
 * that training gets the memory.
 */
final class ServingLoop {
  static final String SERVING_MAIN = "dev.tuneforge.trainingnode.jobprocess.ServingMain";

  private final NodeOptions options;
  private final AppClient app;
  private final ServedFiles files;
  private final BooleanSupplier training;
  private final Path folder;
  private final Map<UUID, ChunkRelay> inFlight = new ConcurrentHashMap<>();
  private final Map<UUID, List<Path>> pinned = new ConcurrentHashMap<>();
  private final Set<String> loadedBases = ConcurrentHashMap.newKeySet();
  private final Set<String> loadedAdapters = ConcurrentHashMap.newKeySet();
  private volatile @Nullable String policy;
  private @Nullable Process child;
  private @Nullable OutputStream commands;

  ServingLoop(NodeOptions options, AppClient app, Transfers transfers, BooleanSupplier training) {
    this.options = options;
    this.app = app;
    this.folder = options.workDir().resolve("serving");
    this.files = new ServedFiles(folder, transfers, options.serving().adapterDiskBytes());
    this.training = training;
  }

  /** Takes the admin's policy from a heartbeat reply; a reply without one changes nothing. */
  void onHeartbeatReply(HeartbeatReply reply) {
    if (reply.servingPolicy() != null) {
      policy = reply.servingPolicy();
    }
  }

  /** Whether the policy lets this node take generation requests now. */
  boolean allowed() {
    String now = policy;
    return now == null
        || now.equals(HeartbeatReply.SERVING_ALWAYS)
        || (now.equals(HeartbeatReply.SERVING_WHEN_IDLE) && !training.getAsBoolean());
  }

  /** Polls and serves until {@code stopping} says so; failures to reach the app are waited out. */
  void run(BooleanSupplier stopping) throws InterruptedException {
    Log.info("serving generation requests beside training");
    while (!stopping.getAsBoolean()) {
      if (!allowed()) {
        if (inFlight.isEmpty()) {
          stopChild();
        }
        Thread.sleep(500);
        continue;
      }
      int capacity = options.serving().maxBatch() - inFlight.size();
      if (capacity < 1) {
        Thread.sleep(50);
        continue;
      }
      try {
        for (GenerationRequest request :
            app.generations(
                new GenerationPoll(
                    List.copyOf(loadedBases), List.copyOf(loadedAdapters), capacity))) {
          inFlight.put(request.id(), ChunkRelay.start(app, request.id(), this::cancel));
          Thread.ofVirtual().name("prepare-" + request.id()).start(() -> prepare(request));
        }
      } catch (IOException | RuntimeException e) {
        Log.warn("cannot poll for generation requests: " + e.getMessage() + "; retrying in 5 s");
        Thread.sleep(Duration.ofSeconds(5).toMillis());
      }
    }
    stopChild();
  }

  private void prepare(GenerationRequest request) {
    try {
      Path base =
          files.fetch(
              "models",
              request.baseModel(),
              () -> app.generationFiles(request.id()).map(GenerationFiles::baseModel));
      pinned.computeIfAbsent(request.id(), id -> new CopyOnWriteArrayList<>()).add(base);
      Path adapter =
          request.adapter() == null
              ? null
              : files.fetch(
                  ServedFiles.ADAPTERS,
                  request.adapter(),
                  () -> app.generationFiles(request.id()).map(GenerationFiles::adapter));
      if (adapter != null) {
        pinned.computeIfAbsent(request.id(), id -> new CopyOnWriteArrayList<>()).add(adapter);
      }
      if (!inFlight.containsKey(request.id())) {
        unpin(request.id());
        return;
      }
      send(
          ServingCommand.generate(
              request, base.toString(), adapter == null ? null : adapter.toString()));
      loadedBases.add(request.baseModel().cacheKey());
      if (request.adapter() != null) {
        loadedAdapters.add(request.adapter().cacheKey());
      }
    } catch (IOException | RuntimeException e) {
      finish(
          request.id(), GenerationChunk.failed(0, "the node cannot serve it: " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void send(ServingCommand command) throws IOException {
    if (child == null || !child.isAlive()) {
      if (command.cancel()) {
        return;
      }
      startChild();
    }
    commands.write(
        (Json.MAPPER.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
    commands.flush();
  }

  private void startChild() throws IOException {
    Files.createDirectories(folder);
    TrainingChild launcher = new TrainingChild(options);
    List<String> command =
        launcher.command(
            folder,
            SERVING_MAIN,
            List.of(
                "--adapter-cache", Integer.toString(options.serving().adapterCache()),
                "--max-batch", Integer.toString(options.serving().maxBatch())));
    Process started = launcher.startWithInput(folder, command);
    commands = started.getOutputStream();
    child = started;
    loadedBases.clear();
    loadedAdapters.clear();
    Thread.ofPlatform().daemon().name("serving-output").start(() -> pump(started));
    Log.info("serving process started (pid " + started.pid() + ")");
  }

  /** Relays the child's chunks; when it dies, fails what it was generating. */
  private void pump(Process started) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        try {
          ServingOutput output = Json.MAPPER.readValue(line, ServingOutput.class);
          ChunkRelay relay = inFlight.get(output.id());
          if (relay != null) {
            relay.offer(output.chunk());
            if (output.chunk().isLast()) {
              inFlight.remove(output.id());
              unpin(output.id());
            }
          }
        } catch (JacksonException e) {
          Log.warn("serving process printed: " + line);
        }
      }
    } catch (IOException e) {
      Log.warn("lost the serving process's output: " + e.getMessage());
    }
    for (UUID id : Set.copyOf(inFlight.keySet())) {
      finish(id, GenerationChunk.failed(0, "the node's serving process ended"));
    }
  }

  /** The generation no longer needs its files on disk: they may be trimmed. */
  private void unpin(UUID id) {
    List<Path> folders = pinned.remove(id);
    if (folders != null) {
      folders.forEach(files::release);
    }
  }

  private void finish(UUID id, GenerationChunk chunk) {
    unpin(id);
    ChunkRelay relay = inFlight.remove(id);
    if (relay != null) {
      relay.offer(chunk);
    }
  }

  /** The app no longer waits for {@code id}: the child stops generating it. */
  private void cancel(UUID id) {
    inFlight.remove(id);
    unpin(id);
    try {
      send(ServingCommand.cancel(id));
    } catch (IOException e) {
      Log.warn("cannot cancel generation " + id + ": " + e.getMessage());
    }
  }

  private synchronized void stopChild() {
    if (child != null && child.isAlive()) {
      try {
        commands.close();
      } catch (IOException ignored) {
        // the child ends on its own once its input is gone
      }
      Log.info("serving process stopped");
      child = null;
    }
  }
}
