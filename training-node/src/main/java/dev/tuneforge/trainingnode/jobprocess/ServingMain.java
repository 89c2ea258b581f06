package dev.tuneforge.trainingnode.jobprocess;

import dev.tuneforge.chat.ChatMessage;
import dev.tuneforge.protocol.GenerationChunk;
import dev.tuneforge.protocol.GenerationRequest;
import dev.tuneforge.trainingnode.serve.Completion;
import dev.tuneforge.trainingnode.serve.GenerationStream;
import dev.tuneforge.trainingnode.serve.ServingEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * The serving child JVM: {@code ServingMain <serving folder> [--adapter-cache N] [--max-batch N]}
 * reads {@link ServingCommand}s from stdin, one JSON line each, runs one {@link ServingEngine} per
 * base model folder on one thread, and prints each generation's chunks as {@link ServingOutput}
 * lines as the tokens come. Its own JVM, as training's, so that native crashes and PyTorch's memory
 * stay out of the agent. Ends when stdin closes.
 */
public final class ServingMain {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final int adapterCache;
  private final int maxBatch;
  private final PrintStream out;
  private final LinkedBlockingQueue<ServingCommand> commands = new LinkedBlockingQueue<>();
  private final Map<String, ServingEngine> engines = new HashMap<>();
  private final Set<UUID> cancelled = ConcurrentHashMap.newKeySet();
  private volatile boolean inputClosed;

  ServingMain(int adapterCache, int maxBatch, PrintStream out) {
    this.adapterCache = adapterCache;
    this.maxBatch = maxBatch;
    this.out = out;
  }

  public static void main(String[] args) throws InterruptedException {
    PrintStream out = System.out;
    System.setOut(System.err);
    Map<String, Integer> options = new HashMap<>(Map.of("--adapter-cache", 8, "--max-batch", 16));
    for (int i = 1; i + 1 < args.length; i += 2) {
      if (!options.containsKey(args[i])) {
        System.err.println(
            "usage: ServingMain <serving folder> [--adapter-cache N] [--max-batch N]");
        System.exit(2);
      }
      options.put(args[i], Integer.parseInt(args[i + 1]));
    }
    ServingMain main =
        new ServingMain(options.get("--adapter-cache"), options.get("--max-batch"), out);
    Thread.ofPlatform().daemon().name("commands").start(() -> main.read(System.in));
    main.run();
    System.exit(0);
  }

  private void read(java.io.InputStream in) {
    try (BufferedReader lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.isBlank()) {
          ServingCommand command = JSON.readValue(line, ServingCommand.class);
          if (command.cancel()) {
            cancelled.add(command.id());
          } else {
            commands.add(command);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("serving: cannot read commands: " + e);
    } finally {
      inputClosed = true;
    }
  }

  /** Steps the engines until stdin is closed and nothing runs. */
  void run() throws InterruptedException {
    while (true) {
      ServingCommand command;
      while ((command = commands.poll()) != null) {
        start(command);
      }
      boolean worked = false;
      for (ServingEngine engine : engines.values()) {
        worked |= engine.step();
      }
      if (!worked) {
        if (inputClosed && commands.isEmpty()) {
          break;
        }
        command = commands.poll(200, TimeUnit.MILLISECONDS);
        if (command != null) {
          start(command);
        }
      }
    }
    engines.values().forEach(ServingEngine::close);
  }

  private void start(ServingCommand command) {
    GenerationRequest request = command.request();
    Stream stream = new Stream(command.id());
    try {
      ServingEngine engine = engine(Path.of(command.baseDirectory()));
      long[] prompt =
          request.isChat()
              ? engine.encodeChat(
                  request.messages().stream()
                      .map(m -> ChatMessage.of(m.role(), m.content()))
                      .toList())
              : engine.encodeText(request.prompt());
      String adapterKey = request.adapter() == null ? null : request.adapter().cacheKey();
      Path adapter =
          command.adapterDirectory() == null ? null : Path.of(command.adapterDirectory());
      engine.submit(
          new Completion(
              prompt,
              adapter == null ? null : adapterKey,
              adapter,
              request.maxTokens(),
              request.temperature(),
              request.topP(),
              request.seed() != null ? request.seed() : ThreadLocalRandom.current().nextLong(),
              request.stop(),
              request.jsonOnly()),
          stream);
    } catch (IOException | RuntimeException e) {
      stream.onError("cannot serve this request: " + e.getMessage());
    }
  }

  private ServingEngine engine(Path baseDirectory) throws IOException {
    String key = baseDirectory.toAbsolutePath().normalize().toString();
    ServingEngine engine = engines.get(key);
    if (engine == null) {
      engine =
          ServingEngine.builder()
              .setModelDirectory(baseDirectory)
              .optAdapterCacheSize(adapterCache)
              .optMaxBatch(maxBatch)
              .build();
      engines.put(key, engine);
    }
    return engine;
  }

  private void print(UUID id, GenerationChunk chunk) {
    String line = JSON.writeValueAsString(new ServingOutput(id, chunk));
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** One generation's chunks, numbered in order. */
  private final class Stream implements GenerationStream {
    private final UUID id;
    private int index;

    Stream(UUID id) {
      this.id = id;
    }

    @Override
    public void onToken(long tokenId, String delta) {
      print(id, GenerationChunk.text(index++, delta, 1));
    }

    @Override
    public void onFinish(
        String delta, String finishReason, int promptTokens, int completionTokens) {
      print(
          id,
          GenerationChunk.last(
              index++,
              delta,
              0,
              finishReason,
              new GenerationChunk.Usage(promptTokens, completionTokens)));
      cancelled.remove(id);
    }

    @Override
    public void onError(String message) {
      print(id, GenerationChunk.failed(index++, message));
      cancelled.remove(id);
    }

    @Override
    public boolean cancelled() {
      return cancelled.remove(id);
    }
  }
}
