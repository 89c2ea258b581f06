package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.ModelFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's folder of models and adapters it serves: each {@link ModelFiles} downloaded once into
 * a folder named after its cache key, marked complete only when every file is there, so a crash
 * mid-download is redone and two requests for one key download it once.
 */
final class ServedFiles {
  private static final String COMPLETE = ".complete";

  private final Path root;
  private final Transfers transfers;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  ServedFiles(Path root, Transfers transfers) {
    this.root = root;
    this.transfers = transfers;
  }

  /** The folder of {@code files} under {@code kind} ({@code models}, {@code adapters}), fetched. */
  Path fetch(String kind, ModelFiles files) throws IOException, InterruptedException {
    Path folder = root.resolve(kind).resolve(folderName(files.cacheKey()));
    synchronized (locks.computeIfAbsent(kind + "/" + files.cacheKey(), key -> new Object())) {
      if (Files.exists(folder.resolve(COMPLETE))) {
        return folder;
      }
      for (Map.Entry<String, String> file : files.files().entrySet()) {
        transfers.download(
            URI.create(file.getValue()), Transfers.resolveInside(folder, file.getKey()));
      }
      Files.writeString(folder.resolve(COMPLETE), files.cacheKey());
      return folder;
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
