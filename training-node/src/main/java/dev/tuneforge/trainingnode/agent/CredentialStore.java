package dev.tuneforge.trainingnode.agent;

import dev.tuneforge.protocol.EnrolResponse;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The node's identity on disk. Readable by its owner only: the credential is all an attacker needs.
 */
final class CredentialStore {
  private final Path file;

  CredentialStore(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  Optional<EnrolResponse> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    EnrolResponse stored = Json.MAPPER.readValue(Files.readString(file), EnrolResponse.class);
    if (stored.nodeId() == null || stored.credential() == null || stored.credential().isBlank()) {
      throw new IOException(file + " is incomplete; delete it and enrol again with a new token");
    }
    return Optional.of(stored);
  }

  void save(EnrolResponse enrolled) throws IOException {
    Files.createDirectories(file.getParent());
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(temp);
    // Created with 600 from the start so the secret is never briefly world-readable.
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(temp);
    }
    Files.write(temp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(enrolled));
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
