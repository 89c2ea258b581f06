package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.ModelFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The node's folder of models and adapters it serves: each {@link ModelFiles} downloaded once into
 * a folder named after its cache key, marked complete only when every file is there, so a crash
 * mid-download is redone and two requests for one key download it once. Adapters are bounded on
 * disk: past {@code adapterBytes}, the least recently used adapter folders (by their marker's time,
 * which every use renews, so the order survives a restart) are deleted, never one that a generation
 * in flight uses ({@link #fetch} pins a folder until {@link #release}); a deleted adapter is
 * downloaded again at its next use. The URLs live about as long as a lease: a file storage refuses
 * (403, such as a later file of a large model) is tried once more with URLs the app signs again.
 */
final class ServedFiles {
  static final String ADAPTERS = "adapters";
  private static final String COMPLETE = ".complete";

  private final Path root;
  private final Transfers transfers;
  private final long adapterBytes;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();
  private final Map<Path, Integer> inUse = new HashMap<>();

  ServedFiles(Path root, Transfers transfers, long adapterBytes) {
    this.root = root;
    this.transfers = transfers;
    this.adapterBytes = adapterBytes;
  }

  /** Fresh URLs for the files being fetched, from the app; empty when it signs none. */
  @FunctionalInterface
  interface FreshUrls {
    Optional<ModelFiles> get() throws IOException, InterruptedException;
  }

  /** {@link #fetch(String, ModelFiles, FreshUrls)} with no fresh URLs to ask for. */
  Path fetch(String kind, ModelFiles files) throws IOException, InterruptedException {
    return fetch(kind, files, Optional::empty);
  }

  /**
   * The folder of {@code files} under {@code kind} ({@code models}, {@code adapters}), fetched and
   * pinned until {@link #release}d; a file storage refuses is tried again, once, with {@code fresh}
   * URLs.
   */
  Path fetch(String kind, ModelFiles files, FreshUrls fresh)
      throws IOException, InterruptedException {
    Path folder = root.resolve(kind).resolve(folderName(files.cacheKey()));
    pin(folder);
    try {
      synchronized (locks.computeIfAbsent(kind + "/" + files.cacheKey(), key -> new Object())) {
        Path marker = folder.resolve(COMPLETE);
        if (!Files.exists(marker)) {
          download(files, folder, fresh);
          Files.writeString(marker, files.cacheKey());
        }
        Files.setLastModifiedTime(marker, FileTime.from(Instant.now()));
      }
      if (kind.equals(ADAPTERS)) {
        trimAdapters();
      }
      return folder;
    } catch (IOException | InterruptedException | RuntimeException e) {
      release(folder);
      throw e;
    }
  }

  private void download(ModelFiles files, Path folder, FreshUrls fresh)
      throws IOException, InterruptedException {
    transfers.downloadAll(
        name -> name + " of " + files.cacheKey(),
        files.files(),
        folder,
        () ->
            fresh
                .get()
                .filter(again -> again.cacheKey().equals(files.cacheKey()))
                .map(ModelFiles::files));
  }

  private synchronized void pin(Path folder) {
    inUse.merge(folder, 1, Integer::sum);
  }

  /** A generation no longer uses the folder {@link #fetch} gave it. */
  synchronized void release(Path folder) {
    inUse.computeIfPresent(folder, (key, count) -> count == 1 ? null : count - 1);
  }

  /**
   * Deletes the least recently used adapter folders that no generation uses until the rest fit in
   * the bound; the marker goes first, so a folder half deleted by a crash is downloaded again.
   */
  private synchronized void trimAdapters() throws IOException {
    List<Cached> cached = new ArrayList<>();
    try (Stream<Path> folders = Files.list(root.resolve(ADAPTERS))) {
      for (Path folder : folders.toList()) {
        cached.add(new Cached(folder, lastUse(folder), size(folder)));
      }
    }
    long total = cached.stream().mapToLong(Cached::bytes).sum();
    cached.sort(Comparator.comparing(Cached::lastUse));
    for (Cached entry : cached) {
      if (total <= adapterBytes) {
        return;
      }
      if (!inUse.containsKey(entry.folder())) {
        Files.deleteIfExists(entry.folder().resolve(COMPLETE));
        delete(entry.folder());
        total -= entry.bytes();
        Log.info(
            "deleted adapter files "
                + entry.folder().getFileName()
                + " ("
                + entry.bytes()
                + " bytes), least recently used, to keep adapters within "
                + adapterBytes
                + " bytes");
      }
    }
  }

  private record Cached(Path folder, FileTime lastUse, long bytes) {}

  private static FileTime lastUse(Path folder) throws IOException {
    Path marker = folder.resolve(COMPLETE);
    return Files.exists(marker)
        ? Files.getLastModifiedTime(marker)
        : Files.getLastModifiedTime(folder);
  }

  private static long size(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      return files.filter(Files::isRegularFile).mapToLong(ServedFiles::sizeOf).sum();
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // a download in progress renamed it
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** A short, path-safe name for any key: the start of its SHA-256. */
  static String folderName(String cacheKey) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(cacheKey.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
