package dev.tuneforge.launcher;

import dev.tuneforge.app.catalog.CatalogService;
import dev.tuneforge.app.catalog.ModelImport;
import dev.tuneforge.app.storage.ObjectStorage;
import dev.tuneforge.modelformat.fixtures.HubModel;
import dev.tuneforge.modelformat.fixtures.ModelFolderWriter;
import dev.tuneforge.modelformat.safetensors.DataType;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How fast a ~1 GB model comes into the catalogue by each route, and the heap the app takes for it:
 * Qwen2.5-0.5B at full size (its exact config.json, 494 M parameters, BF16, four shards with their
 * index, the real Qwen tokenizer) registered where an operator mirrored it ({@code POST
 * /api/v1/models}), uploaded through the REST API's presigned parts by a Java HTTP client (three
 * parts at a time, as the browser sends them), and imported from a local folder ({@link
 * CatalogService#importPlatformDirectory}, the launcher's route). Not a test: {@code
 * bin/bench-import} runs it (docs/models.md, "Import speed").
 *
 * <p>The app runs in this JVM (S3Proxy and PostgreSQL in their own processes), so the heap figures
 * are the app's plus the client's, which streams every part from the file in small buffers. Two are
 * printed per route: the peak of used heap sampled every 5 ms (garbage not yet collected included),
 * and what stays used after a full GC once the import is done, against before.
 *
 * <p>Arguments: the runs per route (default 3), a model folder to import instead of the written
 * one.
 */
public final class ImportBenchmark {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final long SHARD_BYTES = 300L << 20;
  private static final int PARALLEL_PARTS = 3;
  private static final double MB = 1_000_000.0;

  private final LocalPlatform platform;
  private final Path folder;
  private final long folderBytes;
  private final HttpClient http = HttpClient.newHttpClient();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  private ImportBenchmark(LocalPlatform platform, Path folder) throws IOException {
    this.platform = platform;
    this.folder = folder;
    this.folderBytes = sizes(folder).values().stream().mapToLong(Long::longValue).sum();
  }

  private record Run(double seconds, long peakHeap, long retainedHeap) {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    Path work = Files.createTempDirectory("tuneforge-bench-import-");
    try {
      Path folder = args.length > 1 ? Path.of(args[1]) : writeModel(work.resolve("model"));
      try (LocalPlatform platform =
          LocalPlatform.start(
              LocalPlatform.Settings.forTests(work.resolve("platform")).withStartNode(false))) {
        new ImportBenchmark(platform, folder).run(runs);
      }
    } finally {
      try (Stream<Path> files = Files.walk(work)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  private static Path writeModel(Path folder) throws IOException {
    HubModel model = HubModel.QWEN2_5_0_5B;
    long started = System.nanoTime();
    ModelFolderWriter.builder()
        .setConfig(model.configJson())
        .optDataType(DataType.BF16)
        .optShardAbove(SHARD_BYTES)
        .optFilesFrom(model.tokenizer().orElseThrow().require())
        .optFile("generation_config.json", model.generationConfigJson())
        .build()
        .write(folder);
    System.out.printf(
        "wrote %s (exact config, BF16, shards above %d MiB, real tokenizer) in %.1f s%n",
        model.id(), SHARD_BYTES >> 20, (System.nanoTime() - started) / 1e9);
    return folder;
  }

  private void run(int runs) throws Exception {
    Map<String, Long> files = sizes(folder);
    System.out.printf(
        "model: %s, %d files, %.1f MB; %d runs per route; %d CPUs, load average %.1f; max heap"
            + " %d MiB, used after start and a full GC %d MiB%n",
        folder,
        files.size(),
        folderBytes / MB,
        runs,
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        memory.getHeapMemoryUsage().getMax() >> 20,
        usedAfterGc() >> 20);
    ObjectStorage storage = platform.context().getBean(ObjectStorage.class);
    String mirrored = "bench/mirror/";
    long mirrorStarted = System.nanoTime();
    for (String name : files.keySet()) {
      storage.put(mirrored + name, folder.resolve(name), "application/octet-stream");
    }
    System.out.printf(
        "(the operator's mirror into the bucket, not timed below: %.1f s)%n",
        (System.nanoTime() - mirrorStarted) / 1e9);

    Map<String, List<Run>> results = new LinkedHashMap<>();
    for (int i = 1; i <= runs; i++) {
      String suffix = "-" + i;
      results
          .computeIfAbsent("object storage (register)", k -> new ArrayList<>())
          .add(measure(() -> register("Bench/Registered" + suffix, mirrored)));
      results
          .computeIfAbsent("REST upload (presigned parts)", k -> new ArrayList<>())
          .add(measure(() -> storage.deleteAll(upload("Bench/Uploaded" + suffix, files))));
      results
          .computeIfAbsent("local directory", k -> new ArrayList<>())
          .add(
              measure(
                  () ->
                      storage.deleteAll(
                          platform
                              .context()
                              .getBean(CatalogService.class)
                              .importPlatformDirectory(
                                  new ModelImport("Bench/Local" + suffix, null, null, null), folder)
                              .getObjectPrefix())));
      System.out.printf("run %d of %d done%n", i, runs);
    }
    System.out.printf(
        "%n| route | MB/s (median, min–max) | seconds (median) | heap rise at peak, MiB (median, min–max)"
            + " | retained after GC, MiB (median) |%n| --- | --- | --- | --- | --- |%n");
    results.forEach(
        (route, measured) -> {
          List<Double> rates = measured.stream().map(r -> folderBytes / MB / r.seconds()).toList();
          List<Double> seconds = measured.stream().map(Run::seconds).toList();
          List<Double> peaks = measured.stream().map(r -> r.peakHeap() / 1048576.0).toList();
          List<Double> retained =
              measured.stream().map(r -> Math.max(0, r.retainedHeap()) / 1048576.0).toList();
          System.out.printf(
              Locale.ROOT,
              "| %s | %s | %.2f | %s | %.0f |%n",
              route,
              spread(rates),
              median(seconds),
              spread(peaks),
              median(retained));
        });
  }

  /** Times one import; samples used heap every 5 ms meanwhile. */
  private Run measure(Work work) throws Exception {
    long before = usedAfterGc();
    AtomicLong peak = new AtomicLong(before);
    Thread sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                      Thread.sleep(5);
                    } catch (InterruptedException e) {
                      return;
                    }
                  }
                });
    long started = System.nanoTime();
    try {
      work.run();
    } finally {
      sampler.interrupt();
      sampler.join();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long after = usedAfterGc();
    return new Run(seconds, peak.get() - before, after - before);
  }

  private long usedAfterGc() {
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private interface Work {
    void run() throws Exception;
  }

  private void register(String name, String prefix) throws Exception {
    HttpResponse<String> response = call("", Map.of("name", name, "prefix", prefix));
    expectCreated(response);
  }

  /** Uploads the folder through the API's presigned parts; returns the model's prefix. */
  private String upload(String name, Map<String, Long> files) throws Exception {
    List<Map<String, Object>> sizes = new ArrayList<>();
    files.forEach((file, size) -> sizes.add(Map.of("name", file, "size", size)));
    HttpResponse<String> started = call("/uploads", Map.of("name", name, "files", sizes));
    expectCreated(started);
    JsonNode plan = JSON.readTree(started.body());
    List<Map<String, String>> sent = new ArrayList<>();
    List<Future<?>> parts = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_PARTS)) {
      for (JsonNode file : plan.path("files")) {
        Path source = folder.resolve(file.path("name").asString());
        long partSize = file.path("partSize").asLong();
        long size = Files.size(source);
        JsonNode urls = file.path("partUrls");
        for (int i = 0; i < urls.size(); i++) {
          long offset = i * partSize;
          long length = Math.min(partSize, size - offset);
          URI url = URI.create(urls.get(i).asString());
          parts.add(pool.submit(() -> putPart(url, source, offset, length)));
        }
        sent.add(
            Map.of(
                "name",
                file.path("name").asString(),
                "uploadId",
                file.path("uploadId").asString()));
      }
      for (Future<?> part : parts) {
        part.get();
      }
    }
    HttpResponse<String> completed =
        call(
            "/uploads/" + plan.path("id").asString() + "/complete",
            Map.of("name", name, "files", sent));
    expectCreated(completed);
    return JSON.readTree(completed.body()).path("objectPrefix").asString();
  }

  /** PUTs one slice of a file, streamed from the file, never held whole. */
  private Void putPart(URI url, Path source, long offset, long length) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .PUT(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> slice(source, offset, length)),
                    length))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("part PUT answered " + response.statusCode());
    }
    return null;
  }

  private static InputStream slice(Path file, long offset, long length) {
    try {
      FileChannel channel = FileChannel.open(file).position(offset);
      return new java.io.FilterInputStream(Channels.newInputStream(channel)) {
        private long left = length;

        @Override
        public int read() throws IOException {
          if (left <= 0) {
            return -1;
          }
          left--;
          return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          if (left <= 0) {
            return -1;
          }
          int read = super.read(b, off, (int) Math.min(len, left));
          if (read > 0) {
            left -= read;
          }
          return read;
        }
      };
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private HttpResponse<String> call(String path, Object body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/api/v1/models" + path))
            .header("Authorization", "Bearer " + platform.adminApiKey())
            .header("Content-Type", "application/json")
            .timeout(Duration.ofMinutes(10))
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void expectCreated(HttpResponse<String> response) {
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
  }

  /** Every regular file of the folder (not hidden), by name relative to it, with its size. */
  private static Map<String, Long> sizes(Path folder) throws IOException {
    Map<String, Long> sizes = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name = folder.relativize(file).toString().replace('\\', '/');
        if (!name.startsWith(".")) {
          sizes.put(name, Files.size(file));
        }
      }
    }
    return sizes;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String spread(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return String.format(Locale.ROOT, "%.1f (%.1f–%.1f)", median(values), min, max);
  }
}
